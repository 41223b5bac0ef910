#include "modules/removed_modules.hpp"

#include <string>

#include "js/native.hpp"

namespace volley::modules {
namespace {

struct Removed {
    const char* name;
    std::vector<std::string> exports; // what scripts import from it, so that linking gets as
                                      // far as k6's error
    const char* message;
};

const std::vector<Removed>& removed() {
    static const std::vector<Removed> kRemoved = {
        {"k6/experimental/browser",
         {"default", "browser", "chromium", "devices", "networkProfiles"},
         "k6/experimental/browser has been graduated, please use k6/browser instead.Please update "
         "your imports to use k6/browser instead of k6/experimental/browser, For more "
         "information, see the migration guide at the link: "
         "https://grafana.com/docs/k6/latest/using-k6-browser/migrating-to-k6-v0-52/"},
        {"k6/experimental/grpc",
         {"default", "Client", "Stream", "StatusOK"},
         "k6/experimental/grpc has been graduated, please use k6/net/grpc instead. See "
         "https://grafana.com/docs/k6/latest/javascript-api/k6-net-grpc/ for more information."},
        {"k6/experimental/tracing",
         {"default", "Client", "instrumentHTTP"},
         "k6/experimental/tracing has been removed. All of it functionality is available as pure "
         "JavaScript module. More info available at the docs: "
         "https://grafana.com/docs/k6/latest/javascript-api/jslib/http-instrumentation-tempo"},
    };
    return kRemoved;
}

int init_removed(JSContext* ctx, JSModuleDef* m) {
    JSAtom atom = JS_GetModuleName(ctx, m);
    const char* name = JS_AtomToCString(ctx, atom);
    JS_FreeAtom(ctx, atom);
    std::string message = "this module was removed from k6";
    for (const auto& r : removed()) {
        if (name != nullptr && std::string(name) == r.name) {
            message = r.message;
        }
    }
    JS_FreeCString(ctx, name);
    js::throw_error(ctx, js::ErrorKind::kGoError, message);
    return -1;
}

} // namespace

std::vector<js::NativeModule> removed_modules() {
    std::vector<js::NativeModule> out;
    for (const auto& r : removed()) {
        out.push_back({r.name, r.exports, &init_removed});
    }
    return out;
}

} // namespace volley::modules
