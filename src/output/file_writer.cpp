#include "output/file_writer.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/go_quote.hpp"
#include "util/log.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace volley::output {

std::timed_mutex& records_mutex() {
    static std::timed_mutex m;
    return m;
}

FileWriter::FileWriter(const std::string& output_type, const std::string& path)
    : output_type_(output_type), path_(path) {
    if (path.empty() || path == "-") {
        std::fflush(stdout); // what was printed before stays first
        fd_ = STDOUT_FILENO;
        is_stdout_ = true;
        return;
    }
    if (path.ends_with(".gz")) {
        gz_ = gzopen(path.c_str(), "wb");
    } else {
        fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    }
    if (fd_ < 0 && gz_ == nullptr) {
        // As k6: the JSON output's error is Go's own, the CSV output's has a prefix; an output
        // that cannot start has no exit code of its own (255).
        std::string go_error = fmt::format("open {}: {}", path, go_errno_text(errno));
        throw UserError(output_type == "json" ? go_error
                                              : fmt::format("could not create the '{}' output: {}",
                                                            output_type, go_error),
                        "check that the folder exists and is writable", ExitCode::kGeneric);
    }
}

FileWriter::~FileWriter() {
    close();
}

void FileWriter::fail(int err) {
    failed_ = true;
    std::string why = go_errno_text(err);
    // k6's JSON output says this for any failed write of its file.
    log::write(log::Level::kError,
               output_type_ == "json" ? "Sample couldn't be marshalled to JSON"
                                      : "could not write the output",
               {{"error", fmt::format("write {}: {}", is_stdout_ ? "/dev/stdout" : path_, why)},
                {"filename", path_},
                {"output", output_type_}});
}

void FileWriter::write(std::string_view data) {
    if (data.empty() || failed_) {
        return;
    }
    std::lock_guard lock(records_mutex());
    if (gz_ != nullptr) {
        if (gzwrite(gz_, data.data(), static_cast<unsigned>(data.size())) == 0) {
            int err = 0;
            gzerror(gz_, &err);
            fail(err == Z_ERRNO ? errno : EIO);
        }
        return;
    }
    while (fd_ >= 0 && !data.empty()) {
        ssize_t n = ::write(fd_, data.data(), data.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            fail(n < 0 ? errno : EIO);
            return;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

void FileWriter::close() {
    std::lock_guard lock(records_mutex());
    if (gz_ != nullptr) {
        gzclose(gz_);
        gz_ = nullptr;
    }
    if (fd_ >= 0) {
        if (!is_stdout_) {
            ::close(fd_);
        }
        fd_ = -1;
    }
}

} // namespace volley::output
