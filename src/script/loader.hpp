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

private:
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const std::string>> files_;
};

// __ENV as k6 builds it: the process environment when `include_system_env` is set, then the
// -e KEY=VALUE pairs (later ones win). A malformed pair throws UserError (exit 104):
// `invalid environment variable name '<k>'` or a missing '='.
std::map<std::string, std::string> build_env(const std::vector<std::string>& pairs,
                                             bool include_system_env);

} // namespace volley::script
