#pragma once

// `volley merge FILE...` (docs/merge.md): the end-of-test summary of a whole distributed test from
// the results records of its instances (`run --out results=FILE`), thresholds evaluated over the
// merged data, as `run` would have printed it for the whole test in one process.

#include <string>
#include <vector>

#include "app/cli.hpp"
#include "output/results_record.hpp"

namespace volley::app {

// One instance's record and the file it came from.
struct MergePart {
    std::string path;
    output::ResultsRecord record;
};

// Reads one record (plain or gzip). Throws UserError(ExitCode::kGeneric) when the file cannot be
// read or is not a volley results record.
MergePart read_part(const std::string& path);

// Checks that the parts are one test: same script, same options, same segment sequence, and
// segments that cover 0..1 once (no duplicate, overlap or gap). Sorts them by segment. Throws
// UserError(ExitCode::kInvalidConfig) naming the file or the segments at fault.
void check_parts(std::vector<MergePart>& parts);

// Prints the merged summary and writes --summary-export. Returns the exit code: 99 when a
// threshold failed over the merged data, else 0. Throws UserError as above.
int merge_command(const MergeArgs& args);

} // namespace volley::app
