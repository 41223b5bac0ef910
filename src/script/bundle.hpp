#pragma once

// The script compiled once (docs/architecture.md, "Measured choices"): the entry module and every
// file it imports, as QuickJS bytecode, plus what the init context exported. Immutable once built
// and shared by all VUs on all threads; each VU loads the bytecode instead of parsing the source
// again.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "js/runtime.hpp"
#include "js/value.hpp"
#include "script/archive.hpp"
#include "script/loader.hpp"

namespace volley::script {

class Bundle {
public:
    const std::string& entry() const { return entry_; }
    // Bytecode of the module named `name` (an absolute path), or nullptr.
    const std::vector<std::uint8_t>* bytecode(const std::string& name) const;
    // JSON.stringify of the exported `options` ("{}" when there are none).
    const std::string& options_json() const { return options_json_; }
    // Names of the entry module's exports that are functions (default, setup, teardown, ...).
    const std::set<std::string>& functions() const { return functions_; }
    bool has_function(const std::string& name) const { return functions_.count(name) != 0; }
    // Files read with open(); shared so that every VU reads each file from disk once.
    FileCache& files() const { return *files_; }
    // Source text of a compiled file, for error messages (empty if unknown).
    const std::string& source(const std::string& name) const;
    // Every module's source by name (what an archive holds).
    const std::map<std::string, std::string>& sources() const { return sources_; }
    // The optional intrinsics some compiled module's source may use (script/intrinsic_use.hpp,
    // decided once in BundleBuilder::finish): VUs run without the others (typed arrays ≈ 9 KiB,
    // Map/Set ≈ 4.6 KiB, RegExp ≈ 2.4 KiB per VU). Map/Set also when a module is CommonJS (its
    // wrapper keeps exports in a Map).
    const js::Intrinsics& intrinsics() const { return intrinsics_; }

private:
    friend class BundleBuilder;
    std::string entry_;
    std::map<std::string, std::vector<std::uint8_t>> modules_;
    std::map<std::string, std::string> sources_;
    std::string options_json_ = "{}";
    std::set<std::string> functions_;
    js::Intrinsics intrinsics_;
    bool has_commonjs_ = false;
    std::shared_ptr<FileCache> files_ = std::make_shared<FileCache>();
};

// How the script's modules are found.
struct LoadOptions {
    std::string module_cache_dir; // --module-cache / VOLLEY_MODULE_CACHE; "" = no cache
    // Run from this archive: every module and open()ed file comes from it, nothing else.
    std::shared_ptr<const Archive> archive;
};

// Where a VU's runtime gets its entry module and its imports. Import specifiers are resolved
// by script::resolve_specifier (k6's rules) against the importing module's name.
class EntrySource : public js::ModuleSource {
public:
    // The entry module, compiled but not yet linked or evaluated. Throws UserError (exit 107)
    // when it cannot be read or compiled.
    virtual js::Value load_entry(JSContext* ctx) = 0;

    char* normalize(JSContext* ctx, const char* base, const char* specifier) override;

    // Why loading the modules failed, in k6's words ("" when it did not, or when the pending
    // JS exception says it).
    virtual std::string load_error() const { return {}; }
};

// Compiles modules while the first (init-only) runtime imports them. Use on one thread:
//   BundleBuilder b(entry); rt.set_module_source(&b); auto m = b.load_entry(ctx);
//   ... evaluate m, read the exports ...; auto bundle = b.finish(options_json, functions);
class BundleBuilder : public EntrySource {
public:
    // `entry` is a path, or an https:// URL (fetched like a remote import).
    explicit BundleBuilder(const std::string& entry, LoadOptions options = {});

    // Reads and compiles the entry file. Throws UserError: exit 255 with k6's text when it is
    // missing or not a file, exit 107 on a syntax error (the message names file:line:col and
    // quotes the source line).
    js::Value load_entry(JSContext* ctx) override;

    // Native modules come from js::ModuleRegistry; file and remote modules are read or fetched
    // (once), compiled and recorded. An unknown k6/ module is recorded and stands in as an
    // empty module, so that all of them are named at once (load_error()), as k6 does.
    JSModuleDef* load(JSContext* ctx, const char* name) override;
    char* normalize(JSContext* ctx, const char* base, const char* specifier) override;
    std::string load_error() const override;

    std::shared_ptr<const Bundle> finish(std::string options_json, std::set<std::string> functions);

    // The bundle under construction (its file cache is usable before finish()).
    const Bundle& partial() const { return *bundle_; }

private:
    js::Value compile(JSContext* ctx, const std::string& name, const std::string& source);
    std::optional<std::string> read_module(const std::string& name);
    std::optional<std::string> read_archived(const std::string& name);
    std::optional<std::string> fetch_module(const std::string& url);
    void fail(JSContext* ctx, const std::string& message);

    std::shared_ptr<Bundle> bundle_ = std::make_shared<Bundle>();
    LoadOptions options_;
    std::string entry_arg_; // the entry as given (k6 names a missing script that way)
    std::map<std::string, std::string> specifiers_; // module name -> specifier first used
    std::vector<std::string> unknown_;              // unknown k6/ modules, in import order
    std::string error_;                             // the first load failure, k6's text
};

// Loads a built bundle's modules into a VU's runtime from bytecode.
class BundleSource : public EntrySource {
public:
    explicit BundleSource(std::shared_ptr<const Bundle> bundle) : bundle_(std::move(bundle)) {}

    // The entry module, read from bytecode (not yet linked or evaluated).
    js::Value load_entry(JSContext* ctx) override;
    JSModuleDef* load(JSContext* ctx, const char* name) override;

private:
    std::shared_ptr<const Bundle> bundle_;
};

// Formats a syntax/compile error with the offending source line and a caret.
std::string describe_compile_error(JSContext* ctx, const Bundle& bundle);

} // namespace volley::script
