#include "js/module_registry.hpp"

#include "js/value.hpp"

namespace volley::js {

ModuleRegistry& ModuleRegistry::global() {
    static ModuleRegistry registry;
    return registry;
}

void ModuleRegistry::add(NativeModule module) {
    std::string name = module.name;
    modules_[name] = std::move(module);
}

const NativeModule* ModuleRegistry::find(const std::string& name) const {
    auto it = modules_.find(name);
    return it == modules_.end() ? nullptr : &it->second;
}

int ModuleRegistry::init_trampoline(JSContext* ctx, JSModuleDef* m) {
    JSAtom atom = JS_GetModuleName(ctx, m);
    const char* name = JS_AtomToCString(ctx, atom);
    JS_FreeAtom(ctx, atom);
    if (name == nullptr) {
        return -1;
    }
    const NativeModule* def = global().find(name);
    JS_FreeCString(ctx, name);
    return def == nullptr ? -1 : def->init(ctx, m);
}

JSModuleDef* ModuleRegistry::instantiate(JSContext* ctx, const std::string& name) const {
    const NativeModule* def = find(name);
    if (def == nullptr) {
        JS_ThrowReferenceError(ctx, "could not load module '%s'", name.c_str());
        return nullptr;
    }
    JSModuleDef* m = JS_NewCModule(ctx, name.c_str(), &ModuleRegistry::init_trampoline);
    if (m == nullptr) {
        return nullptr;
    }
    for (const auto& e : def->exports) {
        JS_AddModuleExport(ctx, m, e.c_str());
    }
    return m;
}

} // namespace volley::js
