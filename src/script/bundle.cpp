#include "script/bundle.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <set>
#include <sstream>

#include "js/module_registry.hpp"
#include "js/script_error.hpp"
#include "script/commonjs.hpp"
#include "script/intrinsic_use.hpp"
#include "script/module_cache.hpp"
#include "script/remote_fetch.hpp"
#include "script/specifier.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/utf8.hpp"

#include <unistd.h>

namespace volley::script {
namespace {

// k6's fileSchemeCouldntBeLoadedMsg.
std::string not_on_disk(const std::string& specifier) {
    return "The moduleSpecifier \"" + specifier +
           "\" couldn't be found on local disk. Make sure that you've specified the right path "
           "to the file. If you're running k6 using the Docker image make sure you have mounted "
           "the local directory (-v /local/path/:/inside/docker/path) containing your script and "
           "modules so that they're accessible by k6 from inside of the container, see "
           "https://grafana.com/docs/k6/latest/using-k6/modules/#use-modules-with-docker.";
}

// k6's text for an entry script it cannot read: `arg` as given, `path` made absolute, `why` the
// reason read_file() gave.
std::string unreadable_entry(const std::string& arg, const std::string& path, std::string why) {
    if (why.empty() || why == std::strerror(ENOENT)) {
        return not_on_disk(arg);
    }
    if (why != "is a directory") {
        why[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(why[0]))); // Go's case
    }
    return (why == "is a directory" ? "read " : "open ") + path + ": " + why;
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

int init_nothing(JSContext* /*ctx*/, JSModuleDef* /*m*/) {
    return 0;
}

// ["a", "b"], sorted, as k6 lists unknown modules.
std::string quoted_list(std::vector<std::string> names) {
    std::sort(names.begin(), names.end());
    std::string list;
    for (const auto& n : names) {
        list += (list.empty() ? "\"" : ", \"") + n + "\"";
    }
    return "[" + list + "]";
}

} // namespace

const std::vector<std::uint8_t>* Bundle::bytecode(const std::string& name) const {
    auto it = modules_.find(name);
    return it == modules_.end() ? nullptr : &it->second;
}

const std::string& Bundle::source(const std::string& name) const {
    static const std::string kEmpty;
    auto it = sources_.find(name);
    return it == sources_.end() ? kEmpty : it->second;
}

char* EntrySource::normalize(JSContext* ctx, const char* base, const char* specifier) {
    Resolved r = resolve_specifier(base, specifier);
    if (!r.ok()) {
        JS_ThrowReferenceError(ctx, "%s", r.error.c_str());
        return nullptr;
    }
    return js_strdup(ctx, r.name.c_str());
}

BundleBuilder::BundleBuilder(const std::string& entry, LoadOptions options)
    : options_(std::move(options)), entry_arg_(entry) {
    if (const auto& arc = options_.archive) {
        bundle_->entry_ = arc->entry();
        for (const auto& [path, data] : arc->files) {
            if (path.rfind("file/", 0) == 0) {
                bundle_->files_->preload(path.substr(4), data);
            }
        }
        return;
    }
    bundle_->entry_ = is_remote_module(entry) ? entry : absolute_path(entry);
}

void BundleBuilder::fail(JSContext* ctx, const std::string& message) {
    if (error_.empty()) {
        error_ = message;
    }
    JS_ThrowReferenceError(ctx, "%s", message.c_str());
}

char* BundleBuilder::normalize(JSContext* ctx, const char* base, const char* specifier) {
    Resolved r = resolve_specifier(base, specifier);
    if (!r.ok()) {
        fail(ctx, r.error);
        return nullptr;
    }
    specifiers_.emplace(r.name, specifier);
    return js_strdup(ctx, r.name.c_str());
}

namespace {

// k6's parser error for a source that is not UTF-8 (a binary file, another encoding):
// `file:///s.js: Line 1:41 Invalid UTF-8 character`; "" for valid UTF-8.
std::string invalid_utf8_error(const std::string& name, std::string_view source) {
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < source.size();) {
        std::uint32_t cp = 0;
        std::size_t n = decode_utf8(source, i, cp);
        if (n == 0) {
            std::string where = name.starts_with("/") ? "file://" + name : name;
            return where + ": Line " + std::to_string(line) + ":" +
                   std::to_string(i - line_start + 1) + " Invalid UTF-8 character";
        }
        if (source[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
        i += n;
    }
    return "";
}

} // namespace

std::string BundleBuilder::load_error() const {
    if (!error_.empty() || unknown_.empty()) {
        return error_;
    }
    // Modules of k6 v1.6.1 that volley does not have yet are named as such, not as unknown.
    static const std::set<std::string> kNotYet = {"k6/browser",
                                                  "k6/crypto/x509",
                                                  "k6/html",
                                                  "k6/net/grpc",
                                                  "k6/secrets",
                                                  "k6/experimental/csv",
                                                  "k6/experimental/fs",
                                                  "k6/experimental/streams",
                                                  "k6/experimental/redis"};
    std::vector<std::string> not_yet;
    std::vector<std::string> unknown;
    for (const auto& n : unknown_) {
        (kNotYet.count(n) != 0 ? not_yet : unknown).push_back(n);
    }
    std::string out;
    if (!not_yet.empty()) {
        out = "volley does not implement the k6 modules " + quoted_list(not_yet) +
              " yet (docs/compatibility.md lists what it has)";
    }
    if (!unknown.empty()) {
        out += (out.empty() ? "" : "; ") + ("unknown modules " + quoted_list(unknown)) +
               " were tried to be loaded, but couldn't - this likely means automatic extension "
               "resolution is required or a custom k6 binary with the required extensions";
    }
    return out;
}

std::optional<std::string> BundleBuilder::fetch_module(const std::string& url) {
    std::optional<ModuleCache> cache;
    if (!options_.module_cache_dir.empty()) {
        cache.emplace(options_.module_cache_dir);
        if (auto cached = cache->read(url)) {
            log::write(log::Level::kDebug, "Loaded from the module cache", {{"url", url}});
            return cached;
        }
    }
    if (isatty(STDERR_FILENO) != 0) {
        log::write(log::Level::kInfo, "fetching remote module", {{"url", url}});
    }
    FetchedModule got = fetch_remote_module(url);
    if (!got.ok()) {
        auto it = specifiers_.find(url);
        error_ = "The moduleSpecifier \"" + (it == specifiers_.end() ? url : it->second) +
                 "\" couldn't be retrieved from the resolved url \"" + url + "\". Error : \"" +
                 got.error + "\"";
        if (cache) {
            error_ += " (not in the module cache " + cache->dir() + " either)";
        }
        return std::nullopt;
    }
    if (cache) {
        std::string why = cache->write(url, got.body);
        if (!why.empty()) {
            log::write(log::Level::kWarn, "could not write to the module cache",
                       {{"url", url}, {"error", why}});
        }
    }
    return std::move(got.body);
}

std::optional<std::string> BundleBuilder::read_archived(const std::string& name) {
    const Archive& arc = *options_.archive;
    if (name == arc.entry()) {
        return arc.data;
    }
    auto found = arc.files.find(archive_path(name));
    if (found != arc.files.end()) {
        return found->second;
    }
    auto it = specifiers_.find(name);
    const std::string& spec = it == specifiers_.end() ? name : it->second;
    error_ = is_remote_module(name) ? "The moduleSpecifier \"" + spec +
                                          "\" couldn't be retrieved from the resolved "
                                          "url \"" +
                                          name + "\". Error : \"not in the archive\""
                                    : not_on_disk(spec);
    return std::nullopt;
}

std::optional<std::string> BundleBuilder::read_module(const std::string& name) {
    if (options_.archive) {
        return read_archived(name);
    }
    if (is_remote_module(name)) {
        return fetch_module(name);
    }
    auto source = read_file(name);
    if (!source) {
        auto it = specifiers_.find(name);
        error_ = not_on_disk(it == specifiers_.end() ? name : it->second);
    }
    return source;
}

js::Value BundleBuilder::compile(JSContext* ctx, const std::string& name,
                                 const std::string& source) {
    if (std::string bad = invalid_utf8_error(name, source); !bad.empty()) {
        error_ = bad;
        JS_ThrowSyntaxError(ctx, "%s", bad.c_str());
        return js::Value(ctx, JS_EXCEPTION);
    }
    bundle_->sources_[name] = source;
    js::Value m(ctx, JS_Eval(ctx, source.c_str(), source.size(), name.c_str(),
                             JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY));
    if (m.is_exception() || !is_es_module(m.get())) {
        // k6 runs what is not an ES module as CommonJS; when neither compiles, the ES module's
        // error is the one reported.
        js::Value esm_error(ctx, m.is_exception() ? JS_GetException(ctx) : JS_UNDEFINED);
        bundle_->has_commonjs_ = true;
        auto wrapper = run_commonjs(ctx, name, source);
        if (!wrapper) {
            if (!esm_error.is_undefined()) {
                JS_FreeValue(ctx, JS_GetException(ctx));
                JS_Throw(ctx, esm_error.release());
            }
            return js::Value(ctx, JS_EXCEPTION);
        }
        m = js::Value(ctx, JS_Eval(ctx, wrapper->c_str(), wrapper->size(), name.c_str(),
                                   JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY));
        if (m.is_exception()) {
            return m;
        }
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
    auto source = options_.archive          ? read_archived(entry)
                  : is_remote_module(entry) ? fetch_module(entry)
                                            : read_file(entry, &why);
    if (!source && is_remote_module(entry)) {
        throw UserError(error_, "check the script's URL", ExitCode::kScriptException);
    }
    if (!source) {
        throw UserError(unreadable_entry(entry_arg_, entry, why), "check the script's path",
                        ExitCode::kGeneric); // k6's loader error: no script exception yet
    }
    js::Value m = compile(ctx, entry, *source);
    if (m.is_exception()) {
        // QuickJS loads the imports while it compiles a module: a failed import shows here.
        if (std::string failed = load_error(); !failed.empty()) {
            JS_FreeValue(ctx, JS_GetException(ctx));
            bool encoding = failed.ends_with("Invalid UTF-8 character");
            throw UserError(failed,
                            encoding ? "save the script as UTF-8"
                                     : "fix the script's imports (or the network) and run again",
                            ExitCode::kScriptException);
        }
        throw UserError(describe_compile_error(ctx, *bundle_), "fix the script and run again",
                        ExitCode::kScriptException);
    }
    return m;
}

JSModuleDef* BundleBuilder::load(JSContext* ctx, const char* cname) {
    std::string name(cname);
    if (is_builtin_module(name)) {
        if (js::ModuleRegistry::global().find(name) != nullptr) {
            return js::ModuleRegistry::global().instantiate(ctx, name);
        }
        unknown_.push_back(name);
        return JS_NewCModule(ctx, cname, &init_nothing);
    }
    auto source = read_module(name);
    if (!source) {
        JS_ThrowReferenceError(ctx, "%s", error_.c_str());
        return nullptr;
    }
    js::Value m = compile(ctx, name, *source);
    return m.is_exception() ? nullptr : module_def(std::move(m));
}

std::shared_ptr<const Bundle> BundleBuilder::finish(std::string options_json,
                                                    std::set<std::string> functions) {
    bundle_->options_json_ = std::move(options_json);
    bundle_->functions_ = std::move(functions);
    js::Intrinsics& used = bundle_->intrinsics_;
    used = js::Intrinsics{false, false, bundle_->has_commonjs_};
    for (const auto& [name, source] : bundle_->sources_) {
        const js::Intrinsics in = intrinsics_used(source);
        used.typed_arrays = used.typed_arrays || in.typed_arrays;
        used.regexp = used.regexp || in.regexp;
        used.map_set = used.map_set || in.map_set;
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
    if (is_builtin_module(name)) {
        return js::ModuleRegistry::global().instantiate(ctx, name);
    }
    const auto* code = bundle_->bytecode(name);
    if (code == nullptr) {
        // Imported only on a path the init run of the bundle did not take (k6's
        // notPreviouslyResolvedModule).
        JS_ThrowReferenceError(
            ctx, "the module \"%s\" was not previously resolved during initialization (__VU==0)",
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
