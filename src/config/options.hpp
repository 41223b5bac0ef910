#pragma once

// The consolidated run configuration (k6-behaviour.md §5.3): plain structs with k6's defaults.
// Built once by consolidate() (config/merge.hpp) on the main thread, then read-only and shared by
// every thread.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "config/dns_options.hpp"
#include "config/duration.hpp"
#include "config/execution_segment.hpp"

namespace volley::config {

enum class ExecutorType {
    kSharedIterations,
    kPerVuIterations,
    kConstantVus,
    kRampingVus,
    kConstantArrivalRate,
    kRampingArrivalRate,
    kExternallyControlled,
};

// k6's name of the executor, e.g. "constant-vus".
const char* executor_name(ExecutorType type);
// The executor with that k6 name, or nullopt.
std::optional<ExecutorType> executor_from_name(std::string_view name);

// One ramping stage: reach `target` (VUs, or iterations per timeUnit) linearly over `duration`.
struct Stage {
    Duration duration{0};
    std::int64_t target = 0;
};

// One scenario with every executor's fields; only those of `executor` are meaningful. Defaults
// are k6's (lib/executor/*.go).
struct ScenarioConfig {
    std::string name;
    ExecutorType executor = ExecutorType::kPerVuIterations;
    Duration start_time{0};
    Duration graceful_stop{std::chrono::seconds{30}};
    std::string exec = "default";            // exported function each iteration calls
    std::map<std::string, std::string> env;  // extra __ENV entries
    std::map<std::string, std::string> tags; // extra tags on all the scenario's samples

    // shared-iterations, per-vu-iterations, constant-vus, externally-controlled
    std::int64_t vus = 1;
    // shared-iterations (total), per-vu-iterations (per VU)
    std::int64_t iterations = 1;
    // shared-iterations, per-vu-iterations
    Duration max_duration{std::chrono::minutes{10}};
    // constant-vus, constant-arrival-rate, externally-controlled (0 = unlimited)
    Duration duration{0};

    // ramping-vus
    std::int64_t start_vus = 1;
    Duration graceful_ramp_down{std::chrono::seconds{30}};
    // ramping-vus (targets are VUs), ramping-arrival-rate (targets are iterations per time_unit)
    std::vector<Stage> stages;

    // constant-arrival-rate (`rate`), ramping-arrival-rate (`start_rate`): iterations per time_unit
    std::int64_t rate = 0;
    std::int64_t start_rate = 0;
    Duration time_unit{std::chrono::seconds{1}};
    std::int64_t pre_allocated_vus = 0;
    std::int64_t max_vus = 0; // after consolidation: >= pre_allocated_vus (k6: defaults to it)
};

// k6's default `systemTags`.
std::set<std::string> default_system_tags();
// Every system tag name k6 knows (the defaults plus iter, vu, ocsp_status, ip).
const std::set<std::string>& known_system_tags();

struct RunOptions {
    // Always at least one scenario after consolidate(), sorted by (start_time, name).
    std::vector<ScenarioConfig> scenarios;

    // The execution shortcuts as consolidated (kept for test.options / the summary).
    std::optional<std::int64_t> vus;
    std::optional<Duration> duration;
    std::optional<std::int64_t> iterations;
    std::optional<std::vector<Stage>> stages;

    // This instance's share of a distributed test (`executionSegment`,
    // `executionSegmentSequence`; "" = not given) and the tuple built from them.
    std::string execution_segment;
    std::string execution_segment_sequence;
    ExecutionTuple execution;

    bool throw_errors = false; // `throw`
    std::string user_agent = "Grafana k6/1.6.1";
    std::string http_debug; // httpDebug: "" off, "full" with bodies, anything else headers only
    bool insecure_skip_tls_verify = false;
    boost::json::value tls_auth;          // raw `tlsAuth` (null if not given)
    boost::json::value tls_version;       // raw `tlsVersion`
    boost::json::value tls_cipher_suites; // raw `tlsCipherSuites`
    boost::json::value hosts;             // raw `hosts`

    // k6/http (and the network options k6/ws shares)
    std::int64_t max_redirects = 10;      // `maxRedirects`
    bool max_redirects_set = false;       // given (k6 warns only when its default stops)
    bool discard_response_bodies = false; // `discardResponseBodies`
    std::int64_t batch = 20;              // `batch`: parallel requests of one http.batch
    std::int64_t batch_per_host = 6;      // `batchPerHost`
    std::int64_t rps = 0;                 // `rps`: requests per second, instance-wide; <= 0 none
    DnsFields dns;                        // `dns`: unset fields take k6's defaults
    bool no_connection_reuse = false;     // `noConnectionReuse`
    bool no_vu_connection_reuse = false;  // `noVUConnectionReuse`
    bool no_cookies_reset = false;        // `noCookiesReset`: keep the VU jar between iterations
    boost::json::value blacklist_ips;     // raw `blacklistIPs` (CIDR strings)
    boost::json::value block_hostnames;   // raw `blockHostnames` (patterns)

    std::map<std::string, std::string> tags; // run-wide tags
    std::set<std::string> system_tags = default_system_tags();

    std::vector<std::string> summary_trend_stats = {"avg", "min", "med", "max", "p(90)", "p(95)"};
    std::string summary_time_unit; // "", "s", "ms" or "us" ("" = automatic)
    std::string summary_mode = "compact";
    std::string summary_export;    // file path, "" = none
    boost::json::value thresholds; // raw `thresholds` object (null if none); metrics/ parses it
    bool no_thresholds = false;

    Duration setup_timeout{std::chrono::seconds{60}};
    Duration teardown_timeout{std::chrono::seconds{60}};
    bool no_setup = false;
    bool no_teardown = false;
    Duration min_iteration_duration{0};

    bool no_color = false;
    bool quiet = false;

    // __ENV for every VU: the process environment (unless disabled) overlaid with `-e K=V`.
    std::map<std::string, std::string> env;
};

} // namespace volley::config
