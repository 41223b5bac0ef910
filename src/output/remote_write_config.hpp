#pragma once

// The configuration of k6's experimental-prometheus-rw output
// (internal/output/prometheusrw/remotewrite/config.go): defaults, then the JSON config (k6 reads
// it from the config file's `collectors` key; volley has no config file, so only tests pass
// one), then the K6_PROMETHEUS_RW_* environment variables, each applied only when set.
// Pure functions, any thread.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/system/result.hpp>

namespace volley::output {

struct RemoteWriteConfig {
    std::string server_url = "http://localhost:9090/api/v1/write";
    std::map<std::string, std::string> headers; // as given; Go canonicalises names when sending
    bool insecure_skip_tls_verify = false;
    std::optional<std::string> tls_min_version; // "1.2" allows TLS 1.2; anything else: 1.3
    std::optional<std::string> username;        // basic auth when set (even empty)
    std::optional<std::string> password;
    std::optional<std::string> client_certificate;     // PEM file path
    std::optional<std::string> client_certificate_key; // PEM file path
    std::optional<std::string> bearer_token;
    std::chrono::nanoseconds push_interval = std::chrono::seconds(5);
    bool trend_as_native_histogram = false;
    std::vector<std::string> trend_stats = {"p(99)"};
    bool stale_markers = false;
    std::optional<std::string> sigv4_region;
    std::optional<std::string> sigv4_access_key;
    std::optional<std::string> sigv4_secret_key;
};

using Environment = std::map<std::string, std::string>;

// k6's GetConsolidatedConfig(json, env): `json` is the output's JSON object (nullptr: none). The
// error is k6's text: `parse JSON options failed: ...` or `parse environment variables options
// failed: ...` (K6_PROMETHEUS_RW_HTTP_HEADERS not of the form `k:v,k:v`, a bad boolean or
// duration).
boost::system::result<RemoteWriteConfig, std::string>
consolidate_remote_write_config(const std::string* json, const Environment& env);

// k6's isSigV4PartiallyConfigured: some but not all of region, access key and secret key set
// (blank values count as unset).
bool sigv4_partially_configured(const RemoteWriteConfig& config);

} // namespace volley::output
