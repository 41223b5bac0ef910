#include "modules/digest.hpp"

// MD4 exists only as a deprecated low-level API in OpenSSL 3 (see the header).
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

#include <openssl/evp.h>
#include <openssl/md4.h>
#include <openssl/rand.h>

#include "util/go_base64.hpp"

namespace volley::modules {
namespace {

struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

[[noreturn]] void openssl_failed(const char* what) {
    throw std::runtime_error(std::string("openssl: ") + what + " failed");
}

class EvpDigest final : public Digest {
public:
    explicit EvpDigest(const EVP_MD* md) : md_(md), ctx_(EVP_MD_CTX_new()) {
        if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), md_, nullptr) != 1) {
            openssl_failed("EVP_DigestInit_ex");
        }
    }
    std::unique_ptr<Digest> fresh() const override { return std::make_unique<EvpDigest>(md_); }
    void update(std::string_view bytes) override {
        if (EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size()) != 1) {
            openssl_failed("EVP_DigestUpdate");
        }
    }
    std::string sum() const override {
        MdCtx copy(EVP_MD_CTX_new());
        std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
        unsigned int n = 0;
        if (!copy || EVP_MD_CTX_copy_ex(copy.get(), ctx_.get()) != 1 ||
            EVP_DigestFinal_ex(copy.get(), out.data(), &n) != 1) {
            openssl_failed("EVP_DigestFinal_ex");
        }
        return {reinterpret_cast<const char*>(out.data()), n};
    }
    std::size_t block_size() const override {
        return static_cast<std::size_t>(EVP_MD_get_block_size(md_));
    }

private:
    const EVP_MD* md_;
    MdCtx ctx_;
};

class Md4Digest final : public Digest {
public:
    Md4Digest() { MD4_Init(&ctx_); }
    std::unique_ptr<Digest> fresh() const override { return std::make_unique<Md4Digest>(); }
    void update(std::string_view bytes) override { MD4_Update(&ctx_, bytes.data(), bytes.size()); }
    std::string sum() const override {
        MD4_CTX copy = ctx_;
        std::array<unsigned char, MD4_DIGEST_LENGTH> out{};
        MD4_Final(out.data(), &copy);
        return {reinterpret_cast<const char*>(out.data()), out.size()};
    }
    std::size_t block_size() const override { return MD4_CBLOCK; }

private:
    MD4_CTX ctx_{};
};

class HmacDigest final : public Digest {
public:
    HmacDigest(std::unique_ptr<Digest> hash, std::string_view key) : inner_(std::move(hash)) {
        std::string k(key);
        std::size_t block = inner_->block_size();
        if (k.size() > block) {
            k = digest_of(*inner_->fresh(), k);
        }
        k.resize(block, '\0');
        ipad_ = k;
        opad_ = k;
        for (std::size_t i = 0; i < block; ++i) {
            ipad_[i] = static_cast<char>(ipad_[i] ^ 0x36);
            opad_[i] = static_cast<char>(opad_[i] ^ 0x5c);
        }
        inner_->update(ipad_);
    }
    std::unique_ptr<Digest> fresh() const override {
        // ipad_ ^ 0x36 is the key padded to a block (hashed first if it was longer): as a key,
        // it gives the same pads again.
        std::string key = ipad_;
        for (char& c : key) {
            c = static_cast<char>(c ^ 0x36);
        }
        return std::make_unique<HmacDigest>(inner_->fresh(), key);
    }
    void update(std::string_view bytes) override { inner_->update(bytes); }
    std::string sum() const override {
        auto outer = inner_->fresh();
        outer->update(opad_);
        outer->update(inner_->sum());
        return outer->sum();
    }
    std::size_t block_size() const override { return inner_->block_size(); }

private:
    std::unique_ptr<Digest> inner_;
    std::string ipad_;
    std::string opad_;
};

const EVP_MD* evp_by_k6_name(std::string_view name) {
    struct Entry {
        std::string_view k6;
        const char* openssl;
    };
    static constexpr Entry kNames[] = {
        {"md5", "MD5"},
        {"sha1", "SHA1"},
        {"sha256", "SHA256"},
        {"sha384", "SHA384"},
        {"sha512", "SHA512"},
        {"sha512_224", "SHA512-224"},
        {"sha512_256", "SHA512-256"},
        {"ripemd160", "RIPEMD160"},
    };
    for (const auto& e : kNames) {
        if (e.k6 == name) {
            const EVP_MD* md = EVP_get_digestbyname(e.openssl);
            if (md == nullptr) {
                openssl_failed(e.openssl);
            }
            return md;
        }
    }
    return nullptr;
}

} // namespace

std::unique_ptr<Digest> Digest::create(std::string_view k6_name) {
    if (k6_name == "md4") {
        return std::make_unique<Md4Digest>();
    }
    const EVP_MD* md = evp_by_k6_name(k6_name);
    return md == nullptr ? nullptr : std::make_unique<EvpDigest>(md);
}

std::unique_ptr<Digest> make_hmac(std::unique_ptr<Digest> hash, std::string_view key) {
    return std::make_unique<HmacDigest>(std::move(hash), key);
}

std::string digest_of(Digest& fresh_digest, std::string_view bytes) {
    fresh_digest.update(bytes);
    return fresh_digest.sum();
}

std::string random_uuid() {
    std::string b = random_bytes(16);
    b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
    std::string hex = hex_encode(b);
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' +
           hex.substr(16, 4) + '-' + hex.substr(20);
}

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    constexpr std::size_t kChunk = 1U << 30; // RAND_bytes takes an int
    for (std::size_t i = 0; i < n; i += kChunk) {
        std::size_t len = std::min(kChunk, n - i);
        if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data() + i), static_cast<int>(len)) !=
            1) {
            openssl_failed("RAND_bytes");
        }
    }
    return out;
}

} // namespace volley::modules
