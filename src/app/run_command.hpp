#pragma once

// `volley run` and `volley inspect`: the composition root (docs/architecture.md, "Folders and the
// dependency rule"). Builds the bundle, consolidates the options, wires the metrics engine,
// outputs, runner and scheduler, runs the test and reports. Call from the main thread.

#include "app/cli.hpp"

namespace volley::app {

// Returns the process exit code (k6's numbers); throws UserError for bad input.
int run_command(const RunArgs& args);

// Prints the consolidated options as JSON (like `k6 inspect`). Returns the exit code.
int inspect_command(const RunArgs& args);

} // namespace volley::app
