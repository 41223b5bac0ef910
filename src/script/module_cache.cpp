#include "script/module_cache.hpp"

#include <filesystem>
#include <fstream>
#include <system_error>

#include "script/loader.hpp"

namespace volley::script {

std::string remote_module_path(const std::string& url) {
    static const std::string kScheme = "https://";
    if (url.rfind(kScheme, 0) != 0) {
        return {};
    }
    std::string rest = url.substr(kScheme.size());
    rest = rest.substr(0, rest.find('#'));
    const std::string path_only = rest.substr(0, rest.find('?'));
    if (path_only.find("/../") != std::string::npos || path_only.find("/./") != std::string::npos ||
        path_only.ends_with("/..") || path_only.find('/') == std::string::npos) {
        return {};
    }
    return "https/" + rest;
}

std::optional<std::string> ModuleCache::read(const std::string& url) const {
    const std::string rel = remote_module_path(url);
    if (rel.empty()) {
        return std::nullopt;
    }
    return read_file((std::filesystem::path(dir_) / rel).string());
}

std::string ModuleCache::write(const std::string& url, const std::string& source) const {
    const std::string rel = remote_module_path(url);
    if (rel.empty()) {
        return "the URL cannot be stored";
    }
    const std::filesystem::path file = std::filesystem::path(dir_) / rel;
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) {
        return ec.message();
    }
    const std::filesystem::path tmp = file.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(source.data(), static_cast<std::streamsize>(source.size()));
        if (!out.flush()) {
            return "cannot write " + tmp.string();
        }
    }
    std::filesystem::rename(tmp, file, ec); // atomic: a reader never sees half a module
    return ec ? ec.message() : std::string();
}

} // namespace volley::script
