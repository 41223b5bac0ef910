// Consolidation: layers in k6's precedence, execution shortcuts, final validation.

#include "config/merge.hpp"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include "config/cli_flags.hpp"
#include "config/go_parse.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace volley::config {
namespace {

// How one source spells its problems: `K6_VUS: ...`; command-line flags throw at the first
// (config/cli_flags.hpp).
class TextSource {
public:
    TextSource(bool cli, std::vector<std::string>& problems) : cli_(cli), problems_(problems) {}

    void problem(const std::string& name, const std::string& value, const std::string& why) {
        // Only environment values get here: a bad flag throws (config/cli_flags.hpp).
        problems_.push_back(fmt::format("{}: invalid value \"{}\": {}", name, value, why));
    }
    void problem(const std::string& text) { problems_.push_back(text); }

    std::optional<std::int64_t> integer(const std::string& name, const std::string& v) {
        if (cli_) {
            return parse_cli_int(name, v);
        }
        std::string_view digits = v;
        if (digits.starts_with('-') || digits.starts_with('+')) {
            digits.remove_prefix(1);
        }
        if (all_digits(digits) && digits.size() <= 18) {
            return std::stoll(v);
        }
        problem(name, v, "expected an integer");
        return std::nullopt;
    }
    std::optional<Duration> duration(const std::string& name, const std::string& v) {
        if (cli_) {
            return parse_cli_duration(name, v);
        }
        auto d = parse_duration(v);
        if (d) {
            return *d;
        }
        problem(name, v, d.error().message);
        return std::nullopt;
    }
    // k6's null.Bool from text (envconfig): "true" or "false"; "" and "null" leave it unset.
    std::optional<bool> boolean(const std::string& name, const std::string& v) {
        switch (parse_null_bool(v)) {
        case NullBool::kTrue:
            return true;
        case NullBool::kFalse:
            return false;
        case NullBool::kInvalid:
            problem(name, v, "expected true or false");
            return std::nullopt;
        case NullBool::kUnset:
            break;
        }
        return std::nullopt;
    }
    // --dns or K6_DNS: a bad flag exits 255 with k6's bare text, as k6 (after the script loads).
    DnsFields dns(const std::string& name, const std::string& v) {
        auto f = parse_dns_text(v);
        if (f) {
            return *f;
        }
        if (cli_) {
            throw UserError(f.error(), "e.g. --dns ttl=1m,select=first,policy=preferIPv4",
                            ExitCode::kGeneric);
        }
        problem(name, v, f.error());
        return {};
    }
    std::vector<Stage> stages(const std::vector<std::string>& items) {
        if (cli_) {
            return parse_cli_stages(items);
        }
        std::vector<Stage> out;
        for (const auto& item : items) {
            std::string why;
            if (auto st = parse_stage(item, why)) {
                out.push_back(*st);
            } else {
                problem(why);
            }
        }
        return out;
    }

private:
    bool cli_;
    std::vector<std::string>& problems_;
};

std::vector<std::string> split_commas(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, ',')) {
        if (!item.empty()) {
            out.push_back(item);
        }
    }
    return out;
}

// `--tag` values or K6_TAGS items (`name=value` each) as one tag map; a bad item is a problem.
std::map<std::string, std::string> tag_map(TextSource& src, const std::vector<std::string>& items) {
    std::map<std::string, std::string> tags;
    for (const auto& t : items) {
        std::string why;
        if (auto kv = parse_tag(t, why)) {
            tags[kv->first] = kv->second;
        } else {
            src.problem(why);
        }
    }
    return tags;
}

std::set<std::string> system_tag_set(const std::string& list) {
    auto items = split_commas(list);
    return {items.begin(), items.end()};
}

void env_execution(TextSource& src, const std::map<std::string, std::string>& env, OptionLayer& l) {
    auto get = [&](const char* k) -> const std::string* {
        auto it = env.find(k);
        return it == env.end() ? nullptr : &it->second;
    };
    if (auto v = get("K6_VUS")) {
        l.vus = src.integer("K6_VUS", *v);
    }
    if (auto v = get("K6_ITERATIONS")) {
        l.iterations = src.integer("K6_ITERATIONS", *v);
    }
    if (auto v = get("K6_DURATION")) {
        l.duration = src.duration("K6_DURATION", *v);
    }
    if (auto v = get("K6_STAGES")) {
        l.stages = src.stages(split_commas(*v));
    }
    if (auto v = get("K6_SETUP_TIMEOUT")) {
        l.setup_timeout = src.duration("K6_SETUP_TIMEOUT", *v);
    }
    if (auto v = get("K6_TEARDOWN_TIMEOUT")) {
        l.teardown_timeout = src.duration("K6_TEARDOWN_TIMEOUT", *v);
    }
    if (auto v = get("K6_MIN_ITERATION_DURATION")) {
        l.min_iteration_duration = src.duration("K6_MIN_ITERATION_DURATION", *v);
    }
}

