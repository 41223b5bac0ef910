#pragma once

// Reading the script and the files it uses, and building __ENV.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace volley::script {

// Absolute, normalised path of `path` relative to the current directory.
std::string absolute_path(const std::string& path);

// Reads a whole file. nullopt if it cannot be read; `error` gets the reason (strerror).
std::optional<std::string> read_file(const std::string& path, std::string* error = nullptr);

// Files read by open() in the init context, shared by all VUs: read from disk once. Thread-safe.
class FileCache {
public:
    // The contents of `abs_path`; nullptr (and `error` set) if it cannot be read.
    std::shared_ptr<const std::string> get(const std::string& abs_path, std::string* error);

    // Makes `abs_path` read as `data` without touching the disk (a test run from an archive).
    void preload(const std::string& abs_path, std::string data);

    // Every file read so far (what an archive must hold).
    std::map<std::string, std::shared_ptr<const std::string>> snapshot();

private:
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const std::string>> files_;
};

} // namespace volley::script
