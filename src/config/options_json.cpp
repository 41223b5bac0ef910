// The script's exported `options` (as JSON) -> an OptionLayer. Type and format problems name
// their JSON path; semantic validation happens after consolidation (merge.cpp).

#include <cmath>
#include <set>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "config/merge.hpp"

namespace volley::config {
namespace json = boost::json;

namespace {

// JSON text for messages, with numbers as JavaScript prints them (1.5, not Boost's 1.5E0).
std::string show(const json::value& v) {
    return v.is_double() ? fmt::format("{}", v.get_double()) : json::serialize(v);
}

class Reader {
public:
    // `root` prefixes every path: "options." for the script's options, "" for a config file.
    Reader(std::vector<std::string>& problems, std::string root)
        : problems_(problems), root_(std::move(root)) {}

    std::string path(const char* key) const { return root_ + key; }

    void problem(const std::string& path, const std::string& message) {
        problems_.push_back(path + ": " + message);
    }

    std::optional<std::int64_t> integer(const json::value& v, const std::string& path) {
        if (v.is_int64()) {
            return v.get_int64();
        }
        if (v.is_uint64() && v.get_uint64() <= INT64_MAX) {
            return static_cast<std::int64_t>(v.get_uint64());
        }
        if (v.is_double() && std::trunc(v.get_double()) == v.get_double() &&
            std::fabs(v.get_double()) < 9e18) {
            return static_cast<std::int64_t>(v.get_double());
        }
        problem(path, "expected an integer, got " + show(v));
        return std::nullopt;
    }

    std::optional<Duration> duration(const json::value& v, const std::string& path) {
        auto d = duration_from_json(v);
        if (!d) {
            problem(path, d.error().message);
            return std::nullopt;
        }
        return *d;
    }

    std::optional<bool> boolean(const json::value& v, const std::string& path) {
        if (v.is_bool()) {
            return v.get_bool();
        }
        problem(path, "expected true or false, got " + show(v));
        return std::nullopt;
    }

    std::optional<std::string> string(const json::value& v, const std::string& path) {
        if (v.is_string()) {
            return std::string(v.get_string());
        }
        problem(path, "expected a string, got " + show(v));
        return std::nullopt;
    }

    // `dns`: an object of optional strings (other keys ignored, as Go's decoder does).
    void dns(const json::value& v, const std::string& path, DnsFields& out) {
        if (!v.is_object()) {
            problem(path, "expected an object, got " + show(v));
            return;
        }
        const std::pair<const char*, std::optional<std::string>*> fields[] = {
            {"ttl", &out.ttl}, {"select", &out.select}, {"policy", &out.policy}};
        for (const auto& [key, field] : fields) {
            const json::value* f = v.get_object().if_contains(key);
            if (f == nullptr || f->is_null()) {
                continue;
            }
            std::string at = path + "." + key;
            auto text = string(*f, at);
            std::string why = !text                          ? ""
                              : std::string(key) == "select" ? dns_select_error(*text)
                              : std::string(key) == "policy" ? dns_policy_error(*text)
                                                             : "";
            if (!why.empty()) {
                problem(at, why);
            } else if (text) {
                *field = text;
            }
        }
    }

