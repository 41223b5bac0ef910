#include "net/tls.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace volley::net {

namespace ssl = boost::asio::ssl;

struct TlsConfig::Identity {
    std::vector<std::string> domains;
    X509* cert = nullptr;
    STACK_OF(X509) * chain = nullptr;
    EVP_PKEY* key = nullptr;
};

void TlsConfig::IdentityDeleter::operator()(Identity* id) const {
    X509_free(id->cert);
    sk_X509_pop_free(id->chain, X509_free);
    EVP_PKEY_free(id->key);
    delete id;
}

namespace {

int version_number(TlsVersion v) {
    switch (v) {
    case TlsVersion::kTls10:
        return TLS1_VERSION;
    case TlsVersion::kTls11:
        return TLS1_1_VERSION;
    case TlsVersion::kTls12:
        return TLS1_2_VERSION;
    case TlsVersion::kTls13:
        return TLS1_3_VERSION;
    case TlsVersion::kDefault:
        break;
    }
    return 0;
}

using Error = boost::system::result<void, std::string>;

// Maps Go/IANA suite names to OpenSSL's names through SSL_CIPHER_standard_name.
Error set_cipher_suites(SSL_CTX* ctx, const std::vector<std::string>& names) {
    if (names.empty()) {
        return {};
    }
    SSL_CTX_set_security_level(ctx, 0); // k6 allows old suites when asked for them explicitly
    SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
    STACK_OF(SSL_CIPHER)* all = SSL_CTX_get_ciphers(ctx);
    std::string list;
    for (const auto& name : names) {
        const SSL_CIPHER* found = nullptr;
        for (int i = 0; i < sk_SSL_CIPHER_num(all) && found == nullptr; ++i) {
            const SSL_CIPHER* c = sk_SSL_CIPHER_value(all, i);
            if (name == SSL_CIPHER_standard_name(c)) {
                found = c;
            }
        }
        if (found == nullptr) {
            return fmt::format("unknown TLS cipher suite {}", name);
        }
        if (std::string_view(SSL_CIPHER_get_version(found)) == "TLSv1.3") {
            continue; // Go ignores the setting for TLS 1.3 suites
        }
        list += (list.empty() ? "" : ":") + std::string(SSL_CIPHER_get_name(found));
    }
    if (!list.empty() && SSL_CTX_set_cipher_list(ctx, list.c_str()) != 1) {
        return fmt::format("unusable TLS cipher suites: {}", list);
    }
    return {};
}

Error add_ca(SSL_CTX* ctx, const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    int added = 0;
    while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
        X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), cert);
        X509_free(cert);
        ++added;
    }
    BIO_free(bio);
    ERR_clear_error();
    if (added == 0) {
        return std::string("no certificate found in the extra CA PEM");
    }
    return {};
}

int password_cb(char* buf, int size, int, void* user) {
    const auto* pw = static_cast<const std::string*>(user);
    int n = std::min<int>(size, static_cast<int>(pw->size()));
    std::copy_n(pw->data(), n, buf);
    return n;
}

} // namespace

boost::system::result<std::unique_ptr<TlsConfig>, std::string>
TlsConfig::make(const TlsOptions& options) {
    std::unique_ptr<TlsConfig> cfg(new TlsConfig());
    cfg->ctx_ = std::make_unique<ssl::context>(ssl::context::tls_client);
    SSL_CTX* ctx = cfg->ctx_->native_handle();
    cfg->verify_ = !options.insecure_skip_verify;
    SSL_CTX_set_verify(ctx, cfg->verify_ ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS); // idle connections keep no record buffers
    if (int v = version_number(options.min_version); v != 0) {
        SSL_CTX_set_min_proto_version(ctx, v);
        if (v < TLS1_2_VERSION) {
            SSL_CTX_set_security_level(ctx, 0);
        }
    }
    if (int v = version_number(options.max_version); v != 0) {
        SSL_CTX_set_max_proto_version(ctx, v);
    }
    if (auto r = set_cipher_suites(ctx, options.cipher_suites); !r) {
        return r.error();
    }
    if (!options.extra_ca_pem.empty()) {
        if (auto r = add_ca(ctx, options.extra_ca_pem); !r) {
            return r.error();
        }
    }
    for (const auto& cc : options.client_certs) {
        std::unique_ptr<Identity, IdentityDeleter> id(new Identity{cc.domains});
        BIO* bio = BIO_new_mem_buf(cc.cert_pem.data(), static_cast<int>(cc.cert_pem.size()));
        id->cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
        id->chain = sk_X509_new_null();
        while (X509* extra = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
            sk_X509_push(id->chain, extra);
        }
        BIO_free(bio);
        bio = BIO_new_mem_buf(cc.key_pem.data(), static_cast<int>(cc.key_pem.size()));
        id->key = PEM_read_bio_PrivateKey(bio, nullptr, password_cb,
                                          const_cast<std::string*>(&cc.password));
        BIO_free(bio);
        ERR_clear_error();
        if (id->cert == nullptr || id->key == nullptr) {
            return std::string("tlsAuth: could not parse the certificate or the key");
        }
        cfg->identities_.push_back(std::move(id));
    }
    return cfg;
}