void env_general(TextSource& src, const std::map<std::string, std::string>& env, OptionLayer& l) {
    auto get = [&](const char* k) -> const std::string* {
        auto it = env.find(k);
        return it == env.end() ? nullptr : &it->second;
    };
    const std::pair<const char*, std::optional<bool>*> bools[] = {
        {"K6_THROW", &l.throw_errors},
        {"K6_INSECURE_SKIP_TLS_VERIFY", &l.insecure_skip_tls_verify},
        {"K6_NO_SETUP", &l.no_setup},
        {"K6_NO_TEARDOWN", &l.no_teardown},
        {"K6_NO_THRESHOLDS", &l.no_thresholds},
        {"K6_NO_COLOR", &l.no_color},
        {"K6_QUIET", &l.quiet}};
    for (const auto& [name, field] : bools) {
        if (auto v = get(name)) {
            *field = src.boolean(name, *v);
        }
    }
    const std::pair<const char*, std::optional<std::string>*> strings[] = {
        {"K6_USER_AGENT", &l.user_agent},
        {"K6_HTTP_DEBUG", &l.http_debug},
        {"K6_SUMMARY_TIME_UNIT", &l.summary_time_unit},
        {"K6_SUMMARY_MODE", &l.summary_mode},
        {"K6_SUMMARY_EXPORT", &l.summary_export}};
    for (const auto& [name, field] : strings) {
        if (auto v = get(name)) {
            *field = *v;
        }
    }
    if (auto v = get("K6_SYSTEM_TAGS")) {
        l.system_tags = system_tag_set(*v);
    }
    if (auto v = get("K6_TAGS"); v && !v->empty()) { // k6: `name=value,name2=value2`
        l.tags = tag_map(src, split_commas(*v));
    }
    if (auto v = get("K6_SUMMARY_TREND_STATS")) {
        l.summary_trend_stats = split_commas(*v);
    }
    if (auto v = get("K6_NO_SUMMARY"); v && src.boolean("K6_NO_SUMMARY", *v).value_or(false)) {
        l.summary_mode = "disabled";
    }
}

// A comma-separated list as a JSON array of strings (K6_BLACKLIST_IPS, --blacklist-ip, ...).
boost::json::value string_array(const std::vector<std::string>& items) {
    boost::json::array a;
    for (const auto& i : items) {
        a.emplace_back(i);
    }
    return a;
}

// The options of k6/http (and the network options k6/ws shares) from K6_* variables.
void env_http(TextSource& src, const std::map<std::string, std::string>& env, OptionLayer& l) {
    auto get = [&](const char* k) -> const std::string* {
        auto it = env.find(k);
        return it == env.end() ? nullptr : &it->second;
    };
    const std::pair<const char*, std::optional<std::int64_t>*> ints[] = {
        {"K6_MAX_REDIRECTS", &l.max_redirects},
        {"K6_BATCH", &l.batch},
        {"K6_BATCH_PER_HOST", &l.batch_per_host},
        {"K6_RPS", &l.rps}};
    for (const auto& [name, field] : ints) {
        if (auto v = get(name)) {
            *field = src.integer(name, *v);
        }
    }
    if (auto v = get("K6_DNS")) {
        l.dns = src.dns("K6_DNS", *v);
    }
    const std::pair<const char*, std::optional<bool>*> bools[] = {
        {"K6_NO_CONNECTION_REUSE", &l.no_connection_reuse},
        {"K6_NO_VU_CONNECTION_REUSE", &l.no_vu_connection_reuse},
        {"K6_DISCARD_RESPONSE_BODIES", &l.discard_response_bodies},
        {"K6_NO_COOKIES_RESET", &l.no_cookies_reset}};
    for (const auto& [name, field] : bools) {
        if (auto v = get(name)) {
            *field = src.boolean(name, *v);
        }
    }
    if (auto v = get("K6_BLACKLIST_IPS")) {
        l.blacklist_ips = string_array(split_commas(*v));
    }
    if (auto v = get("K6_BLOCK_HOSTNAMES")) {
        l.block_hostnames = string_array(split_commas(*v));
    }
}

