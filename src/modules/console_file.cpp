#include "modules/console_file.hpp"

#include <cerrno>

#include "util/error.hpp"
#include "util/go_quote.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace volley::modules {

ConsoleFile::ConsoleFile(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    file_ = fd >= 0 ? ::fdopen(fd, "a") : nullptr;
    if (file_ == nullptr) {
        int err = errno;
        if (fd >= 0) {
            ::close(fd);
        }
        throw UserError("open " + path + ": " + go_errno_text(err),
                        "--console-output needs a file volley can create or append to",
                        ExitCode::kGeneric);
    }
}

ConsoleFile::~ConsoleFile() {
    std::fclose(file_);
}

void ConsoleFile::write(log::Level level, std::string_view msg) {
    std::string line = log::format(level, msg);
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
}

} // namespace volley::modules
