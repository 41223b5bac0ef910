#include "exec/saturation.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace volley::exec {
namespace {

using Span = std::pair<std::int64_t, std::int64_t>; // [begin, end) ns

// The saturated stretches of one tick: all of it when the CPU share was high; the time the
// timer waited beyond its due time when it ran late.
void saturated_spans(const LoadTick& t, std::vector<Span>& out) {
    bool long_enough = static_cast<double>(t.end_ns - t.begin_ns) >= kMinCpuIntervalMs * 1e6;
    if (long_enough && t.cpu_share >= kSaturatedCpuShare) {
        out.emplace_back(t.begin_ns, t.end_ns);
    }
    if (t.lag_ms >= kSaturatedLagMs) {
        auto lag_ns = static_cast<std::int64_t>(t.lag_ms * 1e6);
        out.emplace_back(std::max(t.begin_ns, t.end_ns - lag_ns), t.end_ns);
    }
}

// The length of the union of `spans` clipped to [begin, end), and its first and last moment.
struct Union {
    std::int64_t total = 0;
    std::int64_t first = 0;
    std::int64_t last = 0;
};

Union union_of(std::vector<Span> spans, std::int64_t begin, std::int64_t end) {
    for (auto& [b, e] : spans) {
        b = std::max(b, begin);
        e = std::min(e, end);
    }
    std::erase_if(spans, [](const Span& s) { return s.second <= s.first; });
    std::sort(spans.begin(), spans.end());
    Union u;
    if (spans.empty()) {
        return u;
    }
    u.first = spans.front().first;
    std::int64_t cur_b = spans.front().first;
    std::int64_t cur_e = spans.front().second;
    for (const auto& [b, e] : spans) {
        if (b > cur_e) {
            u.total += cur_e - cur_b;
            cur_b = b;
        }
        cur_e = std::max(cur_e, e);
    }
    u.total += cur_e - cur_b;
    u.last = cur_e;
    return u;
}

std::string seconds(double s) {
    return fmt::format("{:.1f}s", s);
}

} // namespace

Saturation judge_saturation(const std::vector<std::vector<LoadTick>>& ticks,
                            std::int64_t window_begin_ns, std::int64_t window_end_ns) {
    Saturation s;
    s.worker_count = ticks.size();
    s.window_s =
        static_cast<double>(std::max<std::int64_t>(window_end_ns - window_begin_ns, 0)) / 1e9;
    std::vector<Span> all;
    for (std::size_t w = 0; w < ticks.size(); ++w) {
        std::vector<Span> mine;
        for (const LoadTick& t : ticks[w]) {
            std::size_t before = mine.size();
            saturated_spans(t, mine);
            if (mine.size() != before && t.end_ns > window_begin_ns && t.begin_ns < window_end_ns) {
                s.max_cpu_share = std::max(s.max_cpu_share, t.cpu_share);
                s.max_lag_ms = std::max(s.max_lag_ms, t.lag_ms);
            }
        }
        if (union_of(mine, window_begin_ns, window_end_ns).total > 0) {
            s.workers.push_back(w + 1);
        }
        all.insert(all.end(), mine.begin(), mine.end());
    }
    Union u = union_of(std::move(all), window_begin_ns, window_end_ns);
    s.saturated_s = static_cast<double>(u.total) / 1e9;
    if (u.total > 0) {
        s.first_s = static_cast<double>(u.first - window_begin_ns) / 1e9;
        s.last_s = static_cast<double>(u.last - window_begin_ns) / 1e9;
    }
    return s;
}

std::string saturation_line(const Saturation& s) {
    if (!s.saturated()) {
        return {};
    }
    std::string workers;
    for (std::size_t w : s.workers) {
        workers += (workers.empty() ? "" : ", ") + std::to_string(w);
    }
    double share = s.window_s > 0 ? 100 * s.saturated_s / s.window_s : 100;
    return fmt::format("volley was saturated for {} of {} ({:.0f}%), from {} to {}: worker{} "
                       "{} of {} (CPU up to {:.0f}%, event loop up to {:.2f}s late); the "
                       "server's figures in that time are understated",
                       seconds(s.saturated_s), seconds(s.window_s), std::min(share, 100.0),
                       seconds(s.first_s), seconds(s.last_s), s.workers.size() > 1 ? "s" : "",
                       workers, s.worker_count, std::min(s.max_cpu_share, 1.0) * 100,
                       s.max_lag_ms / 1000);
}

} // namespace volley::exec
