#include "output/remote_write_config.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <string_view>

#include <boost/json.hpp>

#include "config/duration.hpp"

namespace volley::output {
namespace {

namespace json = boost::json;
using Error = std::string;
using Status = boost::system::result<void, std::string>;
using AppliedResult = boost::system::result<struct Applied, std::string>;

// An error result. Explicit, because C++20 aggregates are constructible from their first
// member's type, which makes a bare string ambiguous for result<Aggregate, string>.
template <class T> boost::system::result<T, std::string> fail(std::string error) {
    return {boost::system::in_place_error, std::move(error)};
}

// The fields one source sets (k6's Config with null.* values: nullopt = not set).
struct Applied {
    std::optional<std::string> server_url, tls_min_version, username, password, client_certificate,
        client_certificate_key, bearer_token, sigv4_region, sigv4_access_key, sigv4_secret_key;
    std::optional<bool> insecure_skip_tls_verify, trend_as_native_histogram, stale_markers;
    std::optional<std::chrono::nanoseconds> push_interval;
    std::map<std::string, std::string> headers;
    std::vector<std::string> trend_stats;
};

// k6's Config.Apply: what `a` sets replaces the base; headers are merged; trend stats replace
// the base's when not empty.
void apply(RemoteWriteConfig& c, Applied&& a) {
    auto take = [](auto& dst, auto& src) {
        if (src) {
            dst = std::move(*src);
        }
    };
    take(c.server_url, a.server_url);
    take(c.insecure_skip_tls_verify, a.insecure_skip_tls_verify);
    auto take_opt = [](std::optional<std::string>& dst, std::optional<std::string>& src) {
        if (src) {
            dst = std::move(src);
        }
    };
    take_opt(c.tls_min_version, a.tls_min_version);
    take_opt(c.username, a.username);
    take_opt(c.password, a.password);
    take_opt(c.bearer_token, a.bearer_token);
    take_opt(c.sigv4_region, a.sigv4_region);
    take_opt(c.sigv4_access_key, a.sigv4_access_key);
    take_opt(c.sigv4_secret_key, a.sigv4_secret_key);
    take_opt(c.client_certificate, a.client_certificate);
    take_opt(c.client_certificate_key, a.client_certificate_key);
    take(c.push_interval, a.push_interval);
    take(c.trend_as_native_histogram, a.trend_as_native_histogram);
    take(c.stale_markers, a.stale_markers);
    for (auto& [k, v] : a.headers) {
        c.headers[k] = std::move(v);
    }
    if (!a.trend_stats.empty()) {
        c.trend_stats = std::move(a.trend_stats);
    }
}

// Go's time.ParseDuration error for the common case, after k6's ParseExtendedDuration (plain
// numbers are milliseconds, `d` is a day).
boost::system::result<std::chrono::nanoseconds, std::string> parse_go_duration(std::string_view s) {
    auto d = config::parse_duration(s);
    if (!d) {
        return "time: invalid duration \"" + std::string(s) + "\"";
    }
    return *d;
}

// --- environment variables (mstoykov/envconfig with k6's null types) ---

std::string envconfig_error(const std::string& key, const std::string& field,
                            const std::string& value, const std::string& type,
                            const std::string& details) {
    return "envconfig.Process: assigning " + key + " to " + field + ": converting '" + value +
           "' to type " + type + ". details: " + details;
}

struct EnvReader {
    const Environment& env;

    const std::string* find(const std::string& key) const {
        auto it = env.find(key);
        return it == env.end() ? nullptr : &it->second;
    }
    // null.String's UnmarshalText: an empty value is "not set".
    void string(const std::string& key, std::optional<std::string>& out) const {
        if (const auto* v = find(key); v != nullptr && !v->empty()) {
            out = *v;
        }
    }
    // null.Bool's UnmarshalText: "" and "null" are "not set", then exactly true or false.
    Status boolean(const std::string& key, const std::string& field,
                   std::optional<bool>& out) const {
        const auto* v = find(key);
        if (v == nullptr || v->empty() || *v == "null") {
            return {};
        }
        if (*v != "true" && *v != "false") {
            return envconfig_error(key, field, *v, "null.Bool", "invalid input:" + *v);
        }
        out = *v == "true";
        return {};
    }
    Status duration(const std::string& key, const std::string& field,
                    std::optional<std::chrono::nanoseconds>& out) const {
        const auto* v = find(key);
        if (v == nullptr || v->empty()) {
            return {};
        }
        auto d = parse_go_duration(*v);
        if (!d) {
            return envconfig_error(key, field, *v, "types.NullDuration", d.error());
        }
        out = *d;
        return {};
    }
};

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        auto pos = s.find(sep, start);
        parts.emplace_back(s.substr(start, pos - start));
        if (pos == std::string_view::npos) {
            return parts;
        }
        start = pos + 1;
    }
}

