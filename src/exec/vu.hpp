#pragma once

// The seam between the scheduler/executors and the VUs (docs/architecture.md, "Folders and the
// dependency rule"): executors see only this interface, so they can be tested with a fake VU and
// a manual clock.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/spawn.hpp>

#include "util/coroutine.hpp"

namespace volley::exec {

// What one iteration runs: the exported function, with the scenario's identity and counters.
// Valid for the duration of run_iteration().
struct IterationContext {
    const std::string* scenario = nullptr; // scenario name ("default" for shortcut configs)
    const std::string* executor = nullptr; // executor name, e.g. "constant-vus"
    const std::string* exec = nullptr;     // exported function to call, e.g. "default"
    const std::map<std::string, std::string>* scenario_env = nullptr;  // extra __ENV, may be null
    const std::map<std::string, std::string>* scenario_tags = nullptr; // extra tags, may be null
    std::uint64_t iteration_in_scenario = 0; // 0-based, per VU within this scenario
    std::uint64_t iteration_in_instance = 0; // 0-based, across the scenario's VUs here
    std::uint64_t iteration_in_test = 0;     // 0-based, across every instance (segments)
    std::int64_t scenario_start_unix_ms = 0; // when the scenario started
};

enum class IterationResult {
    kCompleted,   // default() returned; counts in `iterations`
    kFailed,      // default() threw; logged, still counts in `iterations` (as k6)
    kInterrupted, // stopped by interrupt(): no iterations/iteration_duration sample
};

// A virtual user. Created and destroyed by a VuFactory; lives on one worker thread.
// Thread-safety: every member except interrupt() must be called on the VU's worker thread.
class Vu {
public:
    virtual ~Vu() = default;

    // 1-based VU id in this instance (__VU).
    virtual std::uint64_t id() const = 0;

    // Index of the worker thread (and io_context) that owns this VU.
    virtual std::size_t worker() const = 0;

    // Runs one iteration on the calling coroutine (which must run on the VU's worker and have a
    // stack of at least kVuStackBytes). Returns when the function returns, throws or is
    // interrupted. Never throws a C++ exception for script errors.
    virtual IterationResult run_iteration(const IterationContext& ctx, Yield yield) = 0;

    // Thread-safe. Makes the current (or next) run_iteration() return kInterrupted promptly:
    // sets the JS interrupt flag, cuts sleep(), closes the VU's sockets. Cleared when the next
    // run_iteration() starts.
    virtual void interrupt() = 0;
};

// Coroutine stack size for VU coroutines: the JS stack limit plus a margin (docs/architecture.md,
// "Measured choices").
inline constexpr std::size_t kVuStackBytes = std::size_t{512} * 1024;

} // namespace volley::exec
