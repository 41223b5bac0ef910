#pragma once

// `volley archive` and running a k6 archive with `volley run archive.tar` (docs/archive.md).

#include <memory>
#include <string>

#include <boost/json/value.hpp>

#include "app/cli.hpp"
#include "script/archive.hpp"

namespace volley::app {

// The archive at `path`, or null when the file is not a tar archive (a script). Throws
// UserError (exit 107) for a corrupt archive.
std::shared_ptr<const script::Archive> load_archive_if_any(const std::string& path);

// The options an archived test runs with, before flags and K6_ variables: the script's exported
// options, overlaid key by key with the archive's.
boost::json::value archived_options(const std::string& exported_json,
                                    const script::Archive& archive);

// `volley archive [flags] script.js`: compiles the script (fetching its remote modules) and
// writes the archive to --archive-out (default archive.tar). Returns the exit code.
int archive_command(const RunArgs& args);

} // namespace volley::app
