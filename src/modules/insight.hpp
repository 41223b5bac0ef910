#pragma once

// --insight (docs/insight.md): what volley measures beyond k6, opt-in so that by default every
// output is exactly k6's. Its metrics exist only when it is on.

#include "metrics/registry.hpp"

namespace volley::modules {

struct InsightMetrics {
    metrics::MetricId ws_dns_lookup = 0;      // Trend (time): URL parse and DNS of a connect
    metrics::MetricId ws_tcp_connecting = 0;  // Trend (time): the TCP connect
    metrics::MetricId ws_tls_handshaking = 0; // Trend (time): the TLS handshake (wss only)
    metrics::MetricId ws_upgrading = 0;       // Trend (time): the HTTP upgrade
    metrics::MetricId ws_errors = 0;          // Counter: WebSocket failures, tagged error_code
    metrics::MetricId generator_lag = 0; // Trend (time): a worker's event-loop lag, each second
    metrics::MetricId generator_cpu = 0; // Trend: a worker thread's CPU use in %, each second
};

// Defines the insight metrics. Throws UserError (104) if the script already defined one of the
// names with another type.
InsightMetrics define_insight_metrics(metrics::Registry& registry);

} // namespace volley::modules
