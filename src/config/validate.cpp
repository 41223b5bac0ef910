// k6's validation texts for scenarios (lib/executor/*.go Validate), trend stats, stages and
// tags given on the command line.

#include <algorithm>

#include <fmt/format.h>

#include "config/merge.hpp"
#include "util/ascii.hpp"

namespace volley::config {
namespace {

constexpr Duration kMinDuration = std::chrono::seconds(1);

void base_problems(const ScenarioConfig& sc, std::vector<std::string>& out) {
    auto name_char = [](char c) { return ascii_alnum(c) || c == '_' || c == '-'; };
    if (sc.name.empty()) {
        out.push_back("scenario name can't be empty");
    } else if (!std::all_of(sc.name.begin(), sc.name.end(), name_char)) {
        out.push_back("the scenario name should contain only numbers, latin letters, "
                      "underscores, and dashes");
    }
    if (sc.exec.empty()) {
        out.push_back("exec value cannot be empty");
    }
    if (sc.start_time < Duration{0}) {
        out.push_back("the startTime can't be negative");
    }
    if (sc.graceful_stop < Duration{0}) {
        out.push_back("the gracefulStop timeout can't be negative");
    }
}

void stage_problems(const std::vector<Stage>& stages, std::vector<std::string>& out) {
    if (stages.empty()) {
        out.push_back("at least one stage has to be specified");
    }
    for (std::size_t i = 0; i < stages.size(); ++i) {
        if (stages[i].duration < Duration{0}) {
            out.push_back(fmt::format("the duration for stage {} can't be negative", i + 1));
        }
        if (stages[i].target < 0) {
            out.push_back(fmt::format("the target for stage {} can't be negative", i + 1));
        }
    }
}

void min_duration(const char* what, Duration d, std::vector<std::string>& out) {
    if (d < kMinDuration) {
        out.push_back(fmt::format("the {} should be at least {}, but is {}", what,
                                  format_duration(kMinDuration), format_duration(d)));
    }
}

void iteration_problems(const ScenarioConfig& sc, std::vector<std::string>& out) {
    if (sc.vus <= 0) {
        out.push_back("the number of VUs must be more than 0");
    }
    if (sc.executor == ExecutorType::kSharedIterations && sc.iterations < sc.vus) {
        out.push_back(
            fmt::format("the number of iterations ({}) can't be less than the number of VUs ({})",
                        sc.iterations, sc.vus));
    }
    if (sc.executor == ExecutorType::kPerVuIterations && sc.iterations <= 0) {
        out.push_back("the number of iterations must be more than 0");
    }
    min_duration("maxDuration", sc.max_duration, out);
}

void arrival_problems(const ScenarioConfig& sc, std::vector<std::string>& out) {
    if (sc.executor == ExecutorType::kConstantArrivalRate) {
        if (sc.rate <= 0) {
            out.push_back("the iteration rate must be more than 0");
        }
        min_duration("duration", sc.duration, out);
    } else {
        if (sc.start_rate < 0) {
            out.push_back("the startRate value can't be negative");
        }
        stage_problems(sc.stages, out);
    }
    if (sc.time_unit <= Duration{0}) {
        out.push_back("the timeUnit must be more than 0");
    }
    if (sc.pre_allocated_vus < 0) {
        out.push_back("the number of preAllocatedVUs can't be negative");
    }
    if (sc.max_vus < sc.pre_allocated_vus) {
        out.push_back("maxVUs can't be less than preAllocatedVUs");
    }
}

std::vector<std::string> executor_problems(const ScenarioConfig& sc) {
    std::vector<std::string> out;
    base_problems(sc, out);
    switch (sc.executor) {
    case ExecutorType::kSharedIterations:
    case ExecutorType::kPerVuIterations:
        iteration_problems(sc, out);
        break;
    case ExecutorType::kConstantVus:
        if (sc.vus <= 0) {
            out.push_back("the number of VUs must be more than 0");
        }
        min_duration("duration", sc.duration, out);
        break;
    case ExecutorType::kRampingVus: {
        if (sc.start_vus < 0) {
            out.push_back("the number of start VUs can't be negative");
        }
        std::int64_t most = sc.start_vus;
        for (const auto& st : sc.stages) {
            most = std::max(most, st.target);
        }
        if (most <= 0) {
            out.push_back("either startVUs or one of the stages' target values must be greater "
                          "than 0");
        }
        stage_problems(sc.stages, out);
        break;
    }
    case ExecutorType::kConstantArrivalRate:
    case ExecutorType::kRampingArrivalRate:
        arrival_problems(sc, out);
        break;
    case ExecutorType::kExternallyControlled:
        out.push_back("the externally-controlled executor is not supported by volley");
        break;
    }
    return out;
}

bool valid_percentile(const std::string& s) {
    if (s.size() < 4 || s.compare(0, 2, "p(") != 0 || s.back() != ')') {
        return false;
    }
    std::string num = s.substr(2, s.size() - 3);
    auto dot = num.find('.');
    bool fraction_ok =
        dot == std::string::npos || all_digits(std::string_view(num).substr(dot + 1));
    if (!all_digits(std::string_view(num).substr(0, dot)) || !fraction_ok) {
        return false;
    }
    return std::strtod(num.c_str(), nullptr) <= 100; // out of range gives HUGE_VAL, no throw
}

} // namespace

std::vector<std::string> validate_scenario(const ScenarioConfig& sc,
                                           const std::set<std::string>& exports) {
    std::vector<std::string> out;
    for (const auto& p : executor_problems(sc)) {
        out.push_back(fmt::format("scenario {} has configuration errors: {}", sc.name, p));
    }
    if (!sc.exec.empty() && exports.count(sc.exec) == 0) {
        out.push_back(
            fmt::format("executor {}: function '{}' not found in exports", sc.name, sc.exec));
    }
    return out;
}

std::vector<std::string> validate_trend_stats(const std::vector<std::string>& stats) {
    static const std::set<std::string> kPlain{"avg", "min", "med", "max", "count"};
    std::vector<std::string> out;
    for (const auto& s : stats) {
        if (kPlain.count(s) == 0 && !valid_percentile(s)) {
            out.push_back(fmt::format("stat '{}' is unknown; use avg, min, med, max, count or "
                                      "p(N) with 0 <= N <= 100",
                                      s));
        }
    }
    return out;
}

std::optional<Stage> parse_stage(const std::string& text, std::string& problem) {
    auto colon = text.find(':');
    std::string d = text.substr(0, colon);
    auto dur = parse_duration(d);
    if (!dur) {
        problem = fmt::format("invalid stage '{}': {}", text, dur.error().message);
        return std::nullopt;
    }
    Stage stage{*dur, 0};
    if (colon == std::string::npos) {
        return stage; // k6: a stage without a target ramps to 0
    }
    std::string t = text.substr(colon + 1);
    if (!all_digits(std::string_view(t).substr(t.starts_with('-') ? 1 : 0)) || t.size() > 18) {
        problem = fmt::format("invalid stage '{}': the target '{}' is not an integer", text, t);
        return std::nullopt;
    }
    stage.target = std::stoll(t);
    return stage;
}

std::optional<std::pair<std::string, std::string>> parse_tag(const std::string& text,
                                                             std::string& problem) {
    const char* why = nullptr;
    auto eq = text.find('=');
    if (text.empty()) {
        why = "invalid tag, empty string";
    } else if (eq == 0) {
        why = "invalid tag, empty name";
    } else if (eq == std::string::npos || eq + 1 == text.size()) {
        why = "invalid tag, empty value";
    }
    if (why != nullptr) {
        problem = fmt::format("error parsing tag '{}': {}", text, why);
        return std::nullopt;
    }
    return std::pair{text.substr(0, eq), text.substr(eq + 1)};
}

} // namespace volley::config
