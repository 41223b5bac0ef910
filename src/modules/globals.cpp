#include "modules/globals.hpp"

#include <filesystem>
#include <string>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/console_file.hpp"
#include "modules/crypto.hpp"
#include "modules/data.hpp"
#include "modules/encoding.hpp"
#include "modules/execution.hpp"
#include "modules/http.hpp"
#include "modules/k6.hpp"
#include "modules/metrics.hpp"
#include "modules/removed_modules.hpp"
#include "modules/shared_array.hpp"
#include "modules/timers.hpp"
#include "modules/vu_api.hpp"
#include "modules/webcrypto.hpp"
#include "modules/websockets.hpp"
#include "modules/ws.hpp"
#include "modules/ws_error.hpp"
#include "util/log.hpp"

namespace volley::modules {
namespace {

// One console argument as k6 prints it: strings as they are, errors as their message,
// functions as [object Function], other objects as JSON when possible.
std::string console_text(JSContext* ctx, JSValueConst v) {
    if (JS_IsString(v)) {
        return js::to_string_lossy(ctx, v);
    }
    if (const std::string* ws_error = ws::ws_error_message(v)) {
        return *ws_error;
    }
    if (JS_IsError(ctx, v)) {
        js::Value msg(ctx, JS_GetPropertyStr(ctx, v, "message"));
        return js::to_string_lossy(ctx, msg.get());
    }
    if (JS_IsFunction(ctx, v)) {
        return "[object Function]";
    }
    if (JS_IsObject(v)) {
        if (auto json = js::json_stringify(ctx, v)) {
            return *json;
        }
        JS_FreeValue(ctx, JS_GetException(ctx));
    }
    return js::to_string_lossy(ctx, v);
}

JSValue js_console(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv, int magic) {
    auto level = static_cast<log::Level>(magic);
    if (level < log::level()) {
        return JS_UNDEFINED;
    }
    std::string msg;
    for (int i = 0; i < argc; ++i) {
        if (i > 0) {
            msg += ' ';
        }
        msg += console_text(ctx, argv[i]);
    }
    void* user = js::Runtime::of(ctx).user();
    if (user != nullptr) {
        VuApi& vu = *static_cast<VuApi*>(user);
        if (ConsoleFile* file = vu.settings().console_file;
            file != nullptr && !vu.in_init_context()) {
            file->write(level, msg); // --console-output
            return JS_UNDEFINED;
        }
    }
    log::write(level, msg, {{"source", "console"}});
    return JS_UNDEFINED;
}

JSValue js_open(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
    VuApi& vu = VuApi::of(ctx);
    if (!vu.in_init_context()) {
        throw js::Error("the \"open\" function is only available in the init stage (i.e. the "
                        "global scope), see "
                        "https://grafana.com/docs/k6/latest/using-k6/test-lifecycle/ for more "
                        "information");
    }
    std::string path = js::is_nullish(js::arg(argc, argv, 0))
                           ? ""
                           : js::to_string_lossy(ctx, js::arg(argc, argv, 0));
    if (path.empty()) {
        throw js::Error("open() can't be used with an empty filename");
    }
    std::filesystem::path p(path);
    if (p.is_relative()) {
        p = std::filesystem::path(vu.script_dir()) / p;
    }
    std::string abs = p.lexically_normal().string();
    std::string why;
    auto data = vu.read_file(abs, &why);
    if (!data) {
        throw js::Error("open " + abs + ": " + why);
    }
    std::string mode =
        argc > 1 && !js::is_nullish(argv[1]) ? js::to_string_lossy(ctx, argv[1]) : "";
    if (mode == "b") {
        return JS_NewArrayBufferCopy(ctx, reinterpret_cast<const uint8_t*>(data->data()),
                                     data->size());
    }
    return js::new_string(ctx, *data);
}

} // namespace

void register_all() {
    auto& registry = js::ModuleRegistry::global();
    registry.add(k6_module());
    registry.add(metrics_module());
    registry.add(ws_module());
    registry.add(execution_module());
    registry.add(http_module());
    registry.add(timers_module());
    registry.add(experimental_timers_module());
    registry.add(websockets_module());
    registry.add(data_module());
    registry.add(experimental_websockets_module());
    registry.add(crypto_module());
    registry.add(encoding_module());
    registry.add(experimental_webcrypto_module());
    for (auto& m : removed_modules()) {
        registry.add(std::move(m));
    }
}

void register_classes(JSRuntime* rt) {
    register_ws_classes(rt);
    register_execution_classes(rt);
    register_http_module_classes(rt);
    register_websockets_classes(rt);
    register_crypto_classes(rt);
    register_shared_array_class(rt);
}

void install_globals(JSContext* ctx) {
    js::Value global(ctx, JS_GetGlobalObject(ctx));
    JSValue console = JS_NewObject(ctx);
    struct Method {
        const char* name;
        log::Level level;
    };
    const Method methods[] = {{"log", log::Level::kInfo},
                              {"info", log::Level::kInfo},
                              {"warn", log::Level::kWarn},
                              {"error", log::Level::kError},
                              {"debug", log::Level::kDebug}};
    for (const auto& m : methods) {
        JS_SetPropertyStr(ctx, console, m.name,
                          JS_NewCFunctionMagic(ctx, &js::guarded_magic<&js_console>, m.name, 0,
                                               JS_CFUNC_generic_magic, static_cast<int>(m.level)));
    }
    JS_SetPropertyStr(ctx, global.get(), "console", console);
    js::set_function<&js_open>(ctx, global.get(), "open", 2);
    install_timers(ctx);
    install_crypto_global(ctx);
}

} // namespace volley::modules
