#pragma once

// Helpers shared by the policy tests: a scenario of one executor type, and every start time an
// arrival schedule yields.

#include <vector>

#include "exec/executor.hpp"

namespace volley::exec::testing {

inline config::ScenarioConfig make(config::ExecutorType type) {
    config::ScenarioConfig sc;
    sc.name = "s";
    sc.executor = type;
    return sc;
}

// Bounded, so that a schedule that never ends fails the test instead of hanging it.
inline std::vector<Duration> all_starts(ArrivalSchedule& s) {
    std::vector<Duration> out;
    while (auto t = s.next_start()) {
        out.push_back(*t);
        if (out.size() > 100000) {
            break;
        }
    }
    return out;
}

} // namespace volley::exec::testing
