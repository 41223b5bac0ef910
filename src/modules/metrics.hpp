#pragma once

// Module "k6/metrics": Counter, Gauge, Rate, Trend (k6-behaviour.md §5.2).

#include "js/module_registry.hpp"

namespace volley::modules {

js::NativeModule metrics_module();

// Registers the JS class used by metric objects. Call once per runtime before the module loads.
void register_metric_class(JSRuntime* rt);

} // namespace volley::modules
