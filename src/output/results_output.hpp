#pragma once

// `--out results=FILE`: the results record of this instance (output/results_record.hpp), written
// once at the end of the test for `volley merge` (docs/merge.md).

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "output/file_writer.hpp"
#include "output/output.hpp"
#include "output/results_record.hpp"

namespace volley::output {

class ResultsOutput final : public Output {
public:
    // Creates the file now (UserError if it cannot). `params` and `facts` must outlive the output;
    // `facts` is read in stop().
    ResultsOutput(const std::string& path, const OutputParams& params, const RunFacts& facts);

    std::string description() const override;
    // Aggregates by (metric, tag set) with the engine's exact trend budget.
    void consume(std::span<const metrics::Sample> batch) override;
    // Writes the record and closes the file.
    void stop() override;

private:
    struct Series {
        metrics::MetricId metric;
        metrics::TagSetId tags;
        std::int64_t first_seen_ns;
        metrics::Sink sink;
    };
    ResultsRecord record() const;

    OutputParams params_;
    const RunFacts& facts_;
    FileWriter file_;
    std::vector<Series> series_;                           // first-seen order
    std::unordered_map<std::uint64_t, std::size_t> index_; // metric << 32 | tags -> series_
    bool written_ = false;
};

// `--out results=FILE`. Throws UserError (ExitCode::kGeneric, as the other outputs) without a
// file name, or when `params.run_facts` is null (a caller that cannot describe its test).
std::unique_ptr<Output> make_results_output(const std::string& path, const OutputParams& params);

} // namespace volley::output
