#include "modules/webcrypto_digest.hpp"

#include <string_view>

#include "js/native.hpp"
#include "modules/bytes_arg.hpp"
#include "modules/digest.hpp"
#include "modules/webcrypto_algorithm.hpp"
#include "modules/webcrypto_error.hpp"

namespace volley::modules {

const char* k6_hash_name(std::string_view n) {
    if (n == "SHA-1") {
        return "sha1";
    }
    if (n == "SHA-256") {
        return "sha256";
    }
    if (n == "SHA-384") {
        return "sha384";
    }
    if (n == "SHA-512") {
        return "sha512";
    }
    return "";
}

JSValue subtle_digest(JSContext* ctx, JSValueConst algorithm, JSValueConst data) {
    if (!is_buffer_source(ctx, data)) {
        throw js::Error("data must be an ArrayBuffer, TypedArray, or DataView");
    }
    std::string bytes = export_array_buffer(ctx, data);
    Algorithm a = normalize_algorithm(ctx, algorithm, "digest");
    auto d = Digest::create(k6_hash_name(a.name));
    d->update(bytes);
    return new_array_buffer(ctx, d->sum());
}

} // namespace volley::modules
