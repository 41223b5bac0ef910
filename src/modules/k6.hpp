#pragma once

// Module "k6": check, fail, group, randomSeed, sleep (k6-behaviour.md §5.1).

#include "js/module_registry.hpp"

namespace volley::modules {

js::NativeModule k6_module();

} // namespace volley::modules
