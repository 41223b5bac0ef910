#include "app/results_facts.hpp"

#include <boost/json.hpp>

#include "config/merge.hpp"

namespace volley::app {

std::string options_hash(const std::string& options_json) {
    auto options = boost::json::parse(options_json).as_object();
    options.erase("executionSegment");
    options.erase("executionSegmentSequence");
    return output::sha256_hex(boost::json::serialize(options));
}

output::RunFacts results_facts(const PreparedTest& test) {
    output::RunFacts facts;
    facts.options_json = config::to_json(test.options);
    facts.options_sha256 = options_hash(facts.options_json);
    const auto& bundle = *test.compiled.bundle;
    facts.script_sha256 =
        output::script_hash(bundle.entry(), {bundle.sources().begin(), bundle.sources().end()});
    if (!test.options.execution_segment.empty()) {
        facts.execution_segment = test.options.execution.segment().str();
    }
    if (!test.options.execution_segment_sequence.empty()) {
        facts.execution_segment_sequence =
            config::SegmentSequence::parse(test.options.execution_segment_sequence).str();
    }
    facts.thresholds = test.options.thresholds;
    facts.no_thresholds = test.options.no_thresholds;
    return facts;
}

} // namespace volley::app
