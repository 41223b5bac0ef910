#include "exec/ramping_vus.hpp"

#include <algorithm>

namespace volley::exec {
namespace {

void add_step(std::vector<VuStep>& steps, Duration offset, std::int64_t vus) {
    auto v = static_cast<std::uint64_t>(vus);
    if (steps.back().vus != v) {
        steps.push_back({offset, v});
    }
}

} // namespace

std::vector<VuStep> ramping_vus_steps(std::int64_t start_vus,
                                      const std::vector<config::Stage>& stages,
                                      const config::Stripe& stripe) {
    config::SegmentedIndex index(stripe);
    auto pos = index.go_to(start_vus);
    std::vector<VuStep> steps{{Duration{0}, static_cast<std::uint64_t>(pos.scaled)}};
    std::int64_t from = start_vus;
    Duration end{0};
    for (const auto& stage : stages) {
        std::int64_t to = stage.target;
        std::int64_t ns = stage.duration.count();
        end += stage.duration;
        std::int64_t diff = to - from;
        if (diff == 0) {
            continue;
        }
        if (ns == 0) {
            pos = index.go_to(to);
            add_step(steps, end, pos.scaled);
        } else if (pos.unscaled > to) {
            for (; pos.unscaled > to; pos = index.prev()) {
                add_step(steps, end - Duration{ns * (to - pos.unscaled + 1) / diff},
                         pos.scaled - 1);
            }
        } else {
            for (; pos.unscaled <= to; pos = index.next()) {
                add_step(steps, end - Duration{ns * (to - pos.unscaled) / diff}, pos.scaled);
            }
        }
        from = to;
    }
    return steps;
}

RampingVus::RampingVus(const config::ScenarioConfig& config, config::ExecutionTuple tuple)
    : LoopingExecutor(config, std::move(tuple)),
      steps_(ramping_vus_steps(config.start_vus, config.stages, tuple_.stripe())) {
    for (const auto& stage : config.stages) {
        regular_ += stage.duration;
    }
    for (const auto& step : steps_) {
        max_vus_ = std::max(max_vus_, step.vus);
    }
}

std::uint64_t RampingVus::planned(Duration t) const {
    auto it = std::upper_bound(steps_.begin(), steps_.end(), t,
                               [](Duration x, const VuStep& s) { return x < s.offset; });
    return it == steps_.begin() ? steps_.front().vus : std::prev(it)->vus;
}

std::uint64_t RampingVus::active_vus(Duration t) const {
    return t < regular_ ? planned(t) : 0;
}

std::uint64_t RampingVus::graceful_vus(Duration t) const {
    if (t >= regular_ + config_.graceful_stop) {
        return 0;
    }
    // The most VUs planned at any time in [t - gracefulRampDown, t]: a VU above that count has
    // been ramped down for longer than gracefulRampDown.
    Duration from = t - config_.graceful_ramp_down;
    std::uint64_t most = planned(from);
    for (const auto& step : steps_) {
        if (step.offset > from && step.offset <= t) {
            most = std::max(most, step.vus);
        }
    }
    return most;
}

std::optional<Duration> RampingVus::next_change(Duration t) const {
    std::optional<Duration> best;
    auto consider = [&](Duration c) {
        if (c > t && (!best || c < *best)) {
            best = c;
        }
    };
    for (const auto& step : steps_) {
        consider(step.offset);
        consider(step.offset + config_.graceful_ramp_down);
    }
    consider(regular_);
    consider(regular_ + config_.graceful_stop);
    return best;
}

std::optional<std::uint64_t> RampingVus::claim(std::uint64_t index, std::uint64_t /*done*/,
                                               Duration t) {
    if (index >= active_vus(t)) {
        return std::nullopt;
    }
    return next_number();
}

} // namespace volley::exec
