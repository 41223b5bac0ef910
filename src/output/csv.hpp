#pragma once

// k6's CSV output (internal/output/csv, k6-behaviour.md §5.10): header
// metric_name,timestamp,metric_value,<enabled system tags sorted>,extra_tags,metadata; gzip when
// the file name ends in ".gz".

#include <string>
#include <vector>

#include "output/file_writer.hpp"
#include "output/output.hpp"

namespace volley::output {

class CsvOutput final : public Output {
public:
    // Creates the file and writes the header now (UserError if it cannot or if the time format
    // is unknown).
    CsvOutput(const std::string& path, const OutputParams& params);

    std::string description() const override;
    void consume(std::span<const metrics::Sample> batch) override;
    void stop() override;

private:
    std::string timestamp(std::int64_t ns) const;
    void append_row(const metrics::Sample& s, std::string& out) const;

    OutputParams params_;
    FileWriter file_;
    std::vector<std::string> columns_; // enabled system tags, sorted
    std::vector<std::string> ignored_; // disabled system tags: never in extra_tags
    std::string buffer_;
};

// Go encoding/csv quoting of one field.
std::string csv_field(const std::string& field);

} // namespace volley::output
