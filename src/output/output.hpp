#pragma once

// The one Output interface (docs/architecture.md, "Data flow"): an output receives raw sample
// batches from the metrics engine (it is a metrics::BatchConsumer, so Engine::add_consumer takes it
// directly) and has a description for the run banner ("json (out.json)").

#include <memory>
#include <string>
#include <vector>

#include "metrics/engine.hpp"
#include "metrics/registry.hpp"
#include "metrics/tags.hpp"
#include "metrics/thresholds.hpp"

namespace volley::output {

struct RunFacts; // output/results_record.hpp

class Output : public metrics::BatchConsumer {
public:
    // k6's banner text, e.g. "json (out.json)".
    virtual std::string description() const = 0;
};

// What outputs may look at. Every reference must outlive the outputs.
struct OutputParams {
    const metrics::Registry& registry;
    const metrics::TagInterner& tags;
    const metrics::Thresholds* thresholds = nullptr; // for JSON Metric records; may be null
    // Enabled system tags (CSV columns); empty means k6's default set.
    std::vector<std::string> system_tags = {};
    std::string csv_time_format = "unix"; // unix, unix_milli, unix_micro, unix_nano, rfc3339,
                                          // rfc3339_nano
    const RunFacts* run_facts = nullptr;  // the results output's facts; needed for results=FILE
};

// Creates the outputs of `--out` values ("json=FILE", "csv=FILE", "json" for stdout; several at
// once). Files are created now, so an unknown type or an unwritable path fails before the test
// starts: UserError (ExitCode::kInvalidConfig) with a hint. Call on the composition root's
// thread; pass each result to Engine::add_consumer().
std::vector<std::unique_ptr<Output>> make_outputs(const std::vector<std::string>& specs,
                                                  const OutputParams& params);

} // namespace volley::output
