#include "modules/webcrypto_algorithm.hpp"

#include <algorithm>
#include <cctype>

#include "js/native.hpp"
#include "modules/bytes_arg.hpp"
#include "modules/webcrypto_error.hpp"
#include "util/go_quote.hpp"

namespace volley::modules {
namespace {

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_hash(std::string_view n) {
    return one_of(n, {"SHA-1", "SHA-256", "SHA-384", "SHA-512"});
}
bool is_aes(std::string_view n) {
    return one_of(n, {"AES-CBC", "AES-CTR", "AES-GCM", "AES-KW"});
}
bool is_rsa(std::string_view n) {
    return one_of(n, {"RSASSA-PKCS1-v1_5", "RSA-PSS", "RSA-OAEP"});
}
bool is_ec(std::string_view n) {
    return one_of(n, {"ECDH", "ECDSA"});
}

std::string normalize_name(std::string name) {
    for (char& c : name) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return name == "RSASSA-PKCS1-V1_5" ? "RSASSA-PKCS1-v1_5" : name;
}

} // namespace

bool is_registered_algorithm(std::string_view n, std::string_view op) {
    if (op == "digest") {
        return is_hash(n);
    }
    if (op == "generateKey") {
        return is_aes(n) || is_hash(n) || n == "HMAC" || is_ec(n) || is_rsa(n);
    }
    if (op == "importKey" || op == "exportKey") {
        return is_aes(n) || n == "HMAC" || is_ec(n) || is_rsa(n) || n == "PBKDF2";
    }
    if (op == "encrypt" || op == "decrypt") {
        return is_aes(n) || n == "RSA-OAEP";
    }
    if (op == "sign" || op == "verify") {
        return one_of(n, {"HMAC", "ECDSA", "RSA-PSS", "RSASSA-PKCS1-v1_5"});
    }
    if (op == "deriveBits") {
        return is_hash(n) || n == "PBKDF2" || n == "ECDH";
    }
    if (op == "deriveKey") {
        return is_hash(n) || n == "PBKDF2";
    }
    return false;
}

Algorithm normalize_algorithm(JSContext* ctx, JSValueConst v, std::string_view op) {
    Algorithm a;
    if (JS_IsString(v)) {
        a.params = js::Value(ctx, JS_NewObject(ctx));
        JS_SetPropertyStr(ctx, a.params.get(), "name", JS_DupValue(ctx, v));
    } else if (JS_IsObject(v) && !JS_IsFunction(ctx, v)) {
        a.params = js::Value::dup(ctx, v);
    } else {
        throw WebCryptoError("SyntaxError",
                             "algorithm cannot be interpreted as a string or an object");
    }
    js::Value name(ctx, JS_GetPropertyStr(ctx, a.params.get(), "name"));
    if (name.is_exception()) {
        throw js::PendingException{};
    }
    a.name = normalize_name(go_string_arg(ctx, name.get()));
    if (!is_registered_algorithm(a.name, op)) {
        throw WebCryptoError("NotSupportedError", "algorithm " + go_quote(a.name) +
                                                      " doesn't support (in implementation) "
                                                      "operation " +
                                                      go_quote(op));
    }
    return a;
}

std::string export_array_buffer(JSContext* ctx, JSValueConst v) {
    if (js::is_nullish(v)) {
        throw WebCryptoError("TypeError", "data is null or undefined");
    }
    if (js::typed_array_view(ctx, v)) {
        js::Value buffer(ctx, JS_GetPropertyStr(ctx, v, "buffer"));
        if (auto b = js::array_buffer_view(ctx, buffer.get())) {
            return std::string(*b);
        }
        throw WebCryptoError("TypeError", "TypedArray.buffer is not an ArrayBuffer");
    }
    if (auto b = js::array_buffer_view(ctx, v)) {
        return std::string(*b);
    }
    throw WebCryptoError("OperationError",
                         "data is neither an ArrayBuffer, nor a TypedArray nor DataView");
}

bool is_buffer_source(JSContext* ctx, JSValueConst v) {
    return js::array_buffer_view(ctx, v) || js::typed_array_view(ctx, v) ||
           (JS_IsObject(v) && js::constructor_name(ctx, v) == "DataView");
}

} // namespace volley::modules
