#include "modules/insight.hpp"

#include <string>

#include "util/error.hpp"

namespace volley::modules {

InsightMetrics define_insight_metrics(metrics::Registry& registry) {
    auto define = [&registry](const char* name, metrics::MetricType type,
                              metrics::ValueType value_type) {
        std::string error;
        auto id = registry.define(name, type, value_type, &error);
        if (!id) { // the script defined one of these names with another type
            throw UserError(error, "rename the script's metric, or run without --insight");
        }
        return *id;
    };
    auto trend = [&define](const char* name) {
        return define(name, metrics::MetricType::kTrend, metrics::ValueType::kTime);
    };
    return {trend("ws_dns_lookup"),
            trend("ws_tcp_connecting"),
            trend("ws_tls_handshaking"),
            trend("ws_upgrading"),
            define("ws_errors", metrics::MetricType::kCounter, metrics::ValueType::kDefault),
            trend("generator_lag"),
            define("generator_cpu", metrics::MetricType::kTrend, metrics::ValueType::kDefault)};
}

} // namespace volley::modules
