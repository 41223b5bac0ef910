#include "app/tls_options.hpp"

#include <boost/json.hpp>

#include "util/error.hpp"

namespace volley::app {
namespace {

namespace json = boost::json;

[[noreturn]] void bad(const std::string& what, const std::string& hint) {
    throw UserError("invalid option " + what, hint, ExitCode::kInvalidConfig);
}

net::TlsVersion version(const json::value& v, const std::string& path) {
    static const std::pair<const char*, net::TlsVersion> kNames[] = {
        {"tls1.0", net::TlsVersion::kTls10},
        {"tls1.1", net::TlsVersion::kTls11},
        {"tls1.2", net::TlsVersion::kTls12},
        {"tls1.3", net::TlsVersion::kTls13}};
    if (v.is_string()) {
        for (const auto& [name, ver] : kNames) {
            if (v.as_string() == name) {
                return ver;
            }
        }
    }
    bad(path + ": " + json::serialize(v), "use tls1.0, tls1.1, tls1.2 or tls1.3");
}

void parse_version(const json::value& v, net::TlsOptions& out) {
    if (v.is_null()) {
        return;
    }
    if (v.is_object()) {
        const auto& o = v.as_object();
        if (o.contains("min")) {
            out.min_version = version(o.at("min"), "tlsVersion.min");
        }
        if (o.contains("max")) {
            out.max_version = version(o.at("max"), "tlsVersion.max");
        }
        return;
    }
    out.min_version = out.max_version = version(v, "tlsVersion");
}

std::string string_field(const json::object& o, const char* key, const std::string& path) {
    if (!o.contains(key)) {
        return {};
    }
    if (!o.at(key).is_string()) {
        bad(path + "." + key + ": expected a string", "give the PEM text, e.g. open('cert.pem')");
    }
    return std::string(o.at(key).as_string());
}

void parse_auth(const json::value& v, net::TlsOptions& out) {
    if (v.is_null()) {
        return;
    }
    if (!v.is_array()) {
        bad("tlsAuth: expected an array", "tlsAuth: [{ domains: [...], cert, key }]");
    }
    for (std::size_t i = 0; i < v.as_array().size(); ++i) {
        std::string path = "tlsAuth[" + std::to_string(i) + "]";
        const auto& item = v.as_array()[i];
        if (!item.is_object()) {
            bad(path + ": expected an object", "tlsAuth: [{ domains: [...], cert, key }]");
        }
        const auto& o = item.as_object();
        net::ClientCert cert;
        if (o.contains("domains") && o.at("domains").is_array()) {
            for (const auto& d : o.at("domains").as_array()) {
                if (d.is_string()) {
                    cert.domains.emplace_back(d.as_string());
                }
            }
        }
        cert.cert_pem = string_field(o, "cert", path);
        cert.key_pem = string_field(o, "key", path);
        cert.password = string_field(o, "password", path);
        out.client_certs.push_back(std::move(cert));
    }
}

} // namespace

net::TlsOptions tls_options(const config::RunOptions& options) {
    net::TlsOptions out;
    out.insecure_skip_verify = options.insecure_skip_tls_verify;
    parse_version(options.tls_version, out);
    if (options.tls_cipher_suites.is_array()) {
        for (const auto& c : options.tls_cipher_suites.as_array()) {
            if (!c.is_string()) {
                bad("tlsCipherSuites: expected names",
                    "e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
            }
            out.cipher_suites.emplace_back(c.as_string());
        }
    } else if (!options.tls_cipher_suites.is_null()) {
        bad("tlsCipherSuites: expected an array", "e.g. ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']");
    }
    parse_auth(options.tls_auth, out);
    return out;
}

} // namespace volley::app