OptionLayer env_layer(const std::map<std::string, std::string>& env,
                      std::vector<std::string>& problems) {
    OptionLayer l;
    TextSource src(false, problems);
    env_execution(src, env, l);
    env_general(src, env, l);
    env_http(src, env, l);
    return l;
}

void cli_execution(TextSource& src, const CliOverrides& cli, OptionLayer& l) {
    if (cli.vus) {
        l.vus = src.integer("--vus", *cli.vus);
    }
    if (cli.iterations) {
        l.iterations = src.integer("--iterations", *cli.iterations);
    }
    if (cli.duration) {
        l.duration = src.duration("--duration", *cli.duration);
    }
    if (!cli.stages.empty()) {
        l.stages = src.stages(cli.stages);
    }
    if (cli.min_iteration_duration) {
        l.min_iteration_duration =
            src.duration("--min-iteration-duration", *cli.min_iteration_duration);
    }
}

void cli_general(TextSource& src, const CliOverrides& cli, OptionLayer& l) {
    auto flag = [](bool given, std::optional<bool>& field) {
        if (given) {
            field = true;
        }
    };
    flag(cli.throw_errors, l.throw_errors);
    flag(cli.insecure_skip_tls_verify, l.insecure_skip_tls_verify);
    flag(cli.no_setup, l.no_setup);
    flag(cli.no_teardown, l.no_teardown);
    flag(cli.no_thresholds, l.no_thresholds);
    flag(cli.no_color, l.no_color);
    flag(cli.quiet, l.quiet);
    l.user_agent = cli.user_agent ? cli.user_agent : l.user_agent;
    l.http_debug = cli.http_debug ? cli.http_debug : l.http_debug;
    l.execution_segment = cli.execution_segment;
    l.execution_segment_sequence = cli.execution_segment_sequence;
    l.summary_time_unit = cli.summary_time_unit ? cli.summary_time_unit : l.summary_time_unit;
    l.summary_mode = cli.summary_mode ? cli.summary_mode : l.summary_mode;
    l.summary_export = cli.summary_export ? cli.summary_export : l.summary_export;
    if (cli.no_summary) {
        l.summary_mode = "disabled";
    }
    if (cli.system_tags) {
        l.system_tags = system_tag_set(*cli.system_tags);
    }
    if (cli.summary_trend_stats) {
        l.summary_trend_stats = split_commas(*cli.summary_trend_stats);
    }
    if (!cli.tags.empty()) {
        l.tags = tag_map(src, cli.tags);
    }
}

void cli_http(TextSource& src, const CliOverrides& cli, OptionLayer& l) {
    const std::pair<const char*, const std::optional<std::string>*> ints[] = {
        {"--max-redirects", &cli.max_redirects},
        {"--batch", &cli.batch},
        {"--batch-per-host", &cli.batch_per_host},
        {"--rps", &cli.rps}};
    std::optional<std::int64_t>* fields[] = {&l.max_redirects, &l.batch, &l.batch_per_host, &l.rps};
    for (std::size_t i = 0; i < std::size(ints); ++i) {
        if (*ints[i].second) {
            *fields[i] = src.integer(ints[i].first, **ints[i].second);
        }
    }
    if (cli.dns) {
        l.dns = src.dns("--dns", *cli.dns);
    }
    if (cli.no_connection_reuse) {
        l.no_connection_reuse = true;
    }
    if (cli.no_vu_connection_reuse) {
        l.no_vu_connection_reuse = true;
    }
    if (cli.discard_response_bodies) {
        l.discard_response_bodies = true;
    }
    std::vector<std::string> ips;
    for (const auto& item : cli.blacklist_ips) {
        auto parts = split_commas(item);
        ips.insert(ips.end(), parts.begin(), parts.end());
    }
    if (!ips.empty()) {
        l.blacklist_ips = string_array(ips);
    }
    std::vector<std::string> hosts;
    for (const auto& item : cli.block_hostnames) {
        auto parts = split_commas(item);
        hosts.insert(hosts.end(), parts.begin(), parts.end());
    }
    if (!hosts.empty()) {
        l.block_hostnames = string_array(hosts);
    }
}

