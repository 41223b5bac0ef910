#include "modules/shared_array_store.hpp"

#include "util/go_quote.hpp"

namespace volley::modules {

SharedArrayStore::Slot& SharedArrayStore::slot(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto& s = slots_[name];
    if (!s) {
        s = std::make_unique<Slot>();
    }
    return *s; // slots are never removed: the reference stays valid
}

std::shared_ptr<const SharedArrayData> SharedArrayStore::get_or_build(const std::string& name,
                                                                      const Build& build) {
    Slot& s = slot(name);
    if (s.builder.load() == std::this_thread::get_id()) {
        throw BuildInProgress("SharedArray " + go_quote(name) +
                              " is already being built on this thread");
    }
    std::lock_guard lock(s.build_mutex);
    if (s.data) {
        return s.data;
    }
    struct Builder { // clears `builder` however the build ends
        std::atomic<std::thread::id>& id;
        explicit Builder(std::atomic<std::thread::id>& b) : id(b) {
            id.store(std::this_thread::get_id());
        }
        Builder(const Builder&) = delete;
        Builder& operator=(const Builder&) = delete;
        ~Builder() { id.store(std::thread::id{}); }
    } building(s.builder);
    s.data = build();
    return s.data;
}

} // namespace volley::modules
