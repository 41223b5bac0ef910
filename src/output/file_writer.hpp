#pragma once

// A file an output writes to: plain, gzip-compressed (name ends in ".gz", via zlib), or stdout
// ("" or "-"). Not thread-safe; the engine calls an output from one thread at a time.

#include <cstdio>
#include <string>
#include <string_view>

#include <zlib.h>

namespace volley::output {

class FileWriter {
public:
    // Creates/truncates the file. Throws UserError naming the output and the OS error.
    FileWriter(const std::string& output_type, const std::string& path);
    ~FileWriter();
    FileWriter(const FileWriter&) = delete;
    FileWriter& operator=(const FileWriter&) = delete;

    void write(std::string_view data);
    // Flushes and closes; further writes are ignored. Idempotent.
    void close();
    const std::string& path() const { return path_; }

private:
    std::string path_;
    std::FILE* file_ = nullptr;
    gzFile gz_ = nullptr;
    bool is_stdout_ = false;
};

} // namespace volley::output
