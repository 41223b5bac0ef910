#include "app/merge_command.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <stdexcept>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <zlib.h>

#include "config/execution_segment.hpp"
#include "metrics/engine.hpp"
#include "metrics/thresholds.hpp"
#include "output/summary.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

#include <unistd.h>

namespace volley::app {
namespace {

namespace json = boost::json;

constexpr const char* kRecordHint = "give the files written by `volley run --out results=FILE`";

// The whole file, gunzipped if it is gzip (zlib reads plain files as they are).
std::string read_all(const std::string& path) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (f == nullptr) {
        throw UserError(
            fmt::format("could not read the results record {}: {}", path, std::strerror(errno)),
            kRecordHint, ExitCode::kGeneric);
    }
    std::string text;
    char buffer[65536];
    int n = 0;
    while ((n = gzread(f, buffer, sizeof buffer)) > 0) {
        text.append(buffer, static_cast<std::size_t>(n));
    }
    int err = 0;
    std::string error = n < 0 ? gzerror(f, &err) : "";
    gzclose(f);
    if (n < 0) {
        throw UserError(fmt::format("could not read the results record {}: {}", path, error),
                        kRecordHint, ExitCode::kGeneric);
    }
    return text;
}

config::Segment segment_of(const MergePart& p) {
    return config::Segment::parse(p.record.execution_segment);
}

std::string segment_text(const MergePart& p) {
    return segment_of(p).str();
}

[[noreturn]] void inconsistent(const std::string& message, const std::string& hint) {
    throw UserError(message, hint, ExitCode::kInvalidConfig);
}

void check_same_test(const std::vector<MergePart>& parts) {
    const auto& first = parts.front();
    for (const auto& p : parts) {
        if (p.record.script_sha256 != first.record.script_sha256) {
            inconsistent(fmt::format("{} was made by another script than {}", p.path, first.path),
                         "merge only the records of one test, run with the same script");
        }
        if (p.record.options_sha256 != first.record.options_sha256) {
            inconsistent(fmt::format("{} was made with other options than {}", p.path, first.path),
                         "merge only the records of one test, run with the same options (all "
                         "but --execution-segment)");
        }
        if (p.record.execution_segment_sequence != first.record.execution_segment_sequence) {
            inconsistent(fmt::format("{} has execution segment sequence '{}', {} has '{}'", p.path,
                                     p.record.execution_segment_sequence, first.path,
                                     first.record.execution_segment_sequence),
                         "every instance of a test needs the same --execution-segment-sequence");
        }
    }
}

// Sorted by segment start: each segment must start where the previous ended, from 0 to 1.
void check_coverage(const std::vector<MergePart>& parts) {
    constexpr const char* kHint = "give one record per segment, together covering 0:1 once";
    config::Rational reached(0, 1);
    const MergePart* previous = nullptr;
    for (const auto& p : parts) {
        auto seg = segment_of(p);
        if (previous != nullptr && seg == segment_of(*previous)) {
            inconsistent(
                fmt::format("duplicate segment {}: {} and {}", seg.str(), previous->path, p.path),
                kHint);
        }
        if (seg.from() < reached) {
            inconsistent(fmt::format("segments {} ({}) and {} ({}) overlap",
                                     segment_text(*previous), previous->path, seg.str(), p.path),
                         kHint);
        }
        if (reached < seg.from()) {
            inconsistent(fmt::format("no record covers the segment {}:{} (a gap before {}, {})",
                                     reached.rat_string(), seg.from().rat_string(), seg.str(),
                                     p.path),
                         kHint);
        }
        reached = seg.to();
        previous = &p;
    }
    if (reached < config::Rational(1, 1)) {
        inconsistent(fmt::format("no record covers the segment {}:1 (a gap after {}, {})",
                                 reached.rat_string(), segment_text(*previous), previous->path),
                     kHint);
    }
}

// Every metric the parts define, with one type each.
void define_metrics(const std::vector<MergePart>& parts, metrics::Registry& registry) {
    for (const auto& p : parts) {
        for (const auto& m : p.record.metrics) {
            std::string error;
            auto id = registry.define(m.name, m.type, m.contains, &error);
            if (!id) {
                inconsistent(fmt::format("{}: metric {}: {}", p.path, m.name, error),
                             "merge only the records of one test");
            }
        }
    }
}

// Every series of every part, earliest first sample first (ties: segment order), so that checks
// and groups appear in the order a single run would have seen them first.
void add_series(const std::vector<MergePart>& parts, const metrics::Registry& registry,
                metrics::TagInterner& interner, metrics::Engine& engine) {
    std::vector<const output::SeriesRecord*> all;
    for (const auto& p : parts) {
        for (const auto& s : p.record.series) {
            all.push_back(&s);
        }
    }
    std::stable_sort(all.begin(), all.end(), [](const auto* a, const auto* b) {
        return a->first_seen_ns < b->first_seen_ns;
    });
    for (const auto* s : all) {
        engine.add_aggregate(*registry.find(s->metric), interner.intern(s->tags), s->sink);
    }
}

std::vector<std::string> split_commas(const std::string& text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = std::min(text.find(',', pos), text.size());
        if (end > pos) {
            out.push_back(text.substr(pos, end - pos));
        }
        pos = end + 1;
    }
    return out;
}

