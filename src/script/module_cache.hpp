#pragma once

// The local module cache (`--module-cache DIR`, VOLLEY_MODULE_CACHE): remote modules kept on
// disk so that a test runs without network access. A module found there is used as it is and
// never fetched; one that is not is fetched and written there. Files are laid out as k6 lays
// out remote modules in an archive: DIR/https/<host[:port]>/<path>[?query].

#include <optional>
#include <string>

namespace volley::script {

// The path of a remote module inside a cache or archive: "https/127.0.0.1:8443/lib/x.js".
// Empty when the URL is not https:// or has ".." segments.
std::string remote_module_path(const std::string& url);

class ModuleCache {
public:
    explicit ModuleCache(std::string dir) : dir_(std::move(dir)) {}
    const std::string& dir() const { return dir_; }

    // The cached source of `url`, if there is one.
    std::optional<std::string> read(const std::string& url) const;

    // Stores `source` for `url`. Returns "" or why it could not be written.
    std::string write(const std::string& url, const std::string& source) const;

private:
    std::string dir_;
};

} // namespace volley::script
