#pragma once

// TLS client configuration for wss:// (k6-behaviour.md §1.5): k6's insecureSkipTLSVerify, tlsAuth,
// tlsVersion and tlsCipherSuites over OpenSSL, ALPN forced to http/1.1, and Go-like error texts.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <openssl/ssl.h>

namespace volley::net {

enum class TlsVersion { kDefault, kTls10, kTls11, kTls12, kTls13 };

// One tlsAuth entry: a client certificate offered to hosts listed in `domains`.
struct ClientCert {
    std::vector<std::string> domains; // exact host names; empty = every host
    std::string cert_pem;             // PEM certificate (chain)
    std::string key_pem;              // PEM private key
    std::string password;             // for an encrypted key, else empty
};

struct TlsOptions {
    bool insecure_skip_verify = false; // k6 insecureSkipTLSVerify
    TlsVersion min_version = TlsVersion::kDefault;
    TlsVersion max_version = TlsVersion::kDefault;
    std::vector<std::string> cipher_suites; // IANA/Go names (TLS_ECDHE_RSA_WITH_...); TLS ≤ 1.2
    std::vector<ClientCert> client_certs;   // k6 tlsAuth
    std::string extra_ca_pem;               // roots trusted besides the system's (tests)
};

// An immutable, shareable TLS client configuration (an OpenSSL SSL_CTX). Build one per distinct
// option set, before the VUs start; afterwards any thread may use it concurrently (OpenSSL
// allows SSL_new on a configured context from many threads). Must outlive its connections.
class TlsConfig {
public:
    // Fails with a message naming the bad option (unknown cipher suite, unreadable PEM, ...).
    static boost::system::result<std::unique_ptr<TlsConfig>, std::string>
    make(const TlsOptions& options);

    // The configuration used when a connection names none: verification on, system roots.
    // Thread-safe, created on first use, lives until exit.
    static const TlsConfig& default_config();

    boost::asio::ssl::context& context() const { return *ctx_; }
    bool verify() const { return verify_; }

    // Prepares a new SSL object for `host`: SNI (unless an IP literal, as Go), host name or IP
    // verification, ALPN http/1.1, the tlsAuth certificate matching `host`. False on failure.
    // The first call loads the system trust store into the context (once, thread-safe): a
    // test that only uses ws:// never pays for reading it.
    bool prepare(SSL* ssl, const std::string& host, bool host_is_ip) const;

private:
    TlsConfig() = default;
    struct Identity; // a parsed tlsAuth entry
    struct IdentityDeleter {
        void operator()(Identity* id) const;
    };
    std::unique_ptr<boost::asio::ssl::context> ctx_;
    std::vector<std::unique_ptr<Identity, IdentityDeleter>> identities_;
    bool verify_ = true;
    mutable std::once_flag roots_loaded_; // SSL_CTX_set_default_verify_paths, on first prepare()
};

// k6's tls_version of an established connection: "tls1.0" ... "tls1.3" (Go's names, as k6's
// netext prints them).
std::string tls_version_name(SSL* ssl);

// The cipher suite's IANA name, as Go's tls.CipherSuiteName prints it (TLS_AES_128_GCM_SHA256).
std::string tls_cipher_name(SSL* ssl);

// Go-like text for a failed TLS handshake on `ssl`, e.g.
// `tls: failed to verify certificate: x509: certificate signed by unknown authority`.
std::string tls_error_text(SSL* ssl, const boost::system::error_code& ec);

} // namespace volley::net
