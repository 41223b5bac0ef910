#include "script/loader.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/error.hpp"

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

std::shared_ptr<const std::string> FileCache::get(const std::string& abs_path, std::string* error) {
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

void FileCache::preload(const std::string& abs_path, std::string data) {
    std::lock_guard lock(mutex_);
    files_[abs_path] = std::make_shared<const std::string>(std::move(data));
}

std::map<std::string, std::shared_ptr<const std::string>> FileCache::snapshot() {
    std::lock_guard lock(mutex_);
    return files_;
}

} // namespace volley::script
