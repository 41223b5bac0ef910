#pragma once

// Metric definitions: the built-in metrics k6 emits and the custom metrics a script declares.
// Thread-safe; definitions are never removed, and references to them stay valid.

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "metrics/sample.hpp"
#include "util/error.hpp"

namespace volley::metrics {

struct MetricDef {
    MetricId id = 0;
    std::string name;
    MetricType type = MetricType::kCounter;
    ValueType contains = ValueType::kDefault;
};

// Ids of the built-in metrics, fixed at Registry construction.
struct Builtins {
    MetricId vus, vus_max, iterations, iteration_duration, dropped_iterations, checks,
        group_duration, data_sent, data_received, ws_sessions, ws_connecting, ws_session_duration,
        ws_msgs_sent, ws_msgs_received, ws_ping, http_reqs, http_req_failed, http_req_duration,
        http_req_blocked, http_req_connecting, http_req_tls_handshaking, http_req_sending,
        http_req_waiting, http_req_receiving;
};

const char* type_name(MetricType t);      // "counter", "gauge", "rate", "trend"
const char* value_type_name(ValueType v); // "default", "time", "data"

class Registry {
public:
    Registry(); // defines the built-ins

    // Defines (or returns the existing) metric, with k6's rules and error texts
    // (k6-behaviour.md §5.2): the name must match ^[a-zA-Z_][a-zA-Z0-9_]{1,128}$; an existing name
    // with another type or value type is an error. Errors are returned as a message, not thrown.
    Result<MetricId> define(std::string_view name, MetricType type, ValueType contains,
                            std::string* error);

    std::optional<MetricId> find(std::string_view name) const;
    const MetricDef& def(MetricId id) const;
    std::size_t size() const;
    const Builtins& builtins() const { return builtins_; }

private:
    MetricId add_locked(std::string_view name, MetricType type, ValueType contains);

    mutable std::mutex mutex_;
    std::deque<MetricDef> defs_;
    std::unordered_map<std::string, MetricId> by_name_;
    Builtins builtins_{};
};

} // namespace volley::metrics
