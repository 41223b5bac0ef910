#pragma once

// Native modules ("k6", "k6/ws", "k6/metrics", ...) by import name. The registry is filled once
// at start-up (modules::register_all) before any runtime exists, and is read-only afterwards, so
// every thread may use it without locking.

#include <map>
#include <string>
#include <vector>

#include "quickjs.h"

namespace volley::js {

struct NativeModule {
    std::string name;                 // import specifier, e.g. "k6/ws"
    std::vector<std::string> exports; // export names, including "default" when there is one
    // Sets every export with JS_SetModuleExport. Runs on the importing VU's thread when the
    // module is first linked in a runtime; returns -1 with a JS exception pending on failure.
    int (*init)(JSContext* ctx, JSModuleDef* m) = nullptr;
};

class ModuleRegistry {
public:
    static ModuleRegistry& global();

    void add(NativeModule module);
    const NativeModule* find(const std::string& name) const;

    // Declares the native module `name` in `ctx`. Returns nullptr (with a JS exception pending)
    // if no such module exists.
    JSModuleDef* instantiate(JSContext* ctx, const std::string& name) const;

private:
    static int init_trampoline(JSContext* ctx, JSModuleDef* m);
    std::map<std::string, NativeModule> modules_;
};

} // namespace volley::js
