#include "modules/insight.hpp"

#include <string>

#include "util/error.hpp"

namespace volley::modules {

InsightMetrics define_insight_metrics(metrics::Registry& registry) {
    auto trend = [&registry](const char* name) {
        std::string error;
        auto id =
            registry.define(name, metrics::MetricType::kTrend, metrics::ValueType::kTime, &error);
        if (!id) { // the script defined one of these names with another type
            throw UserError(error, "rename the script's metric, or run without --insight");
        }
        return *id;
    };
    return {trend("ws_dns_lookup"), trend("ws_tcp_connecting"), trend("ws_tls_handshaking"),
            trend("ws_upgrading")};
}

} // namespace volley::modules
