#pragma once

// The results record of one instance of a test (`--out results=FILE`), from which `volley merge`
// builds the summary of the whole test (docs/merge.md): every metric's aggregates per tag set,
// exact enough to merge exactly, plus what the summary and the merge's checks need.
//
// The file is one JSON object ("volleyResults": 1). Numbers that are doubles (sums, values,
// minima, maxima, a trend's values) are written as strings in their shortest round-trip form and
// read back with std::from_chars: Boost.JSON 1.81 parses doubles only to within one ULP, and a
// merged figure must be the one a single run would give. A trend keeps every value while its
// (metric, tag set) is under the engine's exact budget (space-separated in one string), else the
// histogram's bucket counters with count, sum, min and max. Gzip when the name ends in ".gz".

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "metrics/sample.hpp"
#include "metrics/sink.hpp"
#include "metrics/tags.hpp"

namespace volley::output {

// What the results output needs to know of the test besides its samples. The composition root
// fills it: the strings before the test starts, the times before Engine::stop() (the output
// writes the record in its stop()).
struct RunFacts {
    std::string options_json;               // config::to_json of the consolidated options
    std::string options_sha256;             // of those options without the execution segment fields
    std::string script_sha256;              // of the script's module sources (results_record.cpp)
    std::string execution_segment;          // as consolidated ("" = the whole test)
    std::string execution_segment_sequence; // "" when not given
    boost::json::value thresholds;          // raw `thresholds` (null if none)
    bool no_thresholds = false;
    std::int64_t start_ns = 0; // test start and end, wall clock, ns since the Unix epoch
    std::int64_t end_ns = 0;
    std::function<std::string()> setup_data; // setup()'s result as JSON text, "" for none
};

struct MetricRecord {
    std::string name;
    metrics::MetricType type = metrics::MetricType::kCounter;
    metrics::ValueType contains = metrics::ValueType::kDefault;
};

// The aggregate of one metric's samples with one tag set.
struct SeriesRecord {
    std::string metric;
    metrics::TagMap tags;
    std::int64_t first_seen_ns = 0; // time of the first sample (orders checks across records)
    metrics::Sink sink;
};

struct ResultsRecord {
    std::string script_sha256;
    std::string options_sha256;
    boost::json::value options; // the options object (config::to_json)
    boost::json::value thresholds;
    bool no_thresholds = false;
    std::string execution_segment;
    std::string execution_segment_sequence;
    std::int64_t start_ns = 0;
    std::int64_t end_ns = 0;
    boost::json::value setup_data;     // null when setup() returned nothing
    std::vector<MetricRecord> metrics; // every metric defined, observed or not
    std::vector<SeriesRecord> series;  // in first-seen order

    // end − start in seconds, never below 1 ns (as Engine::elapsed_seconds).
    double duration_s() const;
};

// The record as the file's text (one JSON object and a newline).
std::string record_to_json(const ResultsRecord& record);
// Parses a record. Throws std::invalid_argument saying what is wrong when `text` is not a
// results record (not JSON, another format, a missing or malformed field).
ResultsRecord parse_record(std::string_view text);

// Hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);
// The script's hash: each module's name, relative to the entry module's folder when under it
// (so the same files elsewhere hash alike), and its source, in name order.
std::string script_hash(const std::string& entry,
                        const std::vector<std::pair<std::string, std::string>>& sources);

} // namespace volley::output