// k6 parses the segment flags before anything else and fails with the bare parse error.
void check_segment_flags(const CliOverrides& cli) {
    try {
        if (cli.execution_segment) {
            Segment::parse(*cli.execution_segment);
        }
        if (cli.execution_segment_sequence) {
            SegmentSequence::parse(*cli.execution_segment_sequence);
        }
    } catch (const std::invalid_argument& e) {
        throw UserError(e.what(),
                        "a segment is FROM:TO, e.g. 1/3:2/3 or 50%:100%; a sequence "
                        "lists the cut points, e.g. 0,1/3,2/3,1",
                        ExitCode::kGeneric);
    }
}

OptionLayer cli_layer(const CliOverrides& cli, std::vector<std::string>& problems) {
    check_segment_flags(cli);
    OptionLayer l;
    TextSource src(true, problems);
    cli_execution(src, cli, l);
    cli_general(src, cli, l);
    cli_http(src, cli, l);
    return l;
}

template <class T> void take(std::optional<T>& into, const std::optional<T>& from) {
    if (from) {
        into = from;
    }
}

// k6's Options.Apply: a source that sets any of duration/iterations/stages/scenarios replaces
// all of them from lower sources; `vus` is independent.
void apply(OptionLayer& o, const OptionLayer& h) {
    if (h.duration || h.iterations || h.stages || h.scenarios) {
        o.duration.reset();
        o.iterations.reset();
        o.stages.reset();
        o.scenarios.reset();
    }
    take(o.vus, h.vus), take(o.duration, h.duration), take(o.iterations, h.iterations);
    take(o.stages, h.stages), take(o.scenarios, h.scenarios);
    take(o.throw_errors, h.throw_errors),
        take(o.insecure_skip_tls_verify, h.insecure_skip_tls_verify);
    take(o.no_setup, h.no_setup), take(o.no_teardown, h.no_teardown);
    take(o.no_thresholds, h.no_thresholds), take(o.no_color, h.no_color), take(o.quiet, h.quiet);
    take(o.user_agent, h.user_agent), take(o.summary_time_unit, h.summary_time_unit);
    take(o.http_debug, h.http_debug);
    take(o.execution_segment, h.execution_segment);
    take(o.execution_segment_sequence, h.execution_segment_sequence);
    take(o.summary_mode, h.summary_mode), take(o.summary_export, h.summary_export);
    take(o.tls_auth, h.tls_auth), take(o.tls_version, h.tls_version);
    take(o.tls_cipher_suites, h.tls_cipher_suites), take(o.hosts, h.hosts);
    take(o.thresholds, h.thresholds), take(o.tags, h.tags), take(o.system_tags, h.system_tags);
    take(o.summary_trend_stats, h.summary_trend_stats);
    take(o.setup_timeout, h.setup_timeout), take(o.teardown_timeout, h.teardown_timeout);
    take(o.min_iteration_duration, h.min_iteration_duration);
    take(o.max_redirects, h.max_redirects), take(o.batch, h.batch);
    take(o.batch_per_host, h.batch_per_host), take(o.rps, h.rps);
    take(o.dns.ttl, h.dns.ttl), take(o.dns.select, h.dns.select);
    take(o.dns.policy, h.dns.policy);
    take(o.discard_response_bodies, h.discard_response_bodies);
    take(o.no_connection_reuse, h.no_connection_reuse);
    take(o.no_vu_connection_reuse, h.no_vu_connection_reuse);
    take(o.blacklist_ips, h.blacklist_ips), take(o.block_hostnames, h.block_hostnames);
    take(o.no_cookies_reset, h.no_cookies_reset);
}

ScenarioConfig default_scenario(ExecutorType type) {
    ScenarioConfig sc;
    sc.name = "default";
    sc.executor = type;
    return sc;
}

std::string conflict(const char* a, const char* b) {
    return fmt::format("using `{}` and `{}` options simultaneously is not allowed", a, b);
}

