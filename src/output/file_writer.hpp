#pragma once

// A file an output writes to: plain, gzip-compressed (name ends in ".gz", via zlib), or stdout
// ("" or "-"). Not thread-safe; the engine calls an output from one thread at a time.
//
// Each write() is whole records (the outputs hand over complete lines) and goes to the kernel
// at once, under records_mutex(): a process that exits at a second Ctrl-C takes that mutex
// first, so a plain file never ends inside a record. A failed write (a full disk) is logged
// once, as k6 logs it, and the output writes nothing more; the test goes on.

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include <zlib.h>

namespace volley::output {

// Held while any output file is being written.
std::timed_mutex& records_mutex();

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
    // A write failed (it was logged); nothing more is written.
    bool failed() const { return failed_; }

private:
    void fail(int err);

    std::string output_type_;
    std::string path_;
    int fd_ = -1; // plain file or stdout
    gzFile gz_ = nullptr;
    bool is_stdout_ = false;
    bool failed_ = false;
};

} // namespace volley::output
