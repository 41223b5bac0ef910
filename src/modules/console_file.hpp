#pragma once

// k6's --console-output FILE (K6_CONSOLE_OUTPUT): what the VUs' console.* print once their init
// code has run goes to this file instead of the log, appended to (created 0644), in the log's
// format and level, without the source=console field (k6's file console is a logger of its
// own). Init-time console output stays in the log, as in k6. Thread-safe.

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "util/log.hpp"

namespace volley::modules {

class ConsoleFile {
public:
    // Throws UserError (exit 255) with Go's text, `open <path>: no such file or directory`.
    explicit ConsoleFile(const std::string& path);
    ~ConsoleFile();
    ConsoleFile(const ConsoleFile&) = delete;
    ConsoleFile& operator=(const ConsoleFile&) = delete;

    void write(log::Level level, std::string_view msg);

private:
    std::mutex mutex_;
    std::FILE* file_ = nullptr;
};

} // namespace volley::modules