output::SummaryOptions summary_options(const MergeArgs& args, const json::object& options) {
    output::SummaryOptions o;
    if (args.summary_trend_stats) {
        o.trend_stats = split_commas(*args.summary_trend_stats);
    } else if (const auto* stats = options.if_contains("summaryTrendStats")) {
        o.trend_stats = json::value_to<std::vector<std::string>>(*stats);
    }
    output::validate_trend_stats(o.trend_stats);
    if (args.summary_time_unit) {
        o.time_unit = *args.summary_time_unit;
    } else if (const auto* unit = options.if_contains("summaryTimeUnit")) {
        o.time_unit = json::value_to<std::string>(*unit);
    }
    if (!o.time_unit.empty() && o.time_unit != "s" && o.time_unit != "ms" && o.time_unit != "us") {
        throw UserError(
            fmt::format("invalid summary time unit '{}', use 's', 'ms' or 'us'", o.time_unit));
    }
    o.mode = args.summary_mode.value_or("compact");
    if (o.mode != "compact" && o.mode != "full") {
        throw UserError(fmt::format("invalid summary mode '{}', use 'compact' or 'full'", o.mode));
    }
    o.is_stdout_tty = isatty(STDOUT_FILENO) != 0;
    o.is_stderr_tty = isatty(STDERR_FILENO) != 0;
    o.color = o.is_stdout_tty && !args.no_color;
    return o;
}

bool has_system_tag(const json::object& options, const char* tag) {
    const auto* tags = options.if_contains("systemTags");
    if (tags == nullptr || !tags->is_array()) {
        return false;
    }
    const auto& a = tags->get_array();
    return std::find(a.begin(), a.end(), json::value(tag)) != a.end();
}

void write_export(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
        log::write(log::Level::kError, "could not write the summary to " + path,
                   {{"hint", "check that the directory exists and is writable"}});
    }
}

// The merged data: a metrics engine fed with every part's aggregates instead of samples.
struct Merged {
    metrics::Registry registry;
    metrics::TagInterner interner;
    std::unique_ptr<metrics::Engine> engine;
    metrics::Thresholds thresholds;
    bool thresholds_enabled = false;
    double duration_s = 0;
};

void merge_parts(const std::vector<MergePart>& parts, const std::string& mode, Merged& m) {
    const auto& first = parts.front().record;
    define_metrics(parts, m.registry);
    metrics::EngineOptions eo;
    // Exact while every part is: a part past its budget brings a histogram, and the merge of
    // that with anything is the histogram's.
    eo.trend_exact_budget = std::numeric_limits<std::size_t>::max();
    eo.breakdown = mode == "full";
    m.engine = std::make_unique<metrics::Engine>(m.registry, m.interner, eo);
    m.thresholds_enabled = !first.no_thresholds;
    if (m.thresholds_enabled) {
        m.thresholds = metrics::Thresholds::parse(first.thresholds, m.registry);
        m.thresholds.register_submetrics(*m.engine);
    }
    if (has_system_tag(first.options.as_object(), "expected_response")) {
        m.engine->add_summary_submetric(m.registry.builtins().http_req_duration,
                                        {{"expected_response", "true"}},
                                        "http_req_duration{expected_response:true}");
    }
    add_series(parts, m.registry, m.interner, *m.engine);
    // Rates per second over the longest instance: the instances ran side by side.
    for (const auto& p : parts) {
        m.duration_s = std::max(m.duration_s, p.record.duration_s());
    }
}

std::string segments_list(const std::vector<MergePart>& parts) {
    std::string out;
    for (const auto& p : parts) {
        out += (out.empty() ? "" : " ") + segment_text(p);
    }
    return out;
}

} // namespace

MergePart read_part(const std::string& path) {
    std::string text = read_all(path);
    try {
        MergePart part{path, output::parse_record(text)};
        config::Segment::parse(part.record.execution_segment); // both throw invalid_argument
        config::SegmentSequence::parse(part.record.execution_segment_sequence);
        return part;
    } catch (const std::invalid_argument& e) {
        throw UserError(fmt::format("{} is not a volley results record: {}", path, e.what()),
                        kRecordHint, ExitCode::kGeneric);
    }
}

void check_parts(std::vector<MergePart>& parts) {
    VOLLEY_CHECK(!parts.empty());
    check_same_test(parts);
    std::stable_sort(parts.begin(), parts.end(), [](const MergePart& a, const MergePart& b) {
        return segment_of(a).from() < segment_of(b).from();
    });
    check_coverage(parts);
}

int merge_command(const MergeArgs& args) {
    std::vector<MergePart> parts;
    for (const auto& path : args.files) {
        parts.push_back(read_part(path));
    }
    check_parts(parts);
    const auto& options = parts.front().record.options.as_object();
    auto summary_opts = summary_options(args, options);
    Merged m;
    merge_parts(parts, summary_opts.mode, m);
    log::write(log::Level::kInfo, fmt::format("merged {} results records", parts.size()),
               {{"segments", segments_list(parts)}});
    if (m.thresholds_enabled) {
        m.thresholds.evaluate(*m.engine, m.duration_s, true);
    }
    if (!m.engine->metric(m.registry.builtins().iterations)) {
        log::write(log::Level::kWarn, "No script iterations fully finished, consider making the "
                                      "test duration longer");
    }
    auto summary =
        output::build_summary(*m.engine, m.registry, m.thresholds_enabled ? &m.thresholds : nullptr,
                              summary_opts, m.duration_s, parts.front().record.setup_data);
    std::string text = output::render_text_summary(summary);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    if (args.summary_export) {
        write_export(*args.summary_export, output::summary_export_json(summary));
    }
    if (m.thresholds_enabled && !m.thresholds.failed_names().empty()) {
        log::write(log::Level::kError, m.thresholds.crossed_message());
        return static_cast<int>(ExitCode::kThresholdsFailed);
    }
    return 0;
}

} // namespace volley::app
