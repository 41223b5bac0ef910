#include "modules/webcrypto_subtle.hpp"

#include <string>

#include <openssl/crypto.h>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/bytes_arg.hpp"
#include "modules/webcrypto_aes.hpp"
#include "modules/webcrypto_algorithm.hpp"
#include "modules/webcrypto_async.hpp"
#include "modules/webcrypto_digest.hpp"
#include "modules/webcrypto_error.hpp"
#include "modules/webcrypto_hmac.hpp"
#include "modules/webcrypto_key.hpp"

namespace volley::modules {
namespace {

[[noreturn]] void not_implemented(const std::string& algorithm, const char* operation) {
    throw WebCryptoError("NotSupportedError",
                         "volley does not implement " + algorithm + " for " + operation + " yet");
}

// newSignerVerifier: only HMAC is implemented; ECDSA's parameters are checked as k6 does first.
void check_signer(JSContext* ctx, const Algorithm& a, const char* operation) {
    if (a.name == "ECDSA") {
        js::Value hash(ctx, JS_GetPropertyStr(ctx, a.params.get(), "hash"));
        if (js::is_nullish(hash.get())) {
            throw WebCryptoError("SyntaxError", "could not get hash from algorithm parameter");
        }
    }
    if (a.name != "HMAC") {
        not_implemented(a.name, operation);
    }
}

// The key checks of Sign and Verify, in k6's order.
const CryptoKeyData& usable_key(JSContext* ctx, JSValueConst key, const Algorithm& a,
                                const std::string& usage) {
    if (!JS_IsObject(key)) {
        throw WebCryptoError("InvalidAccessError",
                             "key argument does hold not a valid CryptoKey object");
    }
    js::Value algorithm(ctx, JS_GetPropertyStr(ctx, key, "algorithm"));
    if (js::is_nullish(algorithm.get())) {
        throw WebCryptoError("TypeError", "field algorithm is null or undefined");
    }
    js::Value name(ctx, JS_GetPropertyStr(ctx, algorithm.get(), "name"));
    if (js::is_nullish(name.get())) {
        throw WebCryptoError("TypeError", "field algorithm.name is null or undefined");
    }
    const CryptoKeyData* data = crypto_key_data(key);
    if (data == nullptr) {
        throw WebCryptoError("InvalidAccessError",
                             "key argument does hold not a valid CryptoKey object");
    }
    if (a.name != js::to_string_lossy(ctx, name.get())) {
        throw WebCryptoError("InvalidAccessError",
                             "algorithm name does not match key algorithm name");
    }
    if (!data->has_usage(usage)) {
        throw WebCryptoError("InvalidAccessError",
                             "key does not contain the '" + usage + "' usage");
    }
    return *data;
}

JSValue js_digest(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    return settle(
        ctx, [&] { return subtle_digest(ctx, js::arg(argc, argv, 0), js::arg(argc, argv, 1)); });
}

// sign(algorithm, key, data)
JSValue js_sign(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    return settle(ctx, [&] {
        std::string data = export_array_buffer(ctx, js::arg(argc, argv, 2));
        Algorithm a = normalize_algorithm(ctx, js::arg(argc, argv, 0), "sign");
        check_signer(ctx, a, "sign");
        const CryptoKeyData& key = usable_key(ctx, js::arg(argc, argv, 1), a, "sign");
        return new_array_buffer(ctx, hmac_sign(key, data));
    });
}

// verify(algorithm, key, signature, data)
JSValue js_verify(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    return settle(ctx, [&] {
        std::string signature = export_array_buffer(ctx, js::arg(argc, argv, 2));
        std::string data = export_array_buffer(ctx, js::arg(argc, argv, 3));
        Algorithm a = normalize_algorithm(ctx, js::arg(argc, argv, 0), "verify");
        check_signer(ctx, a, "verify");
        const CryptoKeyData& key = usable_key(ctx, js::arg(argc, argv, 1), a, "verify");
        std::string mac = hmac_sign(key, data);
        // Constant time, as Go's hmac.Equal.
        bool same = mac.size() == signature.size() &&
                    CRYPTO_memcmp(mac.data(), signature.data(), mac.size()) == 0;
        return JS_NewBool(ctx, same);
    });
}

void check_secret_usages(const CryptoKeyData& key) {
    if ((key.type == "secret" || key.type == "private") && key.usages.empty()) {
        throw WebCryptoError("SyntaxError",
                             "usages cannot not be empty for a secret or private CryptoKey");
    }
}

// importKey(format, keyData, algorithm, extractable, keyUsages)
JSValue js_import_key(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    return settle(ctx, [&] {
        std::string format = go_string_arg(ctx, js::arg(argc, argv, 0));
        JSValueConst key_data = js::arg(argc, argv, 1);
        std::string raw;
        if (format == "raw" || format == "pkcs8" || format == "spki") {
            raw = export_array_buffer(ctx, key_data);
        } else if (format != "jwk") {
            throw WebCryptoError("ImplementationError", "unsupported format " + format);
        }
        Algorithm a = normalize_algorithm(ctx, js::arg(argc, argv, 2), "importKey");
        CryptoKeyData key;
        std::vector<std::string> usages;
        if (is_aes_algorithm(a.name)) {
            usages = key_usages_arg(ctx, js::arg(argc, argv, 4));
            key = aes_import_key(ctx, a.name, format, key_data, std::move(raw), usages);
        } else if (a.name == "HMAC") {
            HmacParams params = hmac_params(ctx, a);
            usages = key_usages_arg(ctx, js::arg(argc, argv, 4));
            key = hmac_import_key(ctx, format, key_data, std::move(raw), params, usages);
        } else {
            not_implemented(a.name, "importKey");
        }
        key.usages = std::move(usages);
        check_secret_usages(key);
        key.extractable = JS_ToBool(ctx, js::arg(argc, argv, 3)) != 0;
        return new_crypto_key(ctx, std::move(key));
    });
}

// exportKey(format, key)
JSValue js_export_key(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    return settle(ctx, [&] {
        std::string format = go_string_arg(ctx, js::arg(argc, argv, 0));
        JSValueConst key = js::arg(argc, argv, 1);
        if (!JS_IsObject(key)) {
            throw WebCryptoError("InvalidAccessError", "key is not an object");
        }
        const CryptoKeyData* data = crypto_key_data(key);
        if (data == nullptr) {
            throw WebCryptoError("ImplementationError",
                                 "unable to extract CryptoKey from key object");
        }
        js::Value algorithm(ctx, JS_GetPropertyStr(ctx, key, "algorithm"));
        js::Value name(ctx, JS_GetPropertyStr(ctx, algorithm.get(), "name"));
        std::string alg = go_string_arg(ctx, name.get());
        if (!is_registered_algorithm(alg, "exportKey")) {
            throw WebCryptoError("NotSupportedError", "unsupported algorithm " + alg);
        }
        if (!data->extractable) {
            throw WebCryptoError("InvalidAccessError", "the key is not extractable");
        }
        if (is_aes_algorithm(alg) && data->algorithm == alg) {
            return aes_export_key(ctx, *data, format);
        }
        if (alg != "HMAC" || data->algorithm != "HMAC") {
            not_implemented(alg, "exportKey");
        }
        return hmac_export_key(ctx, *data, format);
    });
}

// generateKey(algorithm, extractable, keyUsages)
JSValue js_generate_key(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    return settle(ctx, [&] {
        Algorithm a = normalize_algorithm(ctx, js::arg(argc, argv, 0), "generateKey");
        if (a.name.rfind("SHA-", 0) == 0) {
            throw WebCryptoError("NotImplemented",
                                 "unsupported key generation algorithm '" + a.name +
                                     "', accepted values are: AES-CBC, AES-CTR, AES-GCM, AES-KW, "
                                     "HMAC, ECDH, ECDSA, RSASSA-PKCS1-v1_5, RSA-PSS, RSA-OAEP");
        }
        CryptoKeyData key;
        std::vector<std::string> usages;
        if (is_aes_algorithm(a.name)) {
            usages = key_usages_arg(ctx, js::arg(argc, argv, 2));
            key = aes_generate_key(ctx, a, usages);
        } else if (a.name == "HMAC") {
            HmacParams params = hmac_params(ctx, a);
            usages = key_usages_arg(ctx, js::arg(argc, argv, 2));
            key = hmac_generate_key(params, usages);
        } else {
            not_implemented(a.name, "generateKey");
        }
        key.usages = std::move(usages);
        key.extractable = JS_ToBool(ctx, js::arg(argc, argv, 1)) != 0;
        check_secret_usages(key);
        return new_crypto_key(ctx, std::move(key));
    });
}

// encrypt(algorithm, key, data) and decrypt(...): k6's checks in k6's order (magic 0: encrypt).
JSValue js_crypt(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv, int magic) {
    const bool encrypt = magic == 0;
    const std::string op = encrypt ? "encrypt" : "decrypt";
    return settle(ctx, [&] {
        std::string data = export_array_buffer(ctx, js::arg(argc, argv, 2));
        Algorithm a = normalize_algorithm(ctx, js::arg(argc, argv, 0), op);
        JSValueConst key = js::arg(argc, argv, 1);
        const CryptoKeyData* k = JS_IsObject(key) ? crypto_key_data(key) : nullptr;
        if (k == nullptr) {
            throw WebCryptoError("InvalidAccessError",
                                 op + "'s key argument does hold not a valid CryptoKey object");
        }
        if (a.name != k->algorithm) {
            throw WebCryptoError("InvalidAccessError",
                                 op + "'s algorithm name does not match key algorithm name");
        }
        if (a.name == "RSA-OAEP") {
            not_implemented(a.name, op.c_str());
        }
        if (a.name != "AES-CBC" && a.name != "AES-CTR" && a.name != "AES-GCM") {
            throw WebCryptoError("NotSupportedError", "unsupported algorithm " + a.name);
        }
        AesParams params = aes_params(ctx, a);
        if (!k->has_usage(op)) {
            throw WebCryptoError("InvalidAccessError",
                                 op + "'s key does not contain the '" + op + "' usage");
        }
        return new_array_buffer(ctx, encrypt ? aes_encrypt(params, *k, data)
                                             : aes_decrypt(params, *k, data));
    });
}

// The methods not implemented yet reject with NotSupportedError.
JSValue js_not_supported(JSContext* ctx, JSValueConst, int, JSValueConst*, int magic) {
    static constexpr const char* kNames[] = {"decrypt", "deriveBits", "deriveKey",
                                             "encrypt", "unwrapKey",  "wrapKey"};
    return settle(ctx, [&]() -> JSValue {
        throw WebCryptoError("NotSupportedError", std::string("volley does not implement "
                                                              "crypto.subtle.") +
                                                      kNames[magic] + " yet");
    });
}

JSValue stub(JSContext* ctx, const char* name, int index) {
    return JS_NewCFunctionMagic(ctx, &js::guarded_magic<&js_not_supported>, name, 2,
                                JS_CFUNC_generic_magic, index);
}

} // namespace

JSValue new_subtle_crypto(JSContext* ctx) {
    struct Method {
        const char* name;
        JSValue fn;
    };
    const Method methods[] = {
        {"decrypt", JS_NewCFunctionMagic(ctx, &js::guarded_magic<&js_crypt>, "decrypt", 3,
                                         JS_CFUNC_generic_magic, 1)},
        {"deriveBits", stub(ctx, "deriveBits", 1)},
        {"deriveKey", stub(ctx, "deriveKey", 2)},
        {"digest", js::new_function<&js_digest>(ctx, "digest", 2)},
        {"encrypt", JS_NewCFunctionMagic(ctx, &js::guarded_magic<&js_crypt>, "encrypt", 3,
                                         JS_CFUNC_generic_magic, 0)},
        {"exportKey", js::new_function<&js_export_key>(ctx, "exportKey", 2)},
        {"generateKey", js::new_function<&js_generate_key>(ctx, "generateKey", 3)},
        {"importKey", js::new_function<&js_import_key>(ctx, "importKey", 5)},
        {"sign", js::new_function<&js_sign>(ctx, "sign", 3)},
        {"unwrapKey", stub(ctx, "unwrapKey", 4)},
        {"verify", js::new_function<&js_verify>(ctx, "verify", 4)},
        {"wrapKey", stub(ctx, "wrapKey", 5)},
    };
    JSValue subtle = JS_NewObject(ctx);
    for (const auto& m : methods) {
        JS_DefinePropertyValueStr(ctx, subtle, m.name, m.fn, JS_PROP_ENUMERABLE);
    }
    return subtle;
}

} // namespace volley::modules
