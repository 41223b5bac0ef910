#include "modules/crypto.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/bytes_arg.hpp"
#include "modules/crypto_hasher.hpp"
#include "modules/digest.hpp"
#include "modules/webcrypto_key.hpp"
#include "util/go_base64.hpp"

namespace volley::modules {
namespace {

// The one-shot digest functions, in export order; `magic` of each function is its index.
constexpr const char* kDigestNames[] = {"md4",    "md5",    "ripemd160",  "sha1",      "sha256",
                                        "sha384", "sha512", "sha512_224", "sha512_256"};

std::unique_ptr<Digest> digest_or_throw(const std::string& algorithm) {
    auto d = Digest::create(algorithm);
    if (!d) {
        throw js::Error("invalid algorithm: " + algorithm);
    }
    return d;
}

// md5(input, encoding) and the others (buildInputsDigest): input errors are prefixed with the
// algorithm's name.
JSValue js_digest(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv, int magic) {
    const char* name = kDigestNames[magic];
    auto d = Digest::create(name);
    try {
        d->update(to_bytes(ctx, js::arg(argc, argv, 0)));
    } catch (const js::Error& e) {
        throw js::Error(std::string(name) + " failed: " + e.what());
    }
    return encode_digest(ctx, d->sum(), go_string_arg(ctx, js::arg(argc, argv, 1)));
}

JSValue js_create_hash(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    return new_hasher(ctx, digest_or_throw(go_string_arg(ctx, js::arg(argc, argv, 0))));
}

std::unique_ptr<Digest> hmac_of(JSContext* ctx, JSValueConst algorithm, JSValueConst key) {
    auto d = digest_or_throw(go_string_arg(ctx, algorithm));
    return make_hmac(std::move(d), to_bytes(ctx, key));
}

JSValue js_create_hmac(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    return new_hasher(ctx, hmac_of(ctx, js::arg(argc, argv, 0), js::arg(argc, argv, 1)));
}

// hmac(algorithm, secret, data, encoding)
JSValue js_hmac(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    auto mac = hmac_of(ctx, js::arg(argc, argv, 0), js::arg(argc, argv, 1));
    mac->update(to_bytes(ctx, js::arg(argc, argv, 2)));
    return encode_digest(ctx, mac->sum(), go_string_arg(ctx, js::arg(argc, argv, 3)));
}

// randomBytes(size): Sobek converts size to a Go int (ToNumber, truncated; NaN is 0).
JSValue js_random_bytes(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    double size = 0;
    if (JS_ToFloat64(ctx, &size, js::arg(argc, argv, 0)) < 0) {
        throw js::PendingException{};
    }
    size = std::isnan(size) ? 0 : std::trunc(size);
    if (size < 1) {
        throw js::Error("invalid size");
    }
    if (size > std::numeric_limits<std::int32_t>::max()) {
        throw js::Error("invalid array buffer length", js::ErrorKind::kRangeError);
    }
    return new_array_buffer(ctx, random_bytes(static_cast<std::size_t>(size)));
}

JSValue js_hex_encode(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    return js::new_string(ctx, hex_encode(to_bytes(ctx, js::arg(argc, argv, 0))));
}

int init(JSContext* ctx, JSModuleDef* m) {
    js::Value def(ctx, JS_NewObject(ctx));
    auto add = [&](const char* name, JSValue fn) {
        JS_SetPropertyStr(ctx, def.get(), name, JS_DupValue(ctx, fn));
        return JS_SetModuleExport(ctx, m, name, fn);
    };
    int rc = 0;
    rc |= add("createHMAC", js::new_function<&js_create_hmac>(ctx, "createHMAC", 2));
    rc |= add("createHash", js::new_function<&js_create_hash>(ctx, "createHash", 1));
    rc |= add("hexEncode", js::new_function<&js_hex_encode>(ctx, "hexEncode", 1));
    rc |= add("hmac", js::new_function<&js_hmac>(ctx, "hmac", 4));
    for (int i = 0; i < static_cast<int>(std::size(kDigestNames)); ++i) {
        rc |= add(kDigestNames[i],
                  JS_NewCFunctionMagic(ctx, &js::guarded_magic<&js_digest>, kDigestNames[i], 2,
                                       JS_CFUNC_generic_magic, i));
    }
    rc |= add("randomBytes", js::new_function<&js_random_bytes>(ctx, "randomBytes", 1));
    rc |= JS_SetModuleExport(ctx, m, "default", def.release());
    return rc < 0 ? -1 : 0;
}

} // namespace

js::NativeModule crypto_module() {
    std::vector<std::string> names = {"createHMAC", "createHash",  "hexEncode",
                                      "hmac",       "randomBytes", "default"};
    names.insert(names.end(), std::begin(kDigestNames), std::end(kDigestNames));
    return {"k6/crypto", std::move(names), &init};
}

void register_crypto_classes(JSRuntime* rt) {
    register_hasher_class(rt);
    register_crypto_key_class(rt);
}

} // namespace volley::modules
