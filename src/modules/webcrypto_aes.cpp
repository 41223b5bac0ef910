#include "modules/webcrypto_aes.hpp"

#include <cmath>
#include <memory>

#include <openssl/evp.h>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/bytes_arg.hpp"
#include "modules/digest.hpp"
#include "modules/webcrypto_error.hpp"
#include "modules/webcrypto_jwk.hpp"
#include "util/go_base64.hpp"

namespace volley::modules {
namespace {

constexpr std::size_t kBlock = 16;

struct CtxDeleter {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

const EVP_CIPHER* cipher_for(const std::string& mode, std::size_t key_bytes) {
    if (mode == "AES-CBC") {
        return key_bytes == 16   ? EVP_aes_128_cbc()
               : key_bytes == 24 ? EVP_aes_192_cbc()
                                 : EVP_aes_256_cbc();
    }
    if (mode == "AES-CTR") {
        return key_bytes == 16   ? EVP_aes_128_ctr()
               : key_bytes == 24 ? EVP_aes_192_ctr()
                                 : EVP_aes_256_ctr();
    }
    return key_bytes == 16   ? EVP_aes_128_gcm()
           : key_bytes == 24 ? EVP_aes_192_gcm()
                             : EVP_aes_256_gcm();
}

const unsigned char* bytes(const std::string& s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

unsigned char* bytes(std::string& s) {
    return reinterpret_cast<unsigned char*>(s.data());
}

// One pass of a cipher without padding (CBC's padding is k6's own, done by the caller).
std::string run_cipher(const std::string& mode, const CryptoKeyData& key, const std::string& iv,
                       const std::string& in, bool encrypt, const char* failure) {
    CipherCtx c(EVP_CIPHER_CTX_new());
    std::string out(in.size() + kBlock, '\0');
    int n = 0;
    int tail = 0;
    if (!c ||
        EVP_CipherInit_ex(c.get(), cipher_for(mode, key.secret.size()), nullptr, bytes(key.secret),
                          bytes(iv), encrypt ? 1 : 0) != 1 ||
        EVP_CIPHER_CTX_set_padding(c.get(), 0) != 1 ||
        EVP_CipherUpdate(c.get(), bytes(out), &n, bytes(in), static_cast<int>(in.size())) != 1 ||
        EVP_CipherFinal_ex(c.get(), bytes(out) + n, &tail) != 1) {
        throw WebCryptoError("OperationError", failure);
    }
    out.resize(static_cast<std::size_t>(n) + static_cast<std::size_t>(tail));
    return out;
}

std::string gcm(const AesParams& p, const CryptoKeyData& key, const std::string& in, bool encrypt) {
    const auto tag_bytes = static_cast<std::size_t>(p.tag_length == 0 ? 128 : p.tag_length) / 8;
    std::string data = in;
    std::string tag;
    if (!encrypt) {
        tag = data.substr(data.size() - tag_bytes);
        data.resize(data.size() - tag_bytes);
    }
    CipherCtx c(EVP_CIPHER_CTX_new());
    std::string out(data.size() + kBlock, '\0');
    int n = 0;
    int tail = 0;
    int ignored = 0;
    const bool ok =
        c &&
        EVP_CipherInit_ex(c.get(), cipher_for("AES-GCM", key.secret.size()), nullptr, nullptr,
                          nullptr, encrypt ? 1 : 0) == 1 &&
        EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(p.iv.size()),
                            nullptr) == 1 &&
        EVP_CipherInit_ex(c.get(), nullptr, nullptr, bytes(key.secret), bytes(p.iv), -1) == 1 &&
        (p.additional_data.empty() ||
         EVP_CipherUpdate(c.get(), nullptr, &ignored, bytes(p.additional_data),
                          static_cast<int>(p.additional_data.size())) == 1) &&
        EVP_CipherUpdate(c.get(), bytes(out), &n, bytes(data), static_cast<int>(data.size())) ==
            1 &&
        (encrypt || EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag.size()),
                                        bytes(tag)) == 1) &&
        EVP_CipherFinal_ex(c.get(), bytes(out) + n, &tail) == 1;
    if (!ok) {
        throw WebCryptoError("OperationError",
                             encrypt ? "could not create cipher" : "could not decrypt ciphertext");
    }
    out.resize(static_cast<std::size_t>(n) + static_cast<std::size_t>(tail));
    if (encrypt) {
        tag.assign(tag_bytes, '\0');
        if (EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_bytes),
                                bytes(tag)) != 1) {
            throw WebCryptoError("OperationError", "could not create cipher");
        }
        out += tag;
    }
    return out;
}

