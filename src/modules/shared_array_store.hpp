#pragma once

// k6/data's SharedArrays by name, for the whole test (k6's sharedArrays in data.go): the first
// runtime that constructs a name builds its data, every later one (any VU, any thread) gets the
// same immutable SharedArrayData. One store per test, reached from VuApi::shared_arrays();
// thread-safe.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "modules/shared_array_data.hpp"

namespace volley::modules {

class SharedArrayStore {
public:
    // Builds the data of a new name; may throw (the name then stays unbuilt).
    using Build = std::function<std::shared_ptr<const SharedArrayData>()>;

    // Thrown when `name` is already being built on the calling thread: the array's own function
    // constructs its name again, or another VU of the thread runs while the builder waits
    // (sleep() in the function). Waiting would block the thread for ever.
    class BuildInProgress : public std::runtime_error {
    public:
        using std::runtime_error::runtime_error;
    };

    // The data of `name`: built now by `build` when no one has built it (k6's loadOrStore).
    // Builds of one name are serialised: a caller that finds another thread building it waits
    // for that build, then uses its data, or builds in turn if that build threw. Builds of
    // different names do not wait for each other. Throws what `build` throws, or
    // BuildInProgress.
    std::shared_ptr<const SharedArrayData> get_or_build(const std::string& name,
                                                        const Build& build);

private:
    struct Slot {
        std::mutex build_mutex; // held while building
        std::shared_ptr<const SharedArrayData> data;
        std::atomic<std::thread::id> builder{}; // the thread building it now, if any
    };
    Slot& slot(const std::string& name);

    std::mutex mutex_; // guards slots_ (the map, not the slots)
    std::map<std::string, std::unique_ptr<Slot>> slots_;
};

} // namespace volley::modules