    std::optional<std::map<std::string, std::string>> string_map(const json::value& v,
                                                                 const std::string& path);
    std::optional<std::vector<std::string>> string_list(const json::value& v,
                                                        const std::string& path);
    std::optional<std::vector<Stage>> stages(const json::value& v, const std::string& path);
    std::optional<std::vector<ScenarioConfig>> scenarios(const json::value& v,
                                                         const std::string& path);

private:
    std::optional<ScenarioConfig> scenario(const std::string& name, const json::value& v,
                                           const std::string& path);
    void scenario_field(ScenarioConfig& sc, const std::string& key, const json::value& v,
                        const std::string& path);
    std::vector<std::string>& problems_;
    std::string root_;
};

std::optional<std::map<std::string, std::string>> Reader::string_map(const json::value& v,
                                                                     const std::string& path) {
    if (!v.is_object()) {
        problem(path, "expected an object, got " + show(v));
        return std::nullopt;
    }
    std::map<std::string, std::string> out;
    for (const auto& kv : v.get_object()) {
        std::string key(kv.key());
        if (auto s = string(kv.value(), path + "." + key)) {
            out[key] = *s;
        }
    }
    return out;
}

std::optional<std::vector<std::string>> Reader::string_list(const json::value& v,
                                                            const std::string& path) {
    if (!v.is_array()) {
        problem(path, "expected an array, got " + show(v));
        return std::nullopt;
    }
    std::vector<std::string> out;
    const auto& arr = v.get_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
        if (auto s = string(arr[i], fmt::format("{}[{}]", path, i))) {
            out.push_back(*s);
        }
    }
    return out;
}

// Missing fields stay at their zero value: k6 reports them in validation ("stage 1 doesn't
// have a duration") but we cannot tell them apart afterwards, so the messages come from here.
std::optional<std::vector<Stage>> Reader::stages(const json::value& v, const std::string& path) {
    if (!v.is_array()) {
        problem(path, "expected an array, got " + show(v));
        return std::nullopt;
    }
    std::vector<Stage> out;
    const auto& arr = v.get_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
        std::string p = fmt::format("{}[{}]", path, i);
        if (!arr[i].is_object()) {
            problem(p, "expected an object with duration and target, got " + show(arr[i]));
            continue;
        }
        const auto& o = arr[i].get_object();
        Stage stage;
        const json::value* d = o.if_contains("duration");
        const json::value* t = o.if_contains("target");
        if (d == nullptr || d->is_null()) {
            problem(p, fmt::format("stage {} doesn't have a duration", i + 1));
        } else if (auto dur = duration(*d, p + ".duration")) {
            stage.duration = *dur;
        }
        if (t == nullptr || t->is_null()) {
            problem(p, fmt::format("stage {} doesn't have a target", i + 1));
        } else if (auto target = integer(*t, p + ".target")) {
            stage.target = *target;
        }
        out.push_back(stage);
    }
    return out;
}

std::optional<std::vector<ScenarioConfig>> Reader::scenarios(const json::value& v,
                                                             const std::string& path) {
    if (!v.is_object()) {
        problem(path, "expected an object keyed by scenario name, got " + show(v));
        return std::nullopt;
    }
    std::vector<ScenarioConfig> out;
    for (const auto& kv : v.get_object()) {
        std::string name(kv.key());
        if (auto sc = scenario(name, kv.value(), path + "." + name)) {
            out.push_back(std::move(*sc));
        }
    }
    return out;
}

// The JSON fields each executor accepts besides the common ones (k6 unmarshals strictly).
const std::set<std::string>& fields_of(ExecutorType type) {
    static const std::map<ExecutorType, std::set<std::string>> kFields{
        {ExecutorType::kSharedIterations, {"vus", "iterations", "maxDuration"}},
        {ExecutorType::kPerVuIterations, {"vus", "iterations", "maxDuration"}},
        {ExecutorType::kConstantVus, {"vus", "duration"}},
        {ExecutorType::kRampingVus, {"startVUs", "stages", "gracefulRampDown"}},
        {ExecutorType::kConstantArrivalRate,
         {"rate", "timeUnit", "duration", "preAllocatedVUs", "maxVUs"}},
        {ExecutorType::kRampingArrivalRate,
         {"startRate", "timeUnit", "stages", "preAllocatedVUs", "maxVUs"}},
        {ExecutorType::kExternallyControlled, {"vus", "maxVUs", "duration"}},
    };
    return kFields.at(type);
}

