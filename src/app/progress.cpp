#include "app/progress.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "config/duration.hpp"
#include "exec/scenario_run.hpp"

namespace volley::app {
namespace {

using config::ExecutorType;
using config::format_duration;
using exec::Duration;

constexpr std::size_t kBarWidth = 40;

// k6's getBaseInfo: the facts every executor adds in parentheses.
std::string base_info(const config::ScenarioConfig& sc, std::vector<std::string> facts) {
    if (sc.exec != "default") {
        facts.push_back("exec: " + sc.exec);
    }
    if (sc.start_time > Duration{0}) {
        facts.push_back("startTime: " + format_duration(sc.start_time));
    }
    if (sc.graceful_stop > Duration{0}) {
        facts.push_back("gracefulStop: " + format_duration(sc.graceful_stop));
    }
    if (facts.empty()) {
        return "";
    }
    return fmt::format(" ({})", fmt::join(facts, ", "));
}

Duration stages_duration(const config::ScenarioConfig& sc) {
    Duration total{0};
    for (const auto& st : sc.stages) {
        total += st.duration;
    }
    return total;
}

// k6 says "over 1 stages".
std::string stage_count(std::size_t n) {
    return fmt::format("{} stages", n);
}

// k6 adds "-N" only when maxVUs is larger: constant-arrival-rate compares the segment's
// shares, ramping-arrival-rate the options.
std::string max_vus_fact(const config::ScenarioConfig& sc, const exec::ScenarioPlan& plan) {
    bool larger = sc.executor == ExecutorType::kConstantArrivalRate
                      ? plan.max_vus > plan.pre_allocated_vus
                      : sc.max_vus > sc.pre_allocated_vus;
    std::string fact = fmt::format("maxVUs: {}", plan.pre_allocated_vus);
    return larger ? fact + fmt::format("-{}", plan.max_vus) : fact;
}

// k6's pb.GetFixedLengthDuration: tenths of a second, with as many fields as `max` needs.
std::string fixed_duration(Duration d, Duration max) {
    auto tenths = std::max<std::int64_t>(0, d.count() / 100'000'000);
    std::int64_t h = tenths / 36000;
    std::int64_t m = tenths / 600 % 60;
    std::int64_t s = tenths / 10 % 60;
    std::int64_t f = tenths % 10;
    if (max >= std::chrono::hours(1) || h > 0) {
        return fmt::format("{}h{:02}m{:02}.{}s", h, m, s, f);
    }
    if (max >= std::chrono::minutes(1) || m > 0) {
        return fmt::format("{}m{:02}.{}s", m, s, f);
    }
    return fmt::format("{:02}.{}s", s, f);
}

std::size_t digits(std::uint64_t n) {
    return fmt::formatted_size("{}", n);
}

// `[=====>------]`: k6's bar, kBarWidth wide.
std::string bar(double progress) {
    auto filled = std::min(kBarWidth, static_cast<std::size_t>(std::floor(progress * kBarWidth)));
    if (filled == kBarWidth) {
        return std::string(kBarWidth, '=');
    }
    std::string head = filled > 0 ? std::string(filled - 1, '=') + ">" : "";
    return head + std::string(kBarWidth - filled, '-');
}

// The part right of a scenario's bar, in k6's words for its executor.
std::string bar_right(const exec::ScenarioSnapshot& s) {
    const auto& sc = *s.config;
    if (s.state == exec::ScenarioSnapshot::State::kWaiting) {
        return "waiting";
    }
    std::uint64_t done = s.iterations_completed + s.iterations_interrupted;
    std::size_t w = digits(s.plan.max_vus);
    std::string time =
        fmt::format("{}/{}", fixed_duration(std::min(s.elapsed, s.plan.regular), s.plan.regular),
                    format_duration(s.plan.regular));
    switch (sc.executor) {
    case ExecutorType::kSharedIterations:
        return fmt::format("{} VUs  {:0{}}/{} shared iters", s.plan.vus, done,
                           digits(s.plan.total_iterations), s.plan.total_iterations);
    case ExecutorType::kPerVuIterations:
        return fmt::format("{} VUs  {:0{}}/{} iters, {} per VU", s.plan.vus, done,
                           digits(s.plan.total_iterations), s.plan.total_iterations, sc.iterations);
    case ExecutorType::kConstantVus:
        return fmt::format("{} VUs  {}", s.plan.vus, time);
    case ExecutorType::kRampingVus:
        return fmt::format("{:0{}}/{:0{}} VUs  {}", s.vus_active, w, s.plan.max_vus, w, time);
    default: // arrival-rate
        return fmt::format("{:0{}}/{:0{}} VUs  {}  {:.2f} iters/s", s.vus_active, w, s.plan.max_vus,
                           w, time, s.plan.rate_per_second);
    }
}

} // namespace

std::string banner() {
    return "\n"
           "                    _ _\n"
           "   __   _____  _ __| | | ___ _   _\n"
           "   \\ \\ / / _ \\| '_ \\ | |/ _ \\ | | |\n"
           "    \\ V / (_) | |_) | | |  __/ |_| |\n"
           "     \\_/ \\___/|_.__/|_|_|\\___|\\__, |\n"
           "                              |___/\n"
           "\n";
}

std::string scenario_description(const config::ScenarioConfig& sc,
                                 const config::ExecutionTuple& tuple) {
    exec::ScenarioPlan plan = exec::plan_scenario(sc, tuple);
    switch (sc.executor) {
    case ExecutorType::kSharedIterations:
        return fmt::format("{} iterations shared among {} VUs{}", plan.total_iterations, plan.vus,
                           base_info(sc, {"maxDuration: " + format_duration(sc.max_duration)}));
    case ExecutorType::kPerVuIterations:
        return fmt::format("{} iterations for each of {} VUs{}", sc.iterations, plan.vus,
                           base_info(sc, {"maxDuration: " + format_duration(sc.max_duration)}));
    case ExecutorType::kConstantVus:
        return fmt::format("{} looping VUs for {}{}", plan.vus, format_duration(sc.duration),
                           base_info(sc, {}));
    case ExecutorType::kRampingVus:
        return fmt::format(
            "Up to {} looping VUs for {} over {}{}", plan.max_vus,
            format_duration(stages_duration(sc)), stage_count(sc.stages.size()),
            base_info(sc, {"gracefulRampDown: " + format_duration(sc.graceful_ramp_down)}));
    case ExecutorType::kConstantArrivalRate:
        return fmt::format("{:.2f} iterations/s for {}{}", plan.rate_per_second,
                           format_duration(sc.duration), base_info(sc, {max_vus_fact(sc, plan)}));
    case ExecutorType::kRampingArrivalRate:
        return fmt::format("Up to {:.2f} iterations/s for {} over {}{}", plan.rate_per_second,
                           format_duration(stages_duration(sc)), stage_count(sc.stages.size()),
                           base_info(sc, {max_vus_fact(sc, plan)}));
    default:
        return config::executor_name(sc.executor);
    }
}

Duration max_test_duration(const config::RunOptions& options) {
    Duration most{0};
    for (const auto& sc : options.scenarios) {
        most = std::max(most, sc.start_time + exec::plan_scenario(sc).regular + sc.graceful_stop);
    }
    return most;
}

std::string execution_description(const config::RunOptions& options, const std::string& script,
                                  const std::vector<std::string>& outputs) {
    std::size_t n = options.scenarios.size();
    std::string out =
        fmt::format("     execution: local\n"
                    "        script: {}\n"
                    "        output: {}\n\n",
                    script, outputs.empty() ? "-" : fmt::format("{}", fmt::join(outputs, ", ")));
    const auto& tuple = options.execution;
    out += fmt::format("     scenarios: ({:.2f}%) {} scenario{}, {} max VUs, {} max duration "
                       "(incl. graceful stop):\n",
                       tuple.segment().length().to_double() * 100, n, n == 1 ? "" : "s",
                       exec::planned_vus(options.scenarios, tuple, true),
                       format_duration(max_test_duration(options)));
    for (const auto& sc : options.scenarios) {
        out += fmt::format("              * {}: {}\n", sc.name, scenario_description(sc, tuple));
    }
    return out + "\n";
}

std::vector<std::string> render_progress(const exec::RunSnapshot& snap, Duration max_duration) {
    std::vector<std::string> lines;
    lines.push_back(fmt::format(
        "running ({}), {:0{}}/{} VUs, {} complete and {} interrupted iterations",
        fixed_duration(snap.elapsed, std::max<Duration>(max_duration, std::chrono::minutes(1))),
        snap.vus_active, digits(snap.vus_max), snap.vus_max, snap.iterations_completed,
        snap.iterations_interrupted));
    std::size_t name_width = 0;
    for (const auto& s : snap.scenarios) {
        name_width = std::max(name_width, s.config->name.size());
    }
    for (const auto& s : snap.scenarios) {
        bool done = s.state == exec::ScenarioSnapshot::State::kDone;
        lines.push_back(fmt::format("{:<{}} {} [{}] {}", s.config->name, name_width,
                                    done ? "✓" : " ", bar(s.progress), bar_right(s)));
    }
    return lines;
}

ProgressDisplay::ProgressDisplay(std::function<exec::RunSnapshot()> source, Settings settings,
                                 std::FILE* out)
    : source_(std::move(source)), settings_(settings), out_(out) {
    thread_ = std::thread([this] { loop(); });
}

ProgressDisplay::~ProgressDisplay() {
    stop();
}

void ProgressDisplay::stop() {
    if (!thread_.joinable()) {
        return;
    }
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
    draw(); // the final state, once
}

void ProgressDisplay::loop() {
    auto period = settings_.tty ? settings_.tty_period : settings_.plain_period;
    std::unique_lock lock(mutex_);
    while (!cv_.wait_for(lock, period, [this] { return stopping_; })) {
        lock.unlock();
        draw();
        lock.lock();
    }
}

void ProgressDisplay::draw() {
    auto lines = render_progress(source_(), settings_.max_duration);
    std::string frame;
    if (settings_.tty && drawn_lines_ > 0) {
        frame += fmt::format("\x1b[{}A", drawn_lines_); // back to the first line of the frame
    }
    for (const auto& line : lines) {
        frame += settings_.tty ? "\r\x1b[K" + line + "\n" : line + "\n";
    }
    drawn_lines_ = lines.size();
    std::fputs(frame.c_str(), out_);
    std::fflush(out_);
}

} // namespace volley::app
