#pragma once

// Running hashes and HMACs for k6/crypto and crypto.subtle, on OpenSSL. No JS: pure C++, used on
// the VU's thread (an object is not shared).
//
// A Digest behaves as Go's hash.Hash does in k6: update() any number of times, and sum() gives
// the hash of everything so far without resetting it (Go's Sum(nil)), so a k6 Hasher can be
// digested, updated and digested again. MD4 is not in OpenSSL 3's default provider (only in the
// legacy one, not loaded by default), so it uses libcrypto's low-level MD4 functions, which work
// without any provider; every other algorithm goes through EVP. HMAC is computed here over any
// Digest (RFC 2104), so HMAC-MD4 works too.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace volley::modules {

class Digest {
public:
    virtual ~Digest() = default;

    // The digest named as k6/crypto names them ("md4", "md5", "sha1", "sha256", "sha384",
    // "sha512", "sha512_224", "sha512_256", "ripemd160"); nullptr for any other name.
    static std::unique_ptr<Digest> create(std::string_view k6_name);

    // A digest of the same algorithm with nothing hashed yet.
    virtual std::unique_ptr<Digest> fresh() const = 0;
    virtual void update(std::string_view bytes) = 0;
    // The hash of every byte given so far; the digest stays usable.
    virtual std::string sum() const = 0;
    // The algorithm's block size in bytes (for HMAC).
    virtual std::size_t block_size() const = 0;
};

// HMAC over `hash` (taken) with `key`: a Digest whose sum() is the MAC of the bytes given.
std::unique_ptr<Digest> make_hmac(std::unique_ptr<Digest> hash, std::string_view key);

// One-shot helpers.
std::string digest_of(Digest& fresh_digest, std::string_view bytes);

// `n` cryptographically strong random bytes (OpenSSL's RAND_bytes); throws std::runtime_error if
// the generator fails.
std::string random_bytes(std::size_t n);
// An RFC 4122 version 4 UUID from random_bytes (Go's uuid.NewString()).
std::string random_uuid();

} // namespace volley::modules
