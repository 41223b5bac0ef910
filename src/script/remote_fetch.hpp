#pragma once

// Fetching a remote module as k6 does (internal/loader/loader.go loadRemoteURL and fetch): GET
// URL?_k6=1, then URL again if that fails; Go's default client (redirects followed, at most 10;
// the system trust store, which honours SSL_CERT_FILE and SSL_CERT_DIR); a minute at most; any
// status but 200 is an error. Blocks the calling thread (it runs its own io_context): modules are
// fetched once, while the script is compiled, before any VU exists.

#include <cstddef>
#include <string>

namespace volley::script {

struct FetchedModule {
    std::string body;
    std::string error; // k6's text: `not found: URL`, `wrong status code (500) for: URL`,
                       // `Get "URL": dial tcp ...: connect: connection refused`, ...
    bool ok() const { return error.empty(); }
};

// Bodies above this size are refused (k6 has no limit; a module this large is a mistake).
inline constexpr std::size_t kMaxRemoteModuleBytes = std::size_t{64} << 20;

FetchedModule fetch_remote_module(const std::string& url);

} // namespace volley::script
