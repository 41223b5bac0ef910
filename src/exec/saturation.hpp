#pragma once

// Whether volley itself was the bottleneck (docs/insight.md, "Saturation"): from what each
// worker measured of itself once a second, the stretches of the test when a worker was
// saturated, and the one line the end of the summary then carries. Pure; any thread.

#include <cstdint>
#include <string>
#include <vector>

namespace volley::exec {

// A worker counts as saturated over a measured interval when its thread was on CPU for at
// least this share of it, or over the time its once-a-second timer ran this late.
// The CPU share is judged over intervals of at least kMinCpuIntervalMs only (the last, partial
// one can be a few milliseconds of teardown). A run is reported saturated from
// kMinReportedS of saturated time on, so one GC pause does not make a warning.
inline constexpr double kSaturatedCpuShare = 0.90;
inline constexpr double kSaturatedLagMs = 100;
inline constexpr double kMinCpuIntervalMs = 250;
inline constexpr double kMinReportedS = 0.5;

// One tick of a worker's monitor: the interval since its previous tick (wall clock, ns since
// the Unix epoch), the share of it the worker's thread spent on CPU, and how late the tick ran.
struct LoadTick {
    std::int64_t begin_ns = 0;
    std::int64_t end_ns = 0;
    double cpu_share = 0; // 0..1 (can exceed 1 slightly through clock granularity)
    double lag_ms = 0;
};

struct Saturation {
    double saturated_s = 0; // time at least one worker was saturated, within the window
    double window_s = 0;    // the test's length (from its first scenario's start)
    double first_s = 0;     // offsets from the window's start of the first saturated moment
    double last_s = 0;      // and of the last
    double max_cpu_share = 0;
    double max_lag_ms = 0;
    std::vector<std::size_t> workers; // 1-based numbers of the saturated workers
    std::size_t worker_count = 0;

    bool saturated() const { return saturated_s >= kMinReportedS; }
};

// Judges `ticks[w]` (worker w's ticks, in order) within [window_begin_ns, window_end_ns).
Saturation judge_saturation(const std::vector<std::vector<LoadTick>>& ticks,
                            std::int64_t window_begin_ns, std::int64_t window_end_ns);

// The sentence the end of the summary carries for a saturated run, e.g.
//   volley was saturated for 2.5s of 3.0s (83%), from 0.0s to 2.5s: worker 1 of 2 (CPU up to
//   100%, event loop up to 1.50s late); the server's figures in that time are understated
// (one line; "" when not saturated).
std::string saturation_line(const Saturation& s);

} // namespace volley::exec
