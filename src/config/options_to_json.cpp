// RunOptions -> k6-style JSON for `volley inspect` and test.options.

#include <boost/json.hpp>

#include "config/merge.hpp"

namespace volley::config {
namespace json = boost::json;

namespace {

json::value string_map(const std::map<std::string, std::string>& m) {
    json::object o;
    for (const auto& [k, v] : m) {
        o[k] = v;
    }
    return o;
}

json::value stages_json(const std::vector<Stage>& stages) {
    json::array a;
    for (const auto& s : stages) {
        a.push_back(json::object{{"duration", format_duration(s.duration)}, {"target", s.target}});
    }
    return a;
}

json::object scenario_json(const ScenarioConfig& sc) {
    json::object o{{"executor", executor_name(sc.executor)},
                   {"startTime", format_duration(sc.start_time)},
                   {"gracefulStop", format_duration(sc.graceful_stop)},
                   {"exec", sc.exec}};
    if (!sc.env.empty()) {
        o["env"] = string_map(sc.env);
    }
    if (!sc.tags.empty()) {
        o["tags"] = string_map(sc.tags);
    }
    switch (sc.executor) {
    case ExecutorType::kSharedIterations:
    case ExecutorType::kPerVuIterations:
        o["vus"] = sc.vus, o["iterations"] = sc.iterations;
        o["maxDuration"] = format_duration(sc.max_duration);
        break;
    case ExecutorType::kConstantVus:
    case ExecutorType::kExternallyControlled:
        o["vus"] = sc.vus, o["duration"] = format_duration(sc.duration);
        break;
    case ExecutorType::kRampingVus:
        o["startVUs"] = sc.start_vus, o["stages"] = stages_json(sc.stages);
        o["gracefulRampDown"] = format_duration(sc.graceful_ramp_down);
        break;
    case ExecutorType::kConstantArrivalRate:
    case ExecutorType::kRampingArrivalRate:
        if (sc.executor == ExecutorType::kConstantArrivalRate) {
            o["rate"] = sc.rate, o["duration"] = format_duration(sc.duration);
        } else {
            o["startRate"] = sc.start_rate, o["stages"] = stages_json(sc.stages);
        }
        o["timeUnit"] = format_duration(sc.time_unit);
        o["preAllocatedVUs"] = sc.pre_allocated_vus, o["maxVUs"] = sc.max_vus;
        break;
    }
    return o;
}

} // namespace

std::string to_json(const RunOptions& r) {
    json::object scenarios;
    for (const auto& sc : r.scenarios) {
        scenarios[sc.name] = scenario_json(sc);
    }
    json::object o{{"scenarios", scenarios},
                   {"throw", r.throw_errors},
                   {"userAgent", r.user_agent},
                   {"insecureSkipTLSVerify", r.insecure_skip_tls_verify},
                   {"tags", string_map(r.tags)},
                   {"systemTags", json::value_from(r.system_tags)},
                   {"summaryTrendStats", json::value_from(r.summary_trend_stats)},
                   {"setupTimeout", format_duration(r.setup_timeout)},
                   {"teardownTimeout", format_duration(r.teardown_timeout)},
                   {"noSetup", r.no_setup},
                   {"noTeardown", r.no_teardown},
                   {"minIterationDuration", format_duration(r.min_iteration_duration)},
                   {"maxRedirects", r.max_redirects},
                   {"batch", r.batch},
                   {"batchPerHost", r.batch_per_host},
                   {"discardResponseBodies", r.discard_response_bodies},
                   {"noConnectionReuse", r.no_connection_reuse},
                   {"noVUConnectionReuse", r.no_vu_connection_reuse},
                   {"noCookiesReset", r.no_cookies_reset}};
    if (r.rps > 0) {
        o["rps"] = r.rps;
    }
    if (!r.dns.empty()) {
        auto text = [](const std::optional<std::string>& s) {
            return s ? json::value(*s) : json::value(nullptr);
        };
        o["dns"] = {{"ttl", text(r.dns.ttl)},
                    {"select", text(r.dns.select)},
                    {"policy", text(r.dns.policy)}};
    }
    if (r.vus) {
        o["vus"] = *r.vus;
    }
    if (r.iterations) {
        o["iterations"] = *r.iterations;
    }
    if (r.duration) {
        o["duration"] = format_duration(*r.duration);
    }
    if (r.stages) {
        o["stages"] = stages_json(*r.stages);
    }
    if (!r.http_debug.empty()) {
        o["httpDebug"] = r.http_debug;
    }
    if (!r.execution_segment.empty()) {
        o["executionSegment"] = r.execution.segment().str();
    }
    if (!r.execution_segment_sequence.empty()) {
        o["executionSegmentSequence"] = SegmentSequence::parse(r.execution_segment_sequence).str();
    }
    if (!r.summary_time_unit.empty()) {
        o["summaryTimeUnit"] = r.summary_time_unit;
    }
    if (!r.thresholds.is_null()) {
        o["thresholds"] = r.thresholds;
    }
    for (const auto& [key, v] : {std::pair{"tlsAuth", &r.tls_auth},
                                 {"tlsVersion", &r.tls_version},
                                 {"tlsCipherSuites", &r.tls_cipher_suites},
                                 {"hosts", &r.hosts},
                                 {"blacklistIPs", &r.blacklist_ips},
                                 {"blockHostnames", &r.block_hostnames}}) {
        if (!v->is_null()) {
            o[key] = *v;
        }
    }
    return json::serialize(o);
}

} // namespace volley::config
