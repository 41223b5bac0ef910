#include "js/runtime_group.hpp"

#include <algorithm>

#include "js/additions.hpp"
#include "js/runtime.hpp"
#include "util/error.hpp"

namespace volley::js {
namespace {

// The group this thread's next context joins while it has room.
thread_local std::weak_ptr<RuntimeGroup> t_open_group; // NOLINT(*-avoid-non-const-global-variables)

} // namespace

std::shared_ptr<RuntimeGroup> RuntimeGroup::join(const RuntimeOptions& options) {
    const std::size_t capacity = std::max<std::size_t>(options.contexts_per_runtime, 1);
    if (capacity > 1) {
        if (auto open = t_open_group.lock();
            open && open->has_room_for(options.max_stack_bytes, options.memory_limit, capacity)) {
            return open;
        }
    }
    auto group =
        std::make_shared<RuntimeGroup>(options.max_stack_bytes, options.memory_limit, capacity);
    if (capacity > 1) {
        t_open_group = group;
    }
    return group;
}

RuntimeGroup::RuntimeGroup(std::size_t max_stack_bytes, std::size_t memory_limit,
                           std::size_t capacity)
    : max_stack_bytes_(max_stack_bytes), memory_limit_(memory_limit), capacity_(capacity) {
    rt_ = JS_NewRuntime();
    VOLLEY_CHECK(rt_ != nullptr);
    JS_SetMaxStackSize(rt_, max_stack_bytes);
    update_memory_limit();
    JS_SetInterruptHandler(rt_, &RuntimeGroup::on_interrupt, this);
    JS_SetModuleLoaderFunc(rt_, &Runtime::on_normalize, &Runtime::on_load_module, nullptr);
    JS_SetHostPromiseRejectionTracker(rt_, &Runtime::on_rejection, nullptr);
    JS_SetCanBlock(rt_, 0);
}

RuntimeGroup::~RuntimeGroup() {
    for (const auto& [name, a] : atoms_) {
        JS_FreeAtomRT(rt_, a);
    }
    for (const auto& [text, v] : strings_) {
        JS_FreeValueRT(rt_, v);
    }
    JS_FreeRuntime(rt_);
}

bool RuntimeGroup::has_room_for(std::size_t max_stack_bytes, std::size_t memory_limit,
                                std::size_t capacity) const {
    return members_ < capacity_ && capacity_ == capacity && max_stack_bytes_ == max_stack_bytes &&
           memory_limit_ == memory_limit;
}

void RuntimeGroup::add_member() {
    ++members_;
    update_memory_limit();
}

// The members' limits pooled: a VU may use more than its share while others use less.
void RuntimeGroup::update_memory_limit() {
    if (memory_limit_ != 0) {
        JS_SetMemoryLimit(rt_, memory_limit_ * std::max<std::size_t>(members_, 1));
    }
}

bool RuntimeGroup::memory_limit_reached() {
    std::size_t failed = JS_MemoryLimitReached(rt_);
    if (failed == 0) {
        return false;
    }
    // An allocation failed, but garbage the collector had not reached yet may have counted:
    // collect it, and call the limit reached only if the allocation would fail again or the
    // live heap still fills most of the limit.
    JS_RunGC(rt_);
    std::size_t limit = memory_limit_ * std::max<std::size_t>(members_, 1);
    std::size_t live = JS_MallocSize(rt_);
    if (live + failed <= limit &&
        static_cast<double>(live) < kStillFull * static_cast<double>(limit)) {
        JS_ClearMemoryLimitReached(rt_);
        return false;
    }
    return true;
}

void RuntimeGroup::remove_member(Runtime* member) {
    --members_;
    update_memory_limit();
    if (active_ == member) {
        active_ = nullptr;
    }
}

JSAtom RuntimeGroup::atom(JSContext* ctx, std::string_view name) {
    if (auto it = atoms_.find(name); it != atoms_.end()) {
        return JS_DupAtom(ctx, it->second);
    }
    JSAtom a = JS_NewAtomLen(ctx, name.data(), name.size());
    if (a != JS_ATOM_NULL && atoms_.size() < kMaxCachedAtoms) {
        atoms_.emplace(std::string(name), JS_DupAtom(ctx, a));
    }
    return a;
}

JSValue RuntimeGroup::shared_string(JSContext* ctx, std::string_view text) {
    if (auto it = strings_.find(text); it != strings_.end()) {
        return JS_DupValue(ctx, it->second);
    }
    JSValue v = JS_NewStringLen(ctx, text.data(), text.size());
    if (!JS_IsException(v) && strings_.size() < kMaxSharedStrings) {
        strings_.emplace(std::string(text), JS_DupValue(ctx, v));
    }
    return v;
}

int RuntimeGroup::on_interrupt(JSRuntime* /*rt*/, void* opaque) {
    const Runtime* active = static_cast<RuntimeGroup*>(opaque)->active_;
    return active != nullptr && active->interrupted() ? 1 : 0;
}

} // namespace volley::js
