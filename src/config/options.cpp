#include "config/options.hpp"

#include <array>
#include <utility>

namespace volley::config {
namespace {

constexpr std::array<std::pair<ExecutorType, const char*>, 7> kExecutorNames{{
    {ExecutorType::kSharedIterations, "shared-iterations"},
    {ExecutorType::kPerVuIterations, "per-vu-iterations"},
    {ExecutorType::kConstantVus, "constant-vus"},
    {ExecutorType::kRampingVus, "ramping-vus"},
    {ExecutorType::kConstantArrivalRate, "constant-arrival-rate"},
    {ExecutorType::kRampingArrivalRate, "ramping-arrival-rate"},
    {ExecutorType::kExternallyControlled, "externally-controlled"},
}};

} // namespace

const char* executor_name(ExecutorType type) {
    for (const auto& [t, name] : kExecutorNames) {
        if (t == type) {
            return name;
        }
    }
    return "unknown";
}

std::optional<ExecutorType> executor_from_name(std::string_view name) {
    for (const auto& [t, n] : kExecutorNames) {
        if (name == n) {
            return t;
        }
    }
    return std::nullopt;
}

std::set<std::string> default_system_tags() {
    return {"proto",       "subproto",
            "status",      "method",
            "url",         "name",
            "group",       "check",
            "error",       "error_code",
            "tls_version", "scenario",
            "service",     "expected_response"};
}

const std::set<std::string>& known_system_tags() {
    static const std::set<std::string> kAll = [] {
        auto s = default_system_tags();
        s.insert({"iter", "vu", "ocsp_status", "ip"});
        return s;
    }();
    return kAll;
}

} // namespace volley::config