std::optional<ScenarioConfig> Reader::scenario(const std::string& name, const json::value& v,
                                               const std::string& path) {
    if (!v.is_object()) {
        problem(path, "expected an object, got " + show(v));
        return std::nullopt;
    }
    const auto& o = v.get_object();
    const json::value* type = o.if_contains("executor");
    if (type == nullptr || !type->is_string() || type->get_string().empty()) {
        problem(path, fmt::format("scenario '{}' has no executor property", name));
        return std::nullopt;
    }
    auto executor = executor_from_name(std::string(type->get_string()));
    if (!executor) {
        problem(path + ".executor",
                fmt::format("unknown executor type '{}'", std::string(type->get_string())));
        return std::nullopt;
    }
    ScenarioConfig sc;
    sc.name = name;
    sc.executor = *executor;
    bool has_max_vus = false;
    for (const auto& kv : o) {
        std::string key(kv.key());
        has_max_vus = has_max_vus || (key == "maxVUs" && !kv.value().is_null());
        if (key != "executor" && !kv.value().is_null()) {
            scenario_field(sc, key, kv.value(), path + "." + key);
        }
    }
    if (!has_max_vus) {
        sc.max_vus = sc.pre_allocated_vus; // k6: maxVUs defaults to preAllocatedVUs
    }
    return sc;
}

void Reader::scenario_field(ScenarioConfig& sc, const std::string& key, const json::value& v,
                            const std::string& path) {
    auto set_int = [&](std::int64_t& field) {
        if (auto i = integer(v, path)) {
            field = *i;
        }
    };
    auto set_duration = [&](Duration& field) {
        if (auto d = duration(v, path)) {
            field = *d;
        }
    };
    static const std::set<std::string> kCommon{"startTime", "gracefulStop", "exec", "env", "tags"};
    if (kCommon.count(key) == 0 && fields_of(sc.executor).count(key) == 0) {
        problem(path, fmt::format("unknown field \"{}\" for executor {}", key,
                                  executor_name(sc.executor)));
    } else if (key == "startTime") {
        set_duration(sc.start_time);
    } else if (key == "gracefulStop") {
        set_duration(sc.graceful_stop);
    } else if (key == "exec") {
        if (auto s = string(v, path)) {
            sc.exec = *s;
        }
    } else if (key == "env" || key == "tags") {
        if (auto m = string_map(v, path)) {
            (key == "env" ? sc.env : sc.tags) = *m;
        }
    } else if (key == "vus") {
        set_int(sc.vus);
    } else if (key == "iterations") {
        set_int(sc.iterations);
    } else if (key == "maxDuration") {
        set_duration(sc.max_duration);
    } else if (key == "duration") {
        set_duration(sc.duration);
    } else if (key == "startVUs") {
        set_int(sc.start_vus);
    } else if (key == "stages") {
        if (auto st = stages(v, path)) {
            sc.stages = *st;
        }
    } else if (key == "gracefulRampDown") {
        set_duration(sc.graceful_ramp_down);
    } else if (key == "rate") {
        set_int(sc.rate);
    } else if (key == "startRate") {
        set_int(sc.start_rate);
    } else if (key == "timeUnit") {
        set_duration(sc.time_unit);
    } else if (key == "preAllocatedVUs") {
        set_int(sc.pre_allocated_vus);
    } else if (key == "maxVUs") {
        set_int(sc.max_vus);
    }
}

template <class T, class F>
void read(const Reader& r, const json::object& o, const char* key, std::optional<T>& out,
          F&& parse) {
    const json::value* v = o.if_contains(key);
    if (v != nullptr && !v->is_null()) {
        out = parse(*v, r.path(key));
    }
}

void read_execution(Reader& r, const json::object& o, OptionLayer& layer) {
    auto integer = [&](const json::value& v, const std::string& p) { return r.integer(v, p); };
    auto duration = [&](const json::value& v, const std::string& p) { return r.duration(v, p); };
    read(r, o, "vus", layer.vus, integer);
    read(r, o, "iterations", layer.iterations, integer);
    read(r, o, "duration", layer.duration, duration);
    read(r, o, "stages", layer.stages,
         [&](const json::value& v, const std::string& p) { return r.stages(v, p); });
    read(r, o, "scenarios", layer.scenarios,
         [&](const json::value& v, const std::string& p) { return r.scenarios(v, p); });
    read(r, o, "setupTimeout", layer.setup_timeout, duration);
    read(r, o, "teardownTimeout", layer.teardown_timeout, duration);
    read(r, o, "minIterationDuration", layer.min_iteration_duration, duration);
}

