#include "metrics/tags.hpp"

#include "util/error.hpp"

namespace volley::metrics {
namespace {

// Unambiguous encoding: each key and value is length-prefixed.
std::string canonical_key(const TagMap& tags) {
    std::string key;
    for (const auto& [k, v] : tags) {
        key += std::to_string(k.size());
        key += ':';
        key += k;
        key += std::to_string(v.size());
        key += ':';
        key += v;
    }
    return key;
}

} // namespace

TagInterner::TagInterner() {
    sets_.emplace_back();
    by_key_.emplace(std::string(), 0);
}

TagSetId TagInterner::intern(const TagMap& tags) {
    std::string key = canonical_key(tags);
    std::lock_guard lock(mutex_);
    auto it = by_key_.find(key);
    if (it != by_key_.end()) {
        return it->second;
    }
    auto id = static_cast<TagSetId>(sets_.size());
    sets_.push_back(tags);
    by_key_.emplace(std::move(key), id);
    return id;
}

const TagMap& TagInterner::get(TagSetId id) const {
    std::lock_guard lock(mutex_);
    VOLLEY_CHECK(id < sets_.size());
    return sets_[id]; // std::deque keeps references valid while sets are appended
}

std::size_t TagInterner::size() const {
    std::lock_guard lock(mutex_);
    return sets_.size();
}

} // namespace volley::metrics