std::int64_t to_integer(JSContext* ctx, JSValueConst v) {
    double d = 0;
    if (JS_ToFloat64(ctx, &d, v) < 0) {
        throw js::PendingException{};
    }
    return std::isnan(d) ? 0 : static_cast<std::int64_t>(std::clamp(d, -9.2e18, 9.2e18));
}

// A []byte field as Sobek's ExportTo fills it: typed arrays and ArrayBuffers give their bytes, a
// string its UTF-8; anything else cannot be interpreted.
std::string bytes_field(JSContext* ctx, JSValueConst params, const char* name, bool* present) {
    js::Value v(ctx, JS_GetPropertyStr(ctx, params, name));
    if (present != nullptr) {
        *present = !js::is_nullish(v.get());
    }
    if (js::is_nullish(v.get())) {
        return {};
    }
    if (JS_IsString(v.get())) {
        return go_string_arg(ctx, v.get());
    }
    try {
        return to_bytes(ctx, v.get());
    } catch (const js::Error&) {
        throw WebCryptoError("SyntaxError", "invalid algorithm parameters, unable to interpret as "
                                            "\"\" object");
    }
}

// GCM tag lengths in bits (0: the default, 128): the ones k6 takes, and the two it refuses
// with their own messages.
bool is_valid_tag(std::int64_t bits) {
    return bits == 0 || bits == 96 || bits == 104 || bits == 112 || bits == 120 || bits == 128;
}

bool is_short_tag(std::int64_t bits) {
    return bits == 32 || bits == 64;
}

void check_import_usages(const std::vector<std::string>& usages) {
    for (const auto& u : usages) {
        if (u != "encrypt" && u != "decrypt" && u != "wrapKey" && u != "unwrapKey") {
            throw WebCryptoError("SyntaxError", "invalid key usage: " + u);
        }
    }
}

} // namespace

bool is_aes_algorithm(const std::string& algorithm) {
    return algorithm == "AES-CBC" || algorithm == "AES-CTR" || algorithm == "AES-GCM" ||
           algorithm == "AES-KW";
}

CryptoKeyData aes_import_key(JSContext* ctx, const std::string& algorithm,
                             const std::string& format, JSValueConst key_data, std::string raw,
                             const std::vector<std::string>& usages) {
    check_import_usages(usages);
    if (format != "raw" && format != "jwk") {
        throw WebCryptoError("NotSupportedError", "unsupported key format " + format);
    }
    if (format == "jwk") {
        raw = symmetric_jwk_bytes(ctx, key_data);
    }
    if (raw.size() != 16 && raw.size() != 24 && raw.size() != 32) {
        throw WebCryptoError("DataError",
                             "invalid key length " + std::to_string(raw.size()) + " bytes");
    }
    CryptoKeyData key;
    key.algorithm = algorithm;
    key.length = static_cast<std::int64_t>(raw.size()) * 8;
    key.secret = std::move(raw);
    return key;
}

CryptoKeyData aes_generate_key(JSContext* ctx, const Algorithm& algorithm,
                               const std::vector<std::string>& usages) {
    js::Value length(ctx, JS_GetPropertyStr(ctx, algorithm.params.get(), "length"));
    if (js::is_nullish(length.get())) {
        throw WebCryptoError("SyntaxError", "could not get length from algorithm parameter");
    }
    const std::int64_t bits = to_integer(ctx, length.get());
    for (const auto& u : usages) {
        const bool wrap = u == "wrapKey" || u == "unwrapKey";
        const bool crypt = (u == "encrypt" || u == "decrypt") && algorithm.name != "AES-KW";
        if (!wrap && !crypt) {
            throw WebCryptoError("SyntaxError", "invalid key usage");
        }
    }
    if (bits != 128 && bits != 192 && bits != 256) {
        throw WebCryptoError("OperationError", "invalid key length");
    }
    CryptoKeyData key;
    key.algorithm = algorithm.name;
    key.length = bits;
    key.secret = random_bytes(static_cast<std::size_t>(bits / 8));
    return key;
}

JSValue aes_export_key(JSContext* ctx, const CryptoKeyData& key, const std::string& format) {
    if (format == "raw") {
        return new_array_buffer(ctx, key.secret);
    }
    if (format != "jwk") {
        throw WebCryptoError("NotSupportedError", "unsupported key format " + format);
    }
    return symmetric_jwk(ctx, key,
                         "A" + std::to_string(key.secret.size() * 8) + key.algorithm.substr(4));
}

