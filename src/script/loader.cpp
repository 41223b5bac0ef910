#include "script/loader.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "util/error.hpp"

extern char** environ;

namespace volley::script {

std::string absolute_path(const std::string& path) {
    std::error_code ec;
    auto p = std::filesystem::absolute(path, ec);
    return (ec ? std::filesystem::path(path) : p).lexically_normal().string();
}

std::optional<std::string> read_file(const std::string& path, std::string* error) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        if (error != nullptr) {
            *error = "is a directory";
        }
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (error != nullptr) {
            *error = std::strerror(errno);
        }
        return std::nullopt;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return std::move(ss).str();
}

std::shared_ptr<const std::string> FileCache::get(const std::string& abs_path,
                                                  std::string* error) {
    std::lock_guard lock(mutex_);
    auto it = files_.find(abs_path);
    if (it != files_.end()) {
        return it->second;
    }
    auto data = read_file(abs_path, error);
    if (!data) {
        return nullptr;
    }
    auto ptr = std::make_shared<const std::string>(std::move(*data));
    files_.emplace(abs_path, ptr);
    return ptr;
}

std::map<std::string, std::string> build_env(const std::vector<std::string>& pairs,
                                             bool include_system_env) {
    std::map<std::string, std::string> env;
    if (include_system_env) {
        for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
            std::string kv(*e);
            auto eq = kv.find('=');
            if (eq != std::string::npos) {
                env[kv.substr(0, eq)] = kv.substr(eq + 1);
            }
        }
    }
    static const std::regex name_re("^[a-zA-Z_][a-zA-Z0-9_]*$");
    for (const auto& kv : pairs) {
        auto eq = kv.find('=');
        if (eq == std::string::npos) {
            throw UserError("invalid environment variable '" + kv + "'",
                            "use -e NAME=VALUE, e.g. -e WS_URL=ws://127.0.0.1:8765/");
        }
        std::string key = kv.substr(0, eq);
        if (!std::regex_match(key, name_re)) {
            throw UserError("invalid environment variable name '" + key + "'",
                            "names start with a letter or '_' and contain only letters, digits "
                            "and '_'");
        }
        env[key] = kv.substr(eq + 1);
    }
    return env;
}

} // namespace volley::script