Status env_headers(const Environment& env, Applied& a) {
    const std::string prefix = "K6_PROMETHEUS_RW_HEADERS_";
    for (const auto& [k, v] : env) {
        if (k.starts_with(prefix)) {
            a.headers[k.substr(prefix.size())] = v;
        }
    }
    auto it = env.find("K6_PROMETHEUS_RW_HTTP_HEADERS");
    if (it == env.end()) {
        return {};
    }
    for (const auto& pair : split(it->second, ',')) {
        auto kv = split(pair, ':');
        if (kv.size() != 2) {
            return "the provided header (" + pair +
                   ") does not respect the expected format <header key>:<value>";
        }
        a.headers[kv[0]] = kv[1];
    }
    return {};
}

AppliedResult parse_env(const Environment& env) {
    Applied a;
    EnvReader r{env};
    r.string("K6_PROMETHEUS_RW_SERVER_URL", a.server_url);
    r.string("K6_PROMETHEUS_RW_TLS_MINIMUM_VERSION", a.tls_min_version);
    r.string("K6_PROMETHEUS_RW_USERNAME", a.username);
    r.string("K6_PROMETHEUS_RW_PASSWORD", a.password);
    r.string("K6_PROMETHEUS_RW_CLIENT_CERTIFICATE", a.client_certificate);
    r.string("K6_PROMETHEUS_RW_CLIENT_CERTIFICATE_KEY", a.client_certificate_key);
    r.string("K6_PROMETHEUS_RW_BEARER_TOKEN", a.bearer_token);
    r.string("K6_PROMETHEUS_RW_SIGV4_REGION", a.sigv4_region);
    r.string("K6_PROMETHEUS_RW_SIGV4_ACCESS_KEY", a.sigv4_access_key);
    r.string("K6_PROMETHEUS_RW_SIGV4_SECRET_KEY", a.sigv4_secret_key);
    for (const auto& status : {
             r.boolean("K6_PROMETHEUS_RW_INSECURE_SKIP_TLS_VERIFY", "InsecureSkipTLSVerify",
                       a.insecure_skip_tls_verify),
             r.duration("K6_PROMETHEUS_RW_PUSH_INTERVAL", "PushInterval", a.push_interval),
             r.boolean("K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM", "TrendAsNativeHistogram",
                       a.trend_as_native_histogram),
             r.boolean("K6_PROMETHEUS_RW_STALE_MARKERS", "StaleMarkers", a.stale_markers),
         }) {
        if (!status) {
            return fail<Applied>(status.error());
        }
    }
    // envconfig splits a slice on commas, and leaves it empty for a blank value.
    if (const auto* v = r.find("K6_PROMETHEUS_RW_TREND_STATS");
        v != nullptr &&
        std::any_of(v->begin(), v->end(), [](unsigned char c) { return std::isspace(c) == 0; })) {
        a.trend_stats = split(*v, ',');
    }
    if (auto status = env_headers(env, a); !status) {
        return fail<Applied>(status.error());
    }
    return a;
}

// --- JSON (Go's encoding/json into k6's Config) ---

const char* json_kind(const json::value& v) {
    switch (v.kind()) {
    case json::kind::string:
        return "string";
    case json::kind::bool_:
        return "bool";
    case json::kind::array:
        return "array";
    case json::kind::object:
        return "object";
    case json::kind::null:
        return "null";
    default:
        return "number";
    }
}

std::string unmarshal_error(const json::value& v, const std::string& field,
                            const std::string& type) {
    return std::string("json: cannot unmarshal ") + json_kind(v) + " into Go struct field Config." +
           field + " of type " + type;
}

using JsonField = std::function<Status(const json::value&, Applied&)>;

JsonField json_string(std::optional<std::string> Applied::*member, std::string field) {
    return [member, field = std::move(field)](const json::value& v, Applied& a) -> Status {
        if (v.is_null()) {
            return {};
        }
        if (!v.is_string()) {
            return unmarshal_error(v, field, "string");
        }
        a.*member = std::string(v.as_string());
        return {};
    };
}

JsonField json_bool(std::optional<bool> Applied::*member, std::string field) {
    return [member, field = std::move(field)](const json::value& v, Applied& a) -> Status {
        if (v.is_null()) {
            return {};
        }
        if (!v.is_bool()) {
            return unmarshal_error(v, field, "bool");
        }
        a.*member = v.as_bool();
        return {};
    };
}

