#pragma once

// One QuickJS runtime shared by the contexts of up to RuntimeOptions::contexts_per_runtime VUs of
// one thread (docs/architecture.md, "Measured choices"). The runtime's atoms, shapes and class
// tables are then paid once per group instead of once per VU; its garbage collector walks only
// the group's heaps, so its pauses stay short. Only one VU of a thread runs at a time: the group
// knows which (active()), and each switch between VUs puts back the runtime's run state (see
// Runtime::Suspension).

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "quickjs.h"

namespace volley::js {

class Runtime;
struct RuntimeOptions;

class RuntimeGroup {
public:
    // The group a new context of this thread joins: the thread's open group when it has room and
    // was made with the same options, else a new one (which becomes the open group).
    static std::shared_ptr<RuntimeGroup> join(const RuntimeOptions& options);

    RuntimeGroup(std::size_t max_stack_bytes, std::size_t memory_limit, std::size_t capacity);
    ~RuntimeGroup();
    RuntimeGroup(const RuntimeGroup&) = delete;
    RuntimeGroup& operator=(const RuntimeGroup&) = delete;

    JSRuntime* runtime() const { return rt_; }

    // The member whose JS runs (or ran last) on this thread.
    Runtime* active() const { return active_; }
    void set_active(Runtime* member) { active_ = member; }

    void add_member();
    void remove_member(Runtime* member);

    // Whether an allocation failed on the group's memory limit (RuntimeOptions::memory_limit
    // times the members) and, after a garbage collection, would fail again or the live heap
    // still holds more than kStillFull of the limit. A collection that made room forgets it.
    bool memory_limit_reached();
    static constexpr double kStillFull = 0.9;

    // A new reference to the atom of `name` (the caller frees it). The first kMaxCachedAtoms
    // names asked for are kept in a hash map, so names used again and again (response fields,
    // header names) cost one hash and no QuickJS atom-table lookup.
    JSAtom atom(JSContext* ctx, std::string_view name);
    static constexpr std::size_t kMaxCachedAtoms = 256;

    // A new reference to a JS string of `text` that every context of the group shares (strings
    // belong to no realm): the same __ENV values in every VU cost their memory once. The first
    // kMaxSharedStrings texts asked for are kept; later ones are made anew each time.
    JSValue shared_string(JSContext* ctx, std::string_view text);
    static constexpr std::size_t kMaxSharedStrings = 4096;

private:
    bool has_room_for(std::size_t max_stack_bytes, std::size_t memory_limit,
                      std::size_t capacity) const;
    static int on_interrupt(JSRuntime* rt, void* opaque);
    void update_memory_limit();

    JSRuntime* rt_ = nullptr;
    Runtime* active_ = nullptr;
    std::size_t members_ = 0;
    std::size_t max_stack_bytes_;
    std::size_t memory_limit_;
    std::size_t capacity_;
    struct NameHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::unordered_map<std::string, JSAtom, NameHash, std::equal_to<>> atoms_;    // see atom()
    std::unordered_map<std::string, JSValue, NameHash, std::equal_to<>> strings_; // shared_string
};

} // namespace volley::js
