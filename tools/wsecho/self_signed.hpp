#pragma once

// An in-memory self-signed certificate for the echo server's TLS listener.

#include <string>

namespace volley::wsecho {

struct CertificatePem {
    std::string cert; // PEM certificate (also the CA a client must trust)
    std::string key;  // PEM private key
};

// Generates a P-256 key and a self-signed certificate valid for one year, with subject
// alternative names DNS:localhost, IP:127.0.0.1 and IP:::1. Throws std::runtime_error if OpenSSL
// fails (a broken installation). Any thread.
CertificatePem make_self_signed_certificate();

} // namespace volley::wsecho
