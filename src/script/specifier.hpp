#pragma once

// Module specifiers resolved as k6 resolves them (internal/loader/loader.go Resolve,
// js/modules/resolution.go): every import, and require(), names its module by the result.
// Names are: "k6" and "k6/..." for built-in modules, an absolute path for a local file, and
// the https:// URL (Go's URL.String()) for a remote module. Pure functions, any thread.

#include <string>

namespace volley::script {

// A module name, or why the specifier has none.
struct Resolved {
    std::string name;  // "" on error
    std::string error; // k6's error text, "" on success
    bool ok() const { return error.empty(); }
};

// The module name `specifier` stands for when imported from the module named `base`, or k6's
// error text (`The moduleSpecifier "x" couldn't be recognised as something k6 supports.`,
// `only supported schemes for imports are file and https, ...`, `origin (...) not allowed to
// load local file: ...`, ...).
Resolved resolve_specifier(const std::string& base, const std::string& specifier);

// Whether a module name is a remote (https://) module.
bool is_remote_module(const std::string& name);

// Whether a module name is a built-in ("k6" or "k6/...").
bool is_builtin_module(const std::string& name);

} // namespace volley::script
