#pragma once

// Module "k6/metrics": Counter, Gauge, Rate, Trend (k6-behaviour.md §5.2).

#include "js/module_registry.hpp"

namespace volley::modules {

js::NativeModule metrics_module();

} // namespace volley::modules
