#pragma once

// The modules k6 v1.6.1 removed (internal/js/jsmodules.go newRemovedModule): importing one fails
// with k6's message. k6/experimental/timers and k6/experimental/webcrypto live with their
// replacements (timers.hpp, webcrypto.hpp).

#include <vector>

#include "js/module_registry.hpp"

namespace volley::modules {

std::vector<js::NativeModule> removed_modules();

} // namespace volley::modules
