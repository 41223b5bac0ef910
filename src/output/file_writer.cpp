#include "output/file_writer.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "util/error.hpp"

namespace volley::output {

FileWriter::FileWriter(const std::string& output_type, const std::string& path) : path_(path) {
    if (path.empty() || path == "-") {
        file_ = stdout;
        is_stdout_ = true;
        return;
    }
    if (path.ends_with(".gz")) {
        gz_ = gzopen(path.c_str(), "wb");
    } else {
        file_ = std::fopen(path.c_str(), "wb");
    }
    if (file_ == nullptr && gz_ == nullptr) {
        throw UserError(fmt::format("could not create the '{}' output: open {}: {}", output_type,
                                    path, std::strerror(errno)),
                        "check that the folder exists and is writable",
                        ExitCode::kGeneric); // as k6: an output that cannot start has no code
    }
}

FileWriter::~FileWriter() {
    close();
}

void FileWriter::write(std::string_view data) {
    if (data.empty()) {
        return;
    }
    if (gz_ != nullptr) {
        gzwrite(gz_, data.data(), static_cast<unsigned>(data.size()));
    } else if (file_ != nullptr) {
        std::fwrite(data.data(), 1, data.size(), file_);
    }
}

void FileWriter::close() {
    if (gz_ != nullptr) {
        gzclose(gz_);
        gz_ = nullptr;
    }
    if (file_ != nullptr) {
        if (is_stdout_) {
            std::fflush(file_);
        } else {
            std::fclose(file_);
        }
        file_ = nullptr;
    }
}

} // namespace volley::output