// k6's DeriveScenariosFromShortcuts (lib/executor/execution_config_shortcuts.go).
std::vector<ScenarioConfig> derive_scenarios(const OptionLayer& o,
                                             std::vector<std::string>& problems) {
    bool stages = o.stages && !o.stages->empty();
    if (o.iterations || o.duration || stages) {
        const char* shortcut = o.iterations ? "iterations" : o.duration ? "duration" : "stages";
        if (shortcut != std::string("stages") && stages) {
            problems.push_back(conflict(shortcut, "stages"));
            return {};
        }
        if (o.scenarios) {
            problems.push_back(conflict(shortcut, "scenarios"));
            return {};
        }
    }
    if (o.iterations) {
        auto sc = default_scenario(ExecutorType::kSharedIterations);
        sc.vus = o.vus.value_or(1);
        sc.iterations = *o.iterations;
        sc.max_duration = o.duration.value_or(sc.max_duration);
        return {sc};
    }
    if (o.duration) {
        if (*o.duration <= Duration{0}) {
            problems.push_back("`duration` option should be more than 0, for infinite duration "
                               "use the externally-controlled executor");
            return {};
        }
        auto sc = default_scenario(ExecutorType::kConstantVus);
        sc.vus = o.vus.value_or(1);
        sc.duration = *o.duration;
        return {sc};
    }
    if (stages) {
        auto sc = default_scenario(ExecutorType::kRampingVus);
        sc.start_vus = o.vus.value_or(1);
        sc.stages = *o.stages;
        return {sc};
    }
    if (o.scenarios && !o.scenarios->empty()) {
        return *o.scenarios;
    }
    return {default_scenario(ExecutorType::kPerVuIterations)};
}

// `layer` over `merged`, with k6's warning (warnOnShortHandOverride) when the layer's execution
// options replace scenarios set below it.
void apply_layer(OptionLayer& merged, const OptionLayer& layer, const char* name) {
    if (merged.scenarios &&
        (layer.duration || layer.iterations || layer.stages || layer.scenarios)) {
        log::write(log::Level::kWarn,
                   fmt::format("\"{}\" level configuration overrode scenarios configuration "
                               "entirely",
                               name));
    }
    apply(merged, layer);
}

void warn_ignored_vus(const OptionLayer& o) {
    bool shortcut = o.iterations || o.duration || (o.stages && !o.stages->empty());
    if (o.vus && *o.vus != 1 && !shortcut) {
        log::write(log::Level::kWarn,
                   fmt::format("`vus={}` option will be ignored, it only works in conjunction "
                               "with `iterations`, `duration`, or `stages`",
                               *o.vus));
    }
}

// k6's Options.Validate for segments: the segment must be one of the sequence's; the tuple of
// the two then tells this instance's share.
void validate_segments(RunOptions& r, std::vector<std::string>& problems) {
    Segment segment;
    SegmentSequence sequence;
    try {
        segment = Segment::parse(r.execution_segment);
        sequence = SegmentSequence::parse(r.execution_segment_sequence);
    } catch (const std::invalid_argument& e) {
        problems.emplace_back(e.what());
        return;
    }
    if (!sequence.empty()) {
        const auto& all = sequence.segments();
        if (std::find(all.begin(), all.end(), segment) == all.end()) {
            problems.push_back(fmt::format("provided segment {} can't be found in sequence {}",
                                           segment.str(), sequence.str()));
            return;
        }
    }
    try {
        r.execution = ExecutionTuple(segment, sequence);
    } catch (const std::invalid_argument& e) {
        problems.emplace_back(e.what());
    }
}

void validate_general(const RunOptions& r, std::vector<std::string>& problems) {
    for (const auto& p : validate_trend_stats(r.summary_trend_stats)) {
        problems.push_back(p);
    }
    const auto& unit = r.summary_time_unit;
    if (!unit.empty() && unit != "s" && unit != "ms" && unit != "us") {
        problems.push_back(
            fmt::format("invalid summary time unit '{}', use 's', 'ms' or 'us'", unit));
    }
    static const std::set<std::string> kModes{"compact", "full", "legacy", "disabled"};
    if (kModes.count(r.summary_mode) == 0) {
        problems.push_back(
            fmt::format("invalid summary mode '{}', use 'compact', 'full', 'legacy' or 'disabled'",
                        r.summary_mode));
    }
    for (const auto& tag : r.system_tags) {
        if (known_system_tags().count(tag) == 0) {
            problems.push_back(fmt::format("{} does not belong to SystemTag values", tag));
        }
    }
    if (r.thresholds.is_null() == false && !r.thresholds.is_object()) {
        problems.push_back("options.thresholds: expected an object keyed by metric name");
    }
}

