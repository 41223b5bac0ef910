#include "script/bundle.hpp"

#include <sstream>

#include "js/module_registry.hpp"
#include "js/script_error.hpp"
#include "util/error.hpp"

namespace volley::script {
namespace {

bool is_file_module(const std::string& name) {
    return !name.empty() && name[0] == '/';
}

std::string source_line(const std::string& source, int line) {
    std::istringstream in(source);
    std::string text;
    for (int i = 1; std::getline(in, text); ++i) {
        if (i == line) {
            return text;
        }
    }
    return {};
}

JSModuleDef* module_def(js::Value&& compiled) {
    // The runtime keeps its own reference to the module; ours can go.
    auto* m = static_cast<JSModuleDef*>(JS_VALUE_GET_PTR(compiled.get()));
    compiled.reset();
    return m;
}

JSModuleDef* load_native(JSContext* ctx, const std::string& name) {
    if (js::ModuleRegistry::global().find(name) == nullptr) {
        JS_ThrowReferenceError(ctx, "unknown module: %s", name.c_str());
        return nullptr;
    }
    return js::ModuleRegistry::global().instantiate(ctx, name);
}

} // namespace

bool mentions_typed_arrays(std::string_view source) {
    // Plain substring search: a mention in a comment or a string also counts (a false positive
    // only costs the intrinsics' memory).
    static constexpr std::string_view kWords[] = {
        "ArrayBuffer",  "DataView",     "Int8Array",     "Uint8Array",     "Uint8ClampedArray",
        "Int16Array",   "Uint16Array",  "Int32Array",    "Uint32Array",    "Float16Array",
        "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "binaryMessage",
        "sendBinary",   "open(",
    };
    for (std::string_view w : kWords) {
        if (source.find(w) != std::string_view::npos) {
            return true;
        }
    }
    return false;
}

const std::vector<std::uint8_t>* Bundle::bytecode(const std::string& name) const {
    auto it = modules_.find(name);
    return it == modules_.end() ? nullptr : &it->second;
}

const std::string& Bundle::source(const std::string& name) const {
    static const std::string kEmpty;
    auto it = sources_.find(name);
    return it == sources_.end() ? kEmpty : it->second;
}

BundleBuilder::BundleBuilder(const std::string& entry_path) {
    bundle_->entry_ = absolute_path(entry_path);
}

js::Value BundleBuilder::compile(JSContext* ctx, const std::string& name,
                                 const std::string& source) {
    bundle_->sources_[name] = source;
    js::Value m(ctx, JS_Eval(ctx, source.c_str(), source.size(), name.c_str(),
                             JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY));
    if (m.is_exception()) {
        return m;
    }
    std::size_t size = 0;
    std::uint8_t* buf = JS_WriteObject(ctx, &size, m.get(), JS_WRITE_OBJ_BYTECODE);
    VOLLEY_CHECK(buf != nullptr);
    bundle_->modules_[name].assign(buf, buf + size);
    js_free(ctx, buf);
    return m;
}

js::Value BundleBuilder::load_entry(JSContext* ctx) {
    const std::string& entry = bundle_->entry_;
    std::string why;
    auto source = read_file(entry, &why);
    if (!source) {
        throw UserError("The moduleSpecifier \"" + entry + "\" couldn't be found on local disk (" +
                            why + ")",
                        "check the script's path", ExitCode::kScriptException);
    }
    js::Value m = compile(ctx, entry, *source);
    if (m.is_exception()) {
        throw UserError(describe_compile_error(ctx, *bundle_), "fix the script and run again",
                        ExitCode::kScriptException);
    }
    return m;
}

JSModuleDef* BundleBuilder::load(JSContext* ctx, const char* cname) {
    std::string name(cname);
    if (!is_file_module(name)) {
        return load_native(ctx, name);
    }
    std::string why;
    auto source = read_file(name, &why);
    if (!source) {
        JS_ThrowReferenceError(ctx,
                               "The moduleSpecifier \"%s\" couldn't be found on local disk (%s)",
                               cname, why.c_str());
        return nullptr;
    }
    js::Value m = compile(ctx, name, *source);
    return m.is_exception() ? nullptr : module_def(std::move(m));
}

std::shared_ptr<const Bundle> BundleBuilder::finish(std::string options_json,
                                                    std::set<std::string> functions) {
    bundle_->options_json_ = std::move(options_json);
    bundle_->functions_ = std::move(functions);
    bundle_->uses_typed_arrays_ = false;
    for (const auto& [name, source] : bundle_->sources_) {
        if (mentions_typed_arrays(source)) {
            bundle_->uses_typed_arrays_ = true;
            break;
        }
    }
    return bundle_;
}

js::Value BundleSource::load_entry(JSContext* ctx) {
    const auto* code = bundle_->bytecode(bundle_->entry());
    VOLLEY_CHECK(code != nullptr);
    return js::Value(ctx, JS_ReadObject(ctx, code->data(), code->size(), JS_READ_OBJ_BYTECODE));
}

JSModuleDef* BundleSource::load(JSContext* ctx, const char* cname) {
    std::string name(cname);
    if (!is_file_module(name)) {
        return load_native(ctx, name);
    }
    const auto* code = bundle_->bytecode(name);
    if (code == nullptr) {
        // Imported only on a path the init run of the bundle did not take.
        JS_ThrowReferenceError(ctx, "module '%s' was not loaded when the script was compiled",
                               cname);
        return nullptr;
    }
    js::Value m(ctx, JS_ReadObject(ctx, code->data(), code->size(), JS_READ_OBJ_BYTECODE));
    return m.is_exception() ? nullptr : module_def(std::move(m));
}

std::string describe_compile_error(JSContext* ctx, const Bundle& bundle) {
    js::ScriptError err = js::take_exception(ctx);
    std::string out = err.text();
    if (err.line > 0) {
        out +=
            " at " + err.file + ":" + std::to_string(err.line) + ":" + std::to_string(err.column);
        std::string line = source_line(bundle.source(err.file), err.line);
        if (!line.empty()) {
            out += "\n    " + line + "\n    " +
                   std::string(err.column > 1 ? static_cast<std::size_t>(err.column - 1) : 0, ' ') +
                   "^";
        }
    }
    return out;
}

} // namespace volley::script
