#pragma once

// The time series of k6's experimental-prometheus-rw output (internal/output/prometheusrw/
// remotewrite: convertToPbSeries, MapPrompb, MapSeries, trend.go): one aggregate per (metric,
// tag set) kept for the whole test, and the remote-write series a flush sends for it.
//
//   Counter  k6_<name>_total   the sum so far
//   Gauge    k6_<name>         the last value
//   Rate     k6_<name>_rate    non-zero samples / samples so far
//   Trend    k6_<name>_<stat>  one series per trend stat (default p(99) -> k6_<name>_p99), time
//                              values in seconds, data in bytes; or, with native histograms,
//                              k6_<name>_seconds / _bytes / k6_<name> as one native histogram
//
// Labels are the sample's tags (empty keys or values left out) and __name__, sorted by name.
// Timestamps are the newest sample time truncated to the millisecond; a flush sends only the
// series that got a sample with a newer millisecond than before (so no timestamp repeats).
// Not thread-safe: the output's flusher owns it.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/system/result.hpp>

#include "metrics/registry.hpp"
#include "metrics/sample.hpp"
#include "metrics/tags.hpp"
#include "output/prompb.hpp"

namespace volley::output {

// One stat of K6_PROMETHEUS_RW_TREND_STATS: `key` is the series suffix ("p99", "p999" for
// p(99.9), "avg", "sum", ...).
struct TrendStat {
    enum class Kind { kAvg, kMin, kMed, kMax, kCount, kSum, kPercentile };
    std::string key;
    Kind kind = Kind::kAvg;
    double percentile = 0; // 0..100, for kPercentile
};

// k6's setTrendStatsResolver: avg, min, med, max, count, sum and p(N) with 0 <= N <= 100, in
// the given order, one per key. Errors are k6's texts (`invalid trend stat 'x', unknown format`,
// `invalid percentile trend stat value 'p(101)', provide a number between 0 and 100`).
boost::system::result<std::vector<TrendStat>, std::string>
parse_trend_stats(const std::vector<std::string>& stats);

// k6's MapSeries: the tags (without empty keys or values) and __name__ = "k6_" + name, plus
// "_" + suffix when a suffix is given, sorted by label name (a stable sort, byte order).
std::vector<PromLabel> map_series(std::string_view metric_name, const metrics::TagMap& tags,
                                  std::string_view suffix);

class RemoteWriteSeries {
public:
    // `registry` and `tags` must outlive the store. `stats` must not be empty unless
    // `native_histograms` is set.
    RemoteWriteSeries(const metrics::Registry& registry, const metrics::TagInterner& tags,
                      std::vector<TrendStat> stats, bool native_histograms);
    ~RemoteWriteSeries();
    RemoteWriteSeries(const RemoteWriteSeries&) = delete;
    RemoteWriteSeries& operator=(const RemoteWriteSeries&) = delete;

    // Adds `samples` to their series and returns the series to send (k6's convertToPbSeries),
    // in the order they were first updated in this call.
    std::vector<PromTimeSeries> convert(std::span<const metrics::Sample> samples);

    // Every series seen so far with the stale-marker value (a NaN) at `timestamp_ms`, as k6's
    // staleMarkers() builds them at the end of a test with K6_PROMETHEUS_RW_STALE_MARKERS.
    std::vector<PromTimeSeries> stale_markers(std::int64_t timestamp_ms) const;

    // Number of (metric, tag set) series seen.
    std::size_t size() const { return entries_.size(); }

private:
    struct Entry;
    void map_entry(const Entry& e, std::vector<PromTimeSeries>& out) const;

    const metrics::Registry& registry_;
    const metrics::TagInterner& tags_;
    std::vector<TrendStat> stats_;
    bool native_histograms_;
    std::unordered_map<std::uint64_t, std::unique_ptr<Entry>> entries_; // metric << 32 | tags
    std::vector<Entry*> order_;                                         // first-seen order
    std::uint64_t calls_ = 0; // convert() calls so far (marks the series queued by this one)
};

} // namespace volley::output