AesParams aes_params(JSContext* ctx, const Algorithm& algorithm) {
    AesParams p;
    p.name = algorithm.name;
    JSValueConst o = algorithm.params.get();
    if (p.name == "AES-CTR") {
        p.counter = bytes_field(ctx, o, "counter", nullptr);
        js::Value length(ctx, JS_GetPropertyStr(ctx, o, "length"));
        p.length = js::is_nullish(length.get()) ? 0 : to_integer(ctx, length.get());
    } else {
        p.iv = bytes_field(ctx, o, "iv", nullptr);
    }
    if (p.name == "AES-GCM") {
        p.additional_data = bytes_field(ctx, o, "additionalData", &p.has_additional);
        js::Value tag(ctx, JS_GetPropertyStr(ctx, o, "tagLength"));
        p.tag_length = js::is_nullish(tag.get()) ? 0 : to_integer(ctx, tag.get());
    }
    return p;
}

std::string aes_encrypt(const AesParams& p, const CryptoKeyData& key,
                        const std::string& plaintext) {
    if (p.name == "AES-CBC") {
        if (p.iv.size() != kBlock) {
            throw WebCryptoError("OperationError", "iv length is not 16 bytes");
        }
        if (plaintext.empty()) {
            throw WebCryptoError("OperationError", "could not pad plaintext");
        }
        const std::size_t pad = kBlock - plaintext.size() % kBlock;
        return run_cipher(p.name, key, p.iv, plaintext + std::string(pad, static_cast<char>(pad)),
                          true, "could not create cipher");
    }
    if (p.name == "AES-CTR") {
        if (p.counter.size() != kBlock) {
            throw WebCryptoError("OperationError", "counter length is not 16 bytes");
        }
        if (p.length <= 0 || p.length > 128) {
            throw WebCryptoError("OperationError",
                                 "invalid counter length, out of the 0 < x < 128 bounds");
        }
        return run_cipher(p.name, key, p.counter, plaintext, true, "could not create cipher");
    }
    if (p.iv.size() != 12) {
        throw WebCryptoError("NotSupportedError", "only 12 bytes long iv are supported");
    }
    if (is_short_tag(p.tag_length)) {
        throw WebCryptoError("NotSupportedError", "tag length 32 and 64 are not supported");
    }
    if (!is_valid_tag(p.tag_length)) {
        throw WebCryptoError("OperationError",
                             "invalid tag length, should be one of 96, 104, 112, 120, 128");
    }
    return gcm(p, key, plaintext, true);
}

std::string aes_decrypt(const AesParams& p, const CryptoKeyData& key,
                        const std::string& ciphertext) {
    if (p.name == "AES-CBC") {
        if (p.iv.size() != kBlock) {
            throw WebCryptoError("OperationError", "iv length is invalid, should be 16 bytes");
        }
        std::string padded =
            run_cipher(p.name, key, p.iv, ciphertext, false, "could not create AES cipher");
        const std::size_t pad = padded.empty() ? 0 : static_cast<unsigned char>(padded.back());
        if (pad == 0 || pad > kBlock || padded.size() < pad ||
            padded.compare(padded.size() - pad, pad, std::string(pad, static_cast<char>(pad))) !=
                0) {
            throw WebCryptoError("OperationError", "invalid padding");
        }
        padded.resize(padded.size() - pad);
        return padded;
    }
    if (p.name == "AES-CTR") {
        if (p.counter.size() != kBlock) {
            throw WebCryptoError("OperationError", "counter length is invalid, should be 16 bytes");
        }
        if (p.length <= 0 || p.length > 128) {
            throw WebCryptoError("OperationError",
                                 "invalid length, should be within 1 <= length <= 128 bounds");
        }
        return run_cipher(p.name, key, p.counter, ciphertext, false, "could not create AES cipher");
    }
    if (is_short_tag(p.tag_length)) {
        throw WebCryptoError("OperationError",
                             "invalid tag length, should be within 96 <= length <= 128 bounds");
    }
    if (!is_valid_tag(p.tag_length)) {
        throw WebCryptoError("OperationError",
                             "invalid tag length, accepted values are 96, 104, 112, 120, 128");
    }
    if (ciphertext.size() * 8 < static_cast<std::size_t>(p.tag_length == 0 ? 128 : p.tag_length)) {
        throw WebCryptoError("OperationError", "ciphertext is too short");
    }
    if (p.iv.empty()) {
        throw WebCryptoError("OperationError", "iv length is too long");
    }
    return gcm(p, key, ciphertext, false);
}

} // namespace volley::modules