const TlsConfig& TlsConfig::default_config() {
    static const std::unique_ptr<TlsConfig> kDefault = [] {
        auto r = make(TlsOptions{});
        return r ? std::move(*r) : nullptr;
    }();
    return *kDefault;
}

bool TlsConfig::prepare(SSL* ssl, const std::string& host, bool host_is_ip) const {
    // Loading the system roots costs tens of ms (≈ 1 % of a 10 s ws:// churn run when done up
    // front); the X509_STORE is shared by reference, so loading it before the first handshake
    // is enough for every SSL object of this context, including ones created earlier.
    std::call_once(roots_loaded_,
                   [this] { SSL_CTX_set_default_verify_paths(ctx_->native_handle()); });
    // SSL_set_tlsext_host_name without its old-style cast.
    if (!host_is_ip && SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                                const_cast<char*>(host.c_str())) != 1) {
        return false;
    }
    if (verify_) {
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
        int ok = host_is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                            : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
        if (ok != 1) {
            return false;
        }
    }
    static const unsigned char kAlpn[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
    SSL_set_alpn_protos(ssl, kAlpn, sizeof kAlpn);
    for (const auto& id : identities_) {
        bool match = id->domains.empty() ||
                     std::find(id->domains.begin(), id->domains.end(), host) != id->domains.end();
        if (match) {
            SSL_use_certificate(ssl, id->cert);
            SSL_use_PrivateKey(ssl, id->key);
            for (int i = 0; i < sk_X509_num(id->chain); ++i) {
                SSL_add1_chain_cert(ssl, sk_X509_value(id->chain, i));
            }
            break;
        }
    }
    return true;
}

namespace {

std::string verify_error_text(long result) {
    switch (result) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return "x509: certificate signed by unknown authority";
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return "x509: certificate is not valid for the requested host name";
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return "x509: certificate has expired or is not yet valid";
    default:
        return std::string("x509: ") + X509_verify_cert_error_string(result);
    }
}

} // namespace

std::string tls_version_name(SSL* ssl) {
    switch (SSL_version(ssl)) {
    case TLS1_VERSION:
        return "tls1.0";
    case TLS1_1_VERSION:
        return "tls1.1";
    case TLS1_2_VERSION:
        return "tls1.2";
    case TLS1_3_VERSION:
        return "tls1.3";
    default:
        return {};
    }
}

std::string tls_cipher_name(SSL* ssl) {
    const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
    const char* name = cipher != nullptr ? SSL_CIPHER_standard_name(cipher) : nullptr;
    return name != nullptr ? name : "";
}

std::string tls_error_text(SSL* ssl, const boost::system::error_code& ec) {
    if (ssl != nullptr) {
        long result = SSL_get_verify_result(ssl);
        if (result != X509_V_OK) {
            return "tls: failed to verify certificate: " + verify_error_text(result);
        }
    }
    if (ec.category() == boost::asio::error::get_ssl_category()) {
        const char* reason = ERR_reason_error_string(static_cast<unsigned long>(ec.value()));
        std::string text = reason != nullptr ? reason : ec.message();
        if (text.rfind("sslv3 alert ", 0) == 0 || text.rfind("tlsv1 alert ", 0) == 0) {
            return "remote error: tls: " + text.substr(12); // Go's wording for a peer alert
        }
        return "tls: " + text;
    }
    if (ec == boost::asio::error::eof || ec == boost::asio::ssl::error::stream_truncated) {
        return "EOF";
    }
    return "tls: " + ec.message();
}

} // namespace volley::net
