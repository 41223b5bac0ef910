#pragma once

// What `--out results=FILE` records of a prepared test besides its samples (output/RunFacts):
// the options, the hashes `volley merge` compares, the segment (docs/merge.md).

#include "app/test_setup.hpp"
#include "output/results_record.hpp"

namespace volley::app {

// The facts known before the test starts; the caller sets start_ns, end_ns and setup_data.
output::RunFacts results_facts(const PreparedTest& test);

// SHA-256 of config::to_json(options) without executionSegment and executionSegmentSequence:
// equal for every instance of one test.
std::string options_hash(const std::string& options_json);

} // namespace volley::app
