#pragma once

// k6's JSON output (internal/output/json, k6-behaviour.md §5.10): one JSON object per line; a
// Metric record before a metric's first Point; gzip when the file name ends in ".gz".

#include <string>
#include <vector>

#include "output/file_writer.hpp"
#include "output/output.hpp"

namespace volley::output {

class JsonLinesOutput final : public Output {
public:
    // Creates the file now (UserError if it cannot). `params` must outlive the output.
    JsonLinesOutput(const std::string& path, const OutputParams& params);

    std::string description() const override;
    void consume(std::span<const metrics::Sample> batch) override;
    void stop() override;

private:
    std::string metric_record(metrics::MetricId id) const;
    void append_point(const metrics::Sample& s, std::string& out) const;

    OutputParams params_;
    FileWriter file_;
    std::vector<bool> announced_; // by MetricId: Metric record written
    std::string buffer_;          // reused across batches
};

} // namespace volley::output