Status json_push_interval(const json::value& v, Applied& a) {
    if (v.is_null()) {
        return {};
    }
    auto d = config::duration_from_json(v);
    if (!d) {
        if (v.is_string()) {
            return parse_go_duration(v.as_string()).error();
        }
        return "'" + json::serialize(v) + "' is not a valid duration value";
    }
    a.push_interval = *d;
    return {};
}

Status json_headers(const json::value& v, Applied& a) {
    if (v.is_null()) {
        return {};
    }
    if (!v.is_object()) {
        return unmarshal_error(v, "headers", "map[string]string");
    }
    for (const auto& [k, hv] : v.as_object()) {
        if (!hv.is_string()) {
            return unmarshal_error(hv, "headers", "string");
        }
        a.headers[std::string(k)] = std::string(hv.as_string());
    }
    return {};
}

Status json_trend_stats(const json::value& v, Applied& a) {
    if (v.is_null()) {
        return {};
    }
    if (!v.is_array()) {
        return unmarshal_error(v, "trendStats", "[]string");
    }
    for (const auto& s : v.as_array()) {
        if (!s.is_string()) {
            return unmarshal_error(s, "trendStats", "string");
        }
        a.trend_stats.emplace_back(s.as_string());
    }
    return {};
}

const std::vector<std::pair<std::string, JsonField>>& json_fields() {
    static const std::vector<std::pair<std::string, JsonField>> kFields = {
        {"url", json_string(&Applied::server_url, "url")},
        {"headers", json_headers},
        {"insecureSkipTLSVerify",
         json_bool(&Applied::insecure_skip_tls_verify, "insecureSkipTLSVerify")},
        {"tlsMinVersion", json_string(&Applied::tls_min_version, "tlsMinVersion")},
        {"username", json_string(&Applied::username, "username")},
        {"password", json_string(&Applied::password, "password")},
        {"clientCertificate", json_string(&Applied::client_certificate, "clientCertificate")},
        {"clientCertificateKey",
         json_string(&Applied::client_certificate_key, "clientCertificateKey")},
        {"bearerToken", json_string(&Applied::bearer_token, "bearerToken")},
        {"pushInterval", json_push_interval},
        {"trendAsNativeHistogram",
         json_bool(&Applied::trend_as_native_histogram, "trendAsNativeHistogram")},
        {"trendStats", json_trend_stats},
        {"staleMarkers", json_bool(&Applied::stale_markers, "staleMarkers")},
        {"sigV4Region", json_string(&Applied::sigv4_region, "sigV4Region")},
        {"sigV4AccessKey", json_string(&Applied::sigv4_access_key, "sigV4AccessKey")},
        {"sigV4SecretKey", json_string(&Applied::sigv4_secret_key, "sigV4SecretKey")},
    };
    return kFields;
}

bool iequal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

AppliedResult parse_json(const std::string& text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec) {
        return fail<Applied>("invalid character in JSON: " + ec.message());
    }
    Applied a;
    if (v.is_null()) {
        return a;
    }
    if (!v.is_object()) {
        return fail<Applied>(std::string("json: cannot unmarshal ") + json_kind(v) +
                             " into Go value of type remotewrite.Config");
    }
    // Go matches JSON keys to fields case-insensitively and ignores unknown keys.
    for (const auto& [key, value] : v.as_object()) {
        for (const auto& [name, parse] : json_fields()) {
            if (iequal(key, name)) {
                if (auto status = parse(value, a); !status) {
                    return fail<Applied>(status.error());
                }
                break;
            }
        }
    }
    return a;
}

bool blank(const std::optional<std::string>& s) {
    return !s ||
           std::all_of(s->begin(), s->end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

} // namespace

boost::system::result<RemoteWriteConfig, std::string>
consolidate_remote_write_config(const std::string* json, const Environment& env) {
    RemoteWriteConfig c;
    if (json != nullptr) {
        auto a = parse_json(*json);
        if (!a) {
            return fail<RemoteWriteConfig>("parse JSON options failed: " + a.error());
        }
        apply(c, std::move(*a));
    }
    if (!env.empty()) {
        auto a = parse_env(env);
        if (!a) {
            return fail<RemoteWriteConfig>("parse environment variables options failed: " +
                                           a.error());
        }
        apply(c, std::move(*a));
    }
    return c;
}

bool sigv4_partially_configured(const RemoteWriteConfig& c) {
    int set = (blank(c.sigv4_region) ? 0 : 1) + (blank(c.sigv4_access_key) ? 0 : 1) +
              (blank(c.sigv4_secret_key) ? 0 : 1);
    return set != 0 && set != 3;
}

} // namespace volley::output
