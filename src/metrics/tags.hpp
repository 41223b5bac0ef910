#pragma once

// Tag sets are interned once (when a VU's tags change, when a socket opens) and samples carry
// only the 32-bit id, so the per-sample path never touches strings.

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "metrics/sample.hpp"

namespace volley::metrics {

// Sorted by key, one value per key (k6's TagSet).
using TagMap = std::map<std::string, std::string>;

// Thread-safe. intern() takes a lock and may allocate; get() of an id returned by intern() is
// lock-free-cheap (takes the lock only briefly) and the reference stays valid for the
// interner's lifetime. Id 0 is the empty tag set.
class TagInterner {
public:
    TagInterner();
    TagSetId intern(const TagMap& tags);
    const TagMap& get(TagSetId id) const;
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::deque<TagMap> sets_;
    std::unordered_map<std::string, TagSetId> by_key_; // canonical encoding -> id
};

} // namespace volley::metrics