void read_general(Reader& r, const json::object& o, OptionLayer& layer) {
    auto boolean = [&](const json::value& v, const std::string& p) { return r.boolean(v, p); };
    auto string = [&](const json::value& v, const std::string& p) { return r.string(v, p); };
    auto raw = [](const json::value& v, const std::string&) {
        return std::optional<json::value>(v);
    };
    read(r, o, "throw", layer.throw_errors, boolean);
    read(r, o, "insecureSkipTLSVerify", layer.insecure_skip_tls_verify, boolean);
    read(r, o, "noSetup", layer.no_setup, boolean);
    read(r, o, "noTeardown", layer.no_teardown, boolean);
    read(r, o, "noThresholds", layer.no_thresholds, boolean);
    read(r, o, "userAgent", layer.user_agent, string);
    read(r, o, "httpDebug", layer.http_debug, string);
    read(r, o, "summaryTimeUnit", layer.summary_time_unit, string);
    read(r, o, "executionSegment", layer.execution_segment, string);
    read(r, o, "executionSegmentSequence", layer.execution_segment_sequence, string);
    read(r, o, "tlsAuth", layer.tls_auth, raw);
    read(r, o, "tlsVersion", layer.tls_version, raw);
    read(r, o, "tlsCipherSuites", layer.tls_cipher_suites, raw);
    read(r, o, "hosts", layer.hosts, raw);
    read(r, o, "blacklistIPs", layer.blacklist_ips, raw);
    read(r, o, "blockHostnames", layer.block_hostnames, raw);
    read(r, o, "discardResponseBodies", layer.discard_response_bodies, boolean);
    read(r, o, "noConnectionReuse", layer.no_connection_reuse, boolean);
    read(r, o, "noVUConnectionReuse", layer.no_vu_connection_reuse, boolean);
    read(r, o, "noCookiesReset", layer.no_cookies_reset, boolean);
    auto integer = [&](const json::value& v, const std::string& p) { return r.integer(v, p); };
    read(r, o, "maxRedirects", layer.max_redirects, integer);
    read(r, o, "batch", layer.batch, integer);
    read(r, o, "batchPerHost", layer.batch_per_host, integer);
    read(r, o, "rps", layer.rps, integer);
    if (const json::value* dns = o.if_contains("dns"); dns != nullptr && !dns->is_null()) {
        r.dns(*dns, r.path("dns"), layer.dns);
    }
    read(r, o, "thresholds", layer.thresholds, raw);
    read(r, o, "tags", layer.tags,
         [&](const json::value& v, const std::string& p) { return r.string_map(v, p); });
    read(r, o, "summaryTrendStats", layer.summary_trend_stats,
         [&](const json::value& v, const std::string& p) { return r.string_list(v, p); });
    std::optional<std::vector<std::string>> system_tags;
    read(r, o, "systemTags", system_tags,
         [&](const json::value& v, const std::string& p) { return r.string_list(v, p); });
    if (system_tags) {
        layer.system_tags = std::set<std::string>(system_tags->begin(), system_tags->end());
    }
}

} // namespace

OptionLayer parse_options_layer(const json::value& options, const std::string& root,
                                std::vector<std::string>& problems) {
    OptionLayer layer;
    if (options.is_null()) {
        return layer;
    }
    Reader r(problems, root.empty() ? root : root + ".");
    if (!options.is_object()) {
        r.problem(root.empty() ? "options" : root, "expected an object, got " + show(options));
        return layer;
    }
    read_execution(r, options.get_object(), layer);
    read_general(r, options.get_object(), layer);
    return layer;
}

OptionLayer parse_script_options(const json::value& options, std::vector<std::string>& problems) {
    return parse_options_layer(options, "options", problems);
}

} // namespace volley::config
