#pragma once

// The process log (util/log.hpp) into a temporary file for the life of the object, in `format`;
// then back to stderr in text. For tests that read what was logged.

#include <cstdio>
#include <string>

#include "util/log.hpp"

namespace volley::test {

class LogCapture {
public:
    explicit LogCapture(log::Format format = log::Format::kText) : file_(std::tmpfile()) {
        log::set_format(format);
        log::set_output(file_);
    }
    ~LogCapture() {
        log::set_output(stderr);
        log::set_format(log::Format::kText);
        if (file_ != nullptr) {
            std::fclose(file_);
        }
    }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    std::FILE* file() { return file_; }

    // Everything logged so far.
    std::string text() {
        std::string out;
        if (file_ == nullptr) {
            return out;
        }
        std::fflush(file_);
        std::rewind(file_);
        for (int c = std::fgetc(file_); c != EOF; c = std::fgetc(file_)) {
            out += static_cast<char>(c);
        }
        return out;
    }

private:
    std::FILE* file_;
};

} // namespace volley::test
