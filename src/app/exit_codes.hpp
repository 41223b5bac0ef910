#pragma once

// Process exit codes: k6's numbers (errext/exitcodes). The enum lives in util/error.hpp so that
// every layer can attach a code to a UserError; docs/exit_codes.md says when each happens.

#include "util/error.hpp"

namespace volley::app {

inline int to_int(ExitCode code) {
    return static_cast<int>(code);
}

} // namespace volley::app
