#include "metrics/registry.hpp"

#include <fmt/format.h>

namespace volley::metrics {
namespace {

// k6 metrics/registry.go: ^[a-zA-Z_][a-zA-Z0-9_]{1,128}$
bool valid_name(std::string_view name) {
    if (name.size() < 2 || name.size() > 129) {
        return false;
    }
    auto alpha = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    };
    if (!alpha(name[0])) {
        return false;
    }
    for (char c : name.substr(1)) {
        if (!alpha(c) && !(c >= '0' && c <= '9')) {
            return false;
        }
    }
    return true;
}

void set_error(std::string* error, std::string text) {
    if (error != nullptr) {
        *error = std::move(text);
    }
}

Result<MetricId> invalid() {
    return make_error_code(boost::system::errc::invalid_argument);
}

} // namespace

const char* type_name(MetricType t) {
    switch (t) {
    case MetricType::kCounter:
        return "counter";
    case MetricType::kGauge:
        return "gauge";
    case MetricType::kRate:
        return "rate";
    case MetricType::kTrend:
        return "trend";
    }
    return "unknown";
}

const char* value_type_name(ValueType v) {
    switch (v) {
    case ValueType::kDefault:
        return "default";
    case ValueType::kTime:
        return "time";
    case ValueType::kData:
        return "data";
    }
    return "unknown";
}

Registry::Registry() {
    using T = MetricType;
    using V = ValueType;
    std::lock_guard lock(mutex_);
    auto& b = builtins_;
    // The order of k6's metrics/builtin.go; all of them are reserved, as in k6.
    b.vus = add_locked("vus", T::kGauge, V::kDefault);
    b.vus_max = add_locked("vus_max", T::kGauge, V::kDefault);
    b.iterations = add_locked("iterations", T::kCounter, V::kDefault);
    b.iteration_duration = add_locked("iteration_duration", T::kTrend, V::kTime);
    b.dropped_iterations = add_locked("dropped_iterations", T::kCounter, V::kDefault);
    b.checks = add_locked("checks", T::kRate, V::kDefault);
    b.group_duration = add_locked("group_duration", T::kTrend, V::kTime);
    b.http_reqs = add_locked("http_reqs", T::kCounter, V::kDefault);
    b.http_req_failed = add_locked("http_req_failed", T::kRate, V::kDefault);
    b.http_req_duration = add_locked("http_req_duration", T::kTrend, V::kTime);
    b.http_req_blocked = add_locked("http_req_blocked", T::kTrend, V::kTime);
    b.http_req_connecting = add_locked("http_req_connecting", T::kTrend, V::kTime);
    b.http_req_tls_handshaking = add_locked("http_req_tls_handshaking", T::kTrend, V::kTime);
    b.http_req_sending = add_locked("http_req_sending", T::kTrend, V::kTime);
    b.http_req_waiting = add_locked("http_req_waiting", T::kTrend, V::kTime);
    b.http_req_receiving = add_locked("http_req_receiving", T::kTrend, V::kTime);
    b.ws_sessions = add_locked("ws_sessions", T::kCounter, V::kDefault);
    b.ws_msgs_sent = add_locked("ws_msgs_sent", T::kCounter, V::kDefault);
    b.ws_msgs_received = add_locked("ws_msgs_received", T::kCounter, V::kDefault);
    b.ws_ping = add_locked("ws_ping", T::kTrend, V::kTime);
    b.ws_session_duration = add_locked("ws_session_duration", T::kTrend, V::kTime);
    b.ws_connecting = add_locked("ws_connecting", T::kTrend, V::kTime);
    add_locked("grpc_req_duration", T::kTrend, V::kTime);
    add_locked("grpc_streams", T::kCounter, V::kDefault);
    add_locked("grpc_streams_msgs_sent", T::kCounter, V::kDefault);
    add_locked("grpc_streams_msgs_received", T::kCounter, V::kDefault);
    b.data_sent = add_locked("data_sent", T::kCounter, V::kData);
    b.data_received = add_locked("data_received", T::kCounter, V::kData);
}

Result<MetricId> Registry::define(std::string_view name, MetricType type, ValueType contains,
                                  std::string* error) {
    if (!valid_name(name)) {
        set_error(error, fmt::format("Invalid metric name: '{}'. Metric names must only include up "
                                     "to 128 ASCII letters, numbers, or underscores and start "
                                     "with a letter or an underscore.",
                                     name));
        return invalid();
    }
    std::lock_guard lock(mutex_);
    auto it = by_name_.find(std::string(name));
    if (it == by_name_.end()) {
        return add_locked(name, type, contains);
    }
    const MetricDef& old = defs_[it->second];
    if (old.type != type) {
        set_error(error, fmt::format("metric '{}' already exists but with type {}, instead of {}",
                                     name, type_name(old.type), type_name(type)));
        return invalid();
    }
    if (old.contains != contains) {
        set_error(error,
                  fmt::format("metric '{}' already exists but with a value type {}, instead of {}",
                              name, value_type_name(old.contains), value_type_name(contains)));
        return invalid();
    }
    return old.id;
}

std::optional<MetricId> Registry::find(std::string_view name) const {
    std::lock_guard lock(mutex_);
    auto it = by_name_.find(std::string(name));
    if (it == by_name_.end()) {
        return std::nullopt;
    }
    return it->second;
}

const MetricDef& Registry::def(MetricId id) const {
    std::lock_guard lock(mutex_);
    VOLLEY_CHECK(id < defs_.size());
    return defs_[id]; // std::deque: references stay valid as definitions are appended
}

std::size_t Registry::size() const {
    std::lock_guard lock(mutex_);
    return defs_.size();
}

MetricId Registry::add_locked(std::string_view name, MetricType type, ValueType contains) {
    auto id = static_cast<MetricId>(defs_.size());
    defs_.push_back(MetricDef{id, std::string(name), type, contains});
    by_name_.emplace(std::string(name), id);
    return id;
}

} // namespace volley::metrics