RunOptions finalize(const OptionLayer& o, std::vector<std::string>& problems) {
    RunOptions r;
    r.vus = o.vus, r.duration = o.duration, r.iterations = o.iterations, r.stages = o.stages;
    r.scenarios = derive_scenarios(o, problems);
    r.throw_errors = o.throw_errors.value_or(false);
    r.insecure_skip_tls_verify = o.insecure_skip_tls_verify.value_or(false);
    r.no_setup = o.no_setup.value_or(false), r.no_teardown = o.no_teardown.value_or(false);
    r.no_thresholds = o.no_thresholds.value_or(false);
    r.no_color = o.no_color.value_or(false), r.quiet = o.quiet.value_or(false);
    r.user_agent = o.user_agent.value_or(r.user_agent);
    r.http_debug = o.http_debug.value_or("");
    r.execution_segment = o.execution_segment.value_or("");
    r.execution_segment_sequence = o.execution_segment_sequence.value_or("");
    r.summary_time_unit = o.summary_time_unit.value_or("");
    r.summary_mode = o.summary_mode.value_or(r.summary_mode);
    r.summary_export = o.summary_export.value_or("");
    r.tls_auth = o.tls_auth.value_or(nullptr), r.tls_version = o.tls_version.value_or(nullptr);
    r.tls_cipher_suites = o.tls_cipher_suites.value_or(nullptr);
    r.hosts = o.hosts.value_or(nullptr), r.thresholds = o.thresholds.value_or(nullptr);
    r.tags = o.tags.value_or(r.tags), r.system_tags = o.system_tags.value_or(r.system_tags);
    r.summary_trend_stats = o.summary_trend_stats.value_or(r.summary_trend_stats);
    r.setup_timeout = o.setup_timeout.value_or(r.setup_timeout);
    r.teardown_timeout = o.teardown_timeout.value_or(r.teardown_timeout);
    r.min_iteration_duration = o.min_iteration_duration.value_or(r.min_iteration_duration);
    r.max_redirects = o.max_redirects.value_or(r.max_redirects);
    r.max_redirects_set = o.max_redirects.has_value();
    r.batch = o.batch.value_or(r.batch),
    r.batch_per_host = o.batch_per_host.value_or(r.batch_per_host);
    r.rps = o.rps.value_or(0);
    r.dns = o.dns;
    r.discard_response_bodies = o.discard_response_bodies.value_or(false);
    r.no_connection_reuse = o.no_connection_reuse.value_or(false);
    r.no_vu_connection_reuse = o.no_vu_connection_reuse.value_or(false);
    r.blacklist_ips = o.blacklist_ips.value_or(nullptr);
    r.block_hostnames = o.block_hostnames.value_or(nullptr);
    r.no_cookies_reset = o.no_cookies_reset.value_or(false);
    std::sort(r.scenarios.begin(), r.scenarios.end(), [](const auto& a, const auto& b) {
        return std::tie(a.start_time, a.name) < std::tie(b.start_time, b.name);
    });
    return r;
}

[[noreturn]] void throw_problems(const std::vector<std::string>& problems) {
    std::string message = "There were problems with the specified script configuration:";
    for (const auto& p : problems) {
        message += "\n\t- " + p;
    }
    throw UserError(message, {}, ExitCode::kInvalidConfig);
}

} // namespace

RunOptions consolidate(const OptionLayer& file_options, const boost::json::value& script_options,
                       const CliOverrides& cli,
                       const std::map<std::string, std::string>& process_env,
                       const std::set<std::string>& exports) {
    std::vector<std::string> problems;
    OptionLayer merged = file_options;
    apply_layer(merged, parse_script_options(script_options, problems), "script");
    apply_layer(merged, env_layer(process_env, problems), "env");
    apply_layer(merged, cli_layer(cli, problems), "cli");
    RunOptions r = finalize(merged, problems);
    if (problems.empty()) {
        warn_ignored_vus(merged);
        for (const auto& sc : r.scenarios) {
            auto p = validate_scenario(sc, exports);
            problems.insert(problems.end(), p.begin(), p.end());
        }
        validate_general(r, problems);
        validate_segments(r, problems);
    }
    if (!problems.empty()) {
        throw_problems(problems);
    }
    r.env = build_env(cli, process_env);
    return r;
}

std::map<std::string, std::string>
build_env(const CliOverrides& cli, const std::map<std::string, std::string>& process_env) {
    std::map<std::string, std::string> env;
    if (cli.include_system_env) {
        env = process_env;
    }
    for (const auto& kv : cli.env) {
        auto eq = kv.find('=');
        std::string key = kv.substr(0, eq);
        if (!ascii_word(key, "_")) {
            throw UserError(fmt::format("invalid environment variable name '{}'", key),
                            "names are letters, digits and underscores, not starting with a digit",
                            ExitCode::kInvalidConfig);
        }
        env[key] = eq == std::string::npos ? std::string() : kv.substr(eq + 1);
    }
    return env;
}

} // namespace volley::config
