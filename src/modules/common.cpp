#include <chrono>
#include <cmath>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/vu_api.hpp"

namespace volley::modules {

void apply_user_tags(JSContext* ctx, JSValueConst obj, metrics::TagMap& tags,
                     const std::string& prefix) {
    if (js::is_nullish(obj) || !JS_IsObject(obj)) {
        return;
    }
    std::vector<std::string> keys;
    if (!js::own_keys(ctx, obj, keys)) {
        throw js::PendingException{};
    }
    for (const auto& k : keys) {
        js::Value v(ctx, JS_GetPropertyStr(ctx, obj, k.c_str()));
        if (v.is_exception()) {
            throw js::PendingException{};
        }
        JSValueConst val = v.get();
        if (!JS_IsString(val) && !JS_IsNumber(val) && !JS_IsBool(val)) {
            throw js::Error(prefix + "invalid value for metric tag '" + k +
                            "': only String, Boolean and Number types are accepted as a metric "
                            "tag values");
        }
        tags[k] = js::to_string_lossy(ctx, val);
    }
}

} // namespace volley::modules
