#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "config/merge.hpp"
#include "util/error.hpp"

namespace volley::config {
namespace {

using namespace std::chrono_literals;

const char* const kTitle = "There were problems with the specified script configuration:";

RunOptions run(const std::string& script, const CliOverrides& cli = {},
               const std::map<std::string, std::string>& env = {},
               const std::set<std::string>& exports = {"default"}) {
    return consolidate({}, boost::json::parse(script), cli, env, exports);
}

// The problem lines of the UserError consolidate() throws ("" if it does not throw).
std::string problems(const std::string& script, const CliOverrides& cli = {},
                     const std::map<std::string, std::string>& env = {},
                     const std::set<std::string>& exports = {"default"}) {
    try {
        run(script, cli, env, exports);
    } catch (const UserError& e) {
        EXPECT_EQ(e.code(), ExitCode::kInvalidConfig);
        std::string msg = e.what();
        EXPECT_EQ(msg.rfind(kTitle, 0), 0u) << msg;
        return msg.substr(std::string(kTitle).size());
    }
    return "";
}

TEST(Consolidate, NothingGivenIsOneVuOneIteration) {
    RunOptions o = run("null");
    ASSERT_EQ(o.scenarios.size(), 1u);
    const auto& sc = o.scenarios[0];
    EXPECT_EQ(sc.name, "default");
    EXPECT_EQ(sc.executor, ExecutorType::kPerVuIterations);
    EXPECT_EQ(sc.vus, 1);
    EXPECT_EQ(sc.iterations, 1);
    EXPECT_EQ(sc.max_duration, 10min);
    EXPECT_EQ(sc.graceful_stop, 30s);
    EXPECT_EQ(sc.exec, "default");
    EXPECT_EQ(o.user_agent, "Grafana k6/1.6.1");
    EXPECT_EQ(o.setup_timeout, 60s);
    EXPECT_EQ(o.summary_trend_stats,
              (std::vector<std::string>{"avg", "min", "med", "max", "p(90)", "p(95)"}));
    EXPECT_EQ(o.system_tags.count("scenario"), 1u);
    EXPECT_EQ(o.system_tags.count("vu"), 0u);
    EXPECT_TRUE(o.thresholds.is_null());
}

TEST(Consolidate, IterationsShortcutIsSharedIterations) {
    RunOptions o = run(R"({"iterations": 10, "vus": 2, "duration": "5m"})");
    ASSERT_EQ(o.scenarios.size(), 1u);
    const auto& sc = o.scenarios[0];
    EXPECT_EQ(sc.executor, ExecutorType::kSharedIterations);
    EXPECT_EQ(sc.vus, 2);
    EXPECT_EQ(sc.iterations, 10);
    EXPECT_EQ(sc.max_duration, 5min);
}

TEST(Consolidate, DurationShortcutIsConstantVus) {
    RunOptions o = run(R"({"vus": 5, "duration": 90000})");
    const auto& sc = o.scenarios.at(0);
    EXPECT_EQ(sc.executor, ExecutorType::kConstantVus);
    EXPECT_EQ(sc.vus, 5);
    EXPECT_EQ(sc.duration, 90s);
}

TEST(Consolidate, StagesShortcutIsRampingVusStartingAtVus) {
    RunOptions o = run(R"({"vus": 3, "stages": [{"duration": "10s", "target": 5},
                                               {"duration": "1m", "target": 0}]})");
    const auto& sc = o.scenarios.at(0);
    EXPECT_EQ(sc.executor, ExecutorType::kRampingVus);
    EXPECT_EQ(sc.start_vus, 3);
    ASSERT_EQ(sc.stages.size(), 2u);
    EXPECT_EQ(sc.stages[1].duration, 1min);
    EXPECT_EQ(sc.stages[0].target, 5);
}

TEST(Consolidate, ShortcutConflictsUseK6Texts) {
    EXPECT_EQ(problems(R"({"duration": "1m", "stages": [{"duration": "1s", "target": 1}]})"),
              "\n\t- using `duration` and `stages` options simultaneously is not allowed");
    EXPECT_EQ(problems(R"({"iterations": 1, "stages": [{"duration": "1s", "target": 1}]})"),
              "\n\t- using `iterations` and `stages` options simultaneously is not allowed");
    EXPECT_EQ(problems(R"({"iterations": 1, "scenarios": {}})"),
              "\n\t- using `iterations` and `scenarios` options simultaneously is not allowed");
    EXPECT_EQ(problems(R"({"duration": "0s"})"),
              "\n\t- `duration` option should be more than 0, for infinite duration use the "
              "externally-controlled executor");
}

TEST(Consolidate, CliBeatsEnvBeatsScript) {
    CliOverrides cli;
    EXPECT_EQ(run(R"({"vus": 2, "duration": "1m"})", cli, {{"K6_VUS", "3"}}).scenarios[0].vus, 3);
    cli.vus = "4";
    EXPECT_EQ(run(R"({"vus": 2, "duration": "1m"})", cli, {{"K6_VUS", "3"}}).scenarios[0].vus, 4);
    EXPECT_EQ(run(R"({"vus": 2, "duration": "1m"})").scenarios[0].vus, 2);
}

TEST(Consolidate, HttpLimitsFromEveryLayer) {
    CliOverrides cli;
    EXPECT_EQ(run("{}").rps, 0);
    EXPECT_EQ(run(R"({"rps": 5, "batch": 3, "maxRedirects": 2})").rps, 5);
    EXPECT_EQ(run(R"({"rps": 5})", cli, {{"K6_RPS", "7"}}).rps, 7);
    cli.rps = "9";
    cli.batch = "4";
    RunOptions o = run(R"({"rps": 5, "batch": 3})", cli, {{"K6_RPS", "7"}, {"K6_BATCH", "2"}});
    EXPECT_EQ(o.rps, 9);
    EXPECT_EQ(o.batch, 4);
    EXPECT_EQ(problems(R"({"rps": "x"})"), "\n\t- options.rps: expected an integer, got \"x\"");
}

TEST(Consolidate, DnsFieldsMergeOneByOne) {
    EXPECT_TRUE(run("{}").dns.empty());
    CliOverrides cli;
    cli.dns = "policy=any";
    RunOptions o = run(R"({"dns": {"ttl": "1m", "select": "first", "policy": "onlyIPv4"}})", cli,
                       {{"K6_DNS", "select=roundRobin"}});
    EXPECT_EQ(o.dns.ttl, "1m");
    EXPECT_EQ(o.dns.select, "roundRobin");
    EXPECT_EQ(o.dns.policy, "any");
    EXPECT_EQ(run(R"({"dns": {"ttl": null, "other": 1}})").dns.ttl, std::nullopt);
    EXPECT_EQ(problems(R"({"dns": {"select": "x", "ttl": 5}})"),
              "\n\t- options.dns.ttl: expected a string, got 5"
              "\n\t- options.dns.select: x does not belong to DNSSelect values");
    EXPECT_EQ(problems("{}", {}, {{"K6_DNS", "ttl"}}),
              "\n\t- K6_DNS: invalid value \"ttl\": no value for key ttl");
    cli.dns = "foo=1";
    try {
        run("{}", cli);
        ADD_FAILURE() << "no error";
    } catch (const UserError& e) {
        EXPECT_EQ(e.code(), ExitCode::kGeneric);
        EXPECT_STREQ(e.what(), "unknown DNS configuration field: foo");
    }
}

TEST(Consolidate, HigherSourceShortcutReplacesLowerScenarios) {
    CliOverrides cli;
    cli.duration = "30s";
    RunOptions o = run(R"({"scenarios": {"a": {"executor": "per-vu-iterations"}}})", cli);
    ASSERT_EQ(o.scenarios.size(), 1u);
    EXPECT_EQ(o.scenarios[0].name, "default");
    EXPECT_EQ(o.scenarios[0].executor, ExecutorType::kConstantVus);
    EXPECT_EQ(o.scenarios[0].duration, 30s);
}

TEST(Consolidate, ScenariosWithAllFieldsAndDefaults) {
    RunOptions o = run(R"({"scenarios": {
        "b": {"executor": "constant-arrival-rate", "rate": 10, "timeUnit": "2s",
              "duration": "1m", "preAllocatedVUs": 5, "startTime": "10s",
              "env": {"K": "v"}, "tags": {"t": "1"}, "exec": "other"},
        "a": {"executor": "ramping-arrival-rate", "startRate": 1, "preAllocatedVUs": 2,
              "maxVUs": 8, "stages": [{"duration": "1m", "target": 50}]}}})",
                       {}, {}, {"other", "default"});
    ASSERT_EQ(o.scenarios.size(), 2u);
    const auto& a = o.scenarios[0]; // sorted by startTime
    const auto& b = o.scenarios[1];
    EXPECT_EQ(a.name, "a");
    EXPECT_EQ(a.max_vus, 8);
    EXPECT_EQ(a.time_unit, 1s);
    EXPECT_EQ(b.executor, ExecutorType::kConstantArrivalRate);
    EXPECT_EQ(b.max_vus, 5); // defaults to preAllocatedVUs
    EXPECT_EQ(b.time_unit, 2s);
    EXPECT_EQ(b.start_time, 10s);
    EXPECT_EQ(b.env.at("K"), "v");
    EXPECT_EQ(b.tags.at("t"), "1");
    EXPECT_EQ(b.exec, "other");
}

TEST(Consolidate, JsonErrorsNameTheirPath) {
    std::string p = problems(R"({"scenarios": {"chat": {"executor": "ramping-vus",
        "stages": [{"duration": "1s", "target": 1}, {"duration": "x", "target": 2}]}}})");
    EXPECT_NE(p.find("\n\t- options.scenarios.chat.stages[1].duration: invalid duration \"x\""),
              std::string::npos)
        << p;
    EXPECT_EQ(problems(R"({"vus": "ten"})"), "\n\t- options.vus: expected an integer, got \"ten\"");
    EXPECT_EQ(problems(R"({"vus": 1.5})"), "\n\t- options.vus: expected an integer, got 1.5");
    EXPECT_EQ(problems(R"({"throw": 1})"), "\n\t- options.throw: expected true or false, got 1");
    EXPECT_EQ(problems(R"({"tags": {"a": 1}})"), "\n\t- options.tags.a: expected a string, got 1");
    EXPECT_EQ(problems(R"([1])"), "\n\t- options: expected an object, got [1]");
    EXPECT_EQ(problems(R"({"stages": [{"target": 1}]})"),
              "\n\t- options.stages[0]: stage 1 doesn't have a duration");
}

TEST(Consolidate, ScenarioShapeErrors) {
    EXPECT_EQ(problems(R"({"scenarios": {"s": {"vus": 1}}})"),
              "\n\t- options.scenarios.s: scenario 's' has no executor property");
    EXPECT_EQ(problems(R"({"scenarios": {"s": {"executor": "nope"}}})"),
              "\n\t- options.scenarios.s.executor: unknown executor type 'nope'");
    EXPECT_EQ(problems(R"({"scenarios": {"s": {"executor": "constant-vus", "duration": "1m",
                                              "rate": 3}}})"),
              "\n\t- options.scenarios.s.rate: unknown field \"rate\" for executor constant-vus");
    EXPECT_EQ(problems(R"({"scenarios": []})"),
              "\n\t- options.scenarios: expected an object keyed by scenario name, got []");
}

TEST(Consolidate, ExecutorValidationUsesK6Texts) {
    EXPECT_EQ(problems(R"({"scenarios": {"s": {"executor": "shared-iterations", "vus": 5,
                                              "iterations": 2}}})"),
              "\n\t- scenario s has configuration errors: the number of iterations (2) can't "
              "be less than the number of VUs (5)");
    EXPECT_EQ(problems(R"({"scenarios": {"s": {"executor": "constant-vus", "vus": 0,
                                              "duration": "500ms"}}})"),
              "\n\t- scenario s has configuration errors: the number of VUs must be more than 0"
              "\n\t- scenario s has configuration errors: the duration should be at least 1s, "
              "but is 500ms");
    EXPECT_EQ(problems(R"({"scenarios": {"s": {"executor": "ramping-vus", "startVUs": 0,
                                              "stages": [{"duration": "1s", "target": -1}]}}})"),
              "\n\t- scenario s has configuration errors: either startVUs or one of the "
              "stages' target values must be greater than 0"
              "\n\t- scenario s has configuration errors: the target for stage 1 can't be "
              "negative");
    EXPECT_EQ(problems(R"({"scenarios": {"s": {"executor": "constant-arrival-rate", "rate": 1,
                          "duration": "1m", "preAllocatedVUs": 5, "maxVUs": 2}}})"),
              "\n\t- scenario s has configuration errors: maxVUs can't be less than "
              "preAllocatedVUs");
    EXPECT_EQ(problems(R"({"scenarios": {"s": {"executor": "ramping-arrival-rate",
                          "preAllocatedVUs": 1, "timeUnit": "0s"}}})"),
              "\n\t- scenario s has configuration errors: at least one stage has to be "
              "specified"
              "\n\t- scenario s has configuration errors: the timeUnit must be more than 0");
    EXPECT_EQ(problems(R"({"scenarios": {"s": {"executor": "externally-controlled"}}})"),
              "\n\t- scenario s has configuration errors: the externally-controlled executor "
              "is not supported by volley");
}

TEST(Consolidate, ScenarioNamesAndExecChecks) {
    EXPECT_EQ(problems(R"({"scenarios": {"a b": {"executor": "per-vu-iterations"}}})"),
              "\n\t- scenario a b has configuration errors: the scenario name should contain "
              "only numbers, latin letters, underscores, and dashes");
    // A long name is checked without recursion (std::regex overflowed the stack on it).
    const std::string long_name(100'000, 'b');
    EXPECT_EQ(
        problems(R"({"scenarios": {")" + long_name + R"(": {"executor": "shared-iterations"}}})"),
        "");
    EXPECT_EQ(problems(R"({"scenarios": {"s": {"executor": "per-vu-iterations",
                                              "exec": "chat"}}})"),
              "\n\t- executor s: function 'chat' not found in exports");
    EXPECT_EQ(problems("null", {}, {}, {}),
              "\n\t- executor default: function 'default' not found in exports");
    EXPECT_EQ(problems(R"({"scenarios": {"s": {"executor": "per-vu-iterations",
                                              "startTime": "-1s"}}})"),
              "\n\t- scenario s has configuration errors: the startTime can't be negative");
}

TEST(Consolidate, CollectsEveryProblem) {
    std::string p = problems(R"({"vus": "x", "duration": "y", "userAgent": 3})");
    EXPECT_NE(p.find("options.vus"), std::string::npos);
    EXPECT_NE(p.find("options.duration"), std::string::npos);
    EXPECT_NE(p.find("options.userAgent"), std::string::npos);
}

TEST(Consolidate, SummaryAndTagOptions) {
    EXPECT_EQ(problems(R"j({"summaryTrendStats": ["avg", "p(101)", "foo", "p(99.9)"]})j"),
              "\n\t- stat 'p(101)' is unknown; use avg, min, med, max, count or p(N) with 0 <= "
              "N <= 100"
              "\n\t- stat 'foo' is unknown; use avg, min, med, max, count or p(N) with 0 <= N "
              "<= 100");
    const std::string huge = "p(" + std::string(400, '9') + ")"; // beyond double's range
    EXPECT_EQ(problems(R"j({"summaryTrendStats": [")j" + huge + R"j("]})j"),
              "\n\t- stat '" + huge +
                  "' is unknown; use avg, min, med, max, count or p(N) with 0 <= N <= 100");
    EXPECT_EQ(problems(R"({"summaryTimeUnit": "m"})"),
              "\n\t- invalid summary time unit 'm', use 's', 'ms' or 'us'");
    EXPECT_EQ(problems(R"({"systemTags": ["vu", "bogus"]})"),
              "\n\t- bogus does not belong to SystemTag values");
    RunOptions o = run(R"j({"systemTags": ["vu", "iter"], "tags": {"env": "prod"},
                          "summaryTrendStats": ["count", "p(0)", "p(100)"],
                          "thresholds": {"checks": ["rate>0.9"]}})j");
    EXPECT_EQ(o.system_tags, (std::set<std::string>{"iter", "vu"}));
    EXPECT_EQ(o.tags.at("env"), "prod");
    EXPECT_EQ(o.summary_trend_stats.size(), 3u);
    EXPECT_TRUE(o.thresholds.is_object());
}

// k6 parses number and duration flags with pflag first: the first bad one ends the run (255).
std::string bad_flag(const CliOverrides& cli) {
    try {
        run("null", cli);
    } catch (const UserError& e) {
        EXPECT_EQ(e.code(), ExitCode::kGeneric);
        return e.what();
    }
    return "no error";
}

TEST(Consolidate, BadNumberAndDurationFlagsEndTheRunWithGosText) {
    CliOverrides cli;
    cli.vus = "abc";
    EXPECT_EQ(bad_flag(cli), "invalid argument \"abc\" for \"-u, --vus\" flag: "
                             "strconv.ParseInt: parsing \"abc\": invalid syntax");
    cli = {};
    cli.duration = "1d";
    EXPECT_EQ(bad_flag(cli), "invalid argument \"1d\" for \"-d, --duration\" flag: "
                             "time: unknown unit \"d\" in duration \"1d\"");
    cli = {};
    cli.min_iteration_duration = "5";
    EXPECT_EQ(bad_flag(cli), "invalid argument \"5\" for \"--min-iteration-duration\" flag: "
                             "time: missing unit in duration \"5\"");
    cli = {};
    cli.stages = {"10s:5", "x:1"};
    EXPECT_EQ(bad_flag(cli), "error for stage 1: time: invalid duration \"x\"");
    cli.stages = {"10s:y"};
    EXPECT_EQ(bad_flag(cli), "error for stage 0: strconv.ParseInt: parsing \"y\": invalid syntax");
    cli.stages = {":3"};
    EXPECT_EQ(bad_flag(cli), "stage 0 doesn't have a specified duration");
}

// pflag's readings: Int64 flags in base 0, --stage a comma-separated list, an empty target 0.
TEST(Consolidate, NumberAndStageFlagsReadAsPflag) {
    CliOverrides cli;
    cli.vus = "0x10";
    cli.duration = "1m";
    EXPECT_EQ(run("null", cli).scenarios.at(0).vus, 16);
    cli = {};
    cli.stages = {"10s:5,20s:", "5s:+2"};
    RunOptions o = run("null", cli);
    ASSERT_EQ(o.scenarios.at(0).stages.size(), 3U);
    EXPECT_EQ(o.scenarios.at(0).stages[0].target, 5);
    EXPECT_EQ(o.scenarios.at(0).stages[1].target, 0);
    EXPECT_EQ(o.scenarios.at(0).stages[2].target, 2);
    EXPECT_EQ(o.scenarios.at(0).stages[1].duration, 20s);
}

TEST(Consolidate, CliFlagsParseAndReportK6Style) {
    CliOverrides cli;
    cli.tags = {"a=b", "=x", "y"};
    EXPECT_EQ(problems("null", cli), "\n\t- error parsing tag '=x': invalid tag, empty name"
                                     "\n\t- error parsing tag 'y': invalid tag, empty value");
    cli = {};
    cli.stages = {"10s:5", "20s"};
    cli.throw_errors = true;
    cli.user_agent = "ua";
    cli.system_tags = "vu,iter";
    cli.summary_trend_stats = "avg,p(99)";
    cli.no_summary = true;
    RunOptions o = run(R"({"throw": false, "userAgent": "script"})", cli);
    EXPECT_EQ(o.scenarios.at(0).executor, ExecutorType::kRampingVus);
    EXPECT_EQ(o.scenarios.at(0).stages.at(1).target, 0);
    EXPECT_TRUE(o.throw_errors);
    EXPECT_EQ(o.user_agent, "ua");
    EXPECT_EQ(o.system_tags, (std::set<std::string>{"iter", "vu"}));
    EXPECT_EQ(o.summary_trend_stats, (std::vector<std::string>{"avg", "p(99)"}));
    EXPECT_EQ(o.summary_mode, "disabled");
}

TEST(Consolidate, HttpDebugFromTheScriptTheEnvironmentAndTheFlag) {
    EXPECT_EQ(run("null").http_debug, "");
    EXPECT_EQ(run(R"({"httpDebug": "full"})").http_debug, "full");
    EXPECT_EQ(run(R"({"httpDebug": "full"})", {}, {{"K6_HTTP_DEBUG", "headers"}}).http_debug,
              "headers");
    CliOverrides cli;
    cli.http_debug = "full";
    EXPECT_EQ(run("null", cli, {{"K6_HTTP_DEBUG", "headers"}}).http_debug, "full");
    EXPECT_NE(to_json(run(R"({"httpDebug": "full"})")).find(R"("httpDebug":"full")"),
              std::string::npos);
    EXPECT_EQ(problems(R"({"httpDebug": 1})"), "\n\t- options.httpDebug: expected a string, got 1");
}

TEST(Consolidate, EnvironmentVariables) {
    RunOptions o = run("null", {},
                       {{"K6_ITERATIONS", "7"},
                        {"K6_THROW", "true"},
                        {"K6_NO_SETUP", "true"},
                        {"K6_NO_TEARDOWN", ""},
                        {"K6_QUIET", "null"},
                        {"K6_SETUP_TIMEOUT", "2m"},
                        {"K6_STAGES", ""}});
    EXPECT_EQ(o.scenarios.at(0).executor, ExecutorType::kSharedIterations);
    EXPECT_EQ(o.scenarios.at(0).iterations, 7);
    EXPECT_TRUE(o.throw_errors);
    EXPECT_TRUE(o.no_setup);
    EXPECT_EQ(o.setup_timeout, 2min);
    EXPECT_FALSE(o.no_teardown); // "" and "null" leave a k6 null.Bool unset
    EXPECT_FALSE(o.quiet);
    EXPECT_EQ(problems("null", {}, {{"K6_THROW", "yes"}}),
              "\n\t- K6_THROW: invalid value \"yes\": expected true or false");
    EXPECT_EQ(problems("null", {}, {{"K6_NO_SETUP", "1"}}),
              "\n\t- K6_NO_SETUP: invalid value \"1\": expected true or false");
    EXPECT_EQ(problems("null", {}, {{"K6_DURATION", "1x"}}),
              "\n\t- K6_DURATION: invalid value \"1x\": invalid duration \"1x\": unknown unit "
              "\"x\"");
    RunOptions staged = run("null", {}, {{"K6_STAGES", "1s:2,2s:0"}});
    EXPECT_EQ(staged.scenarios.at(0).stages.size(), 2u);
}

TEST(Consolidate, K6TagsAreRunTagsBelowTheTagFlag) {
    RunOptions o = run(R"({"tags": {"s": "script"}})", {}, {{"K6_TAGS", "env=prod,team=a"}});
    EXPECT_EQ(o.tags, (std::map<std::string, std::string>{{"env", "prod"}, {"team", "a"}}));
    CliOverrides cli;
    cli.tags = {"env=cli"};
    EXPECT_EQ(run("null", cli, {{"K6_TAGS", "env=prod,team=a"}}).tags,
              (std::map<std::string, std::string>{{"env", "cli"}}));
    EXPECT_EQ(run(R"({"tags": {"s": "script"}})", {}, {{"K6_TAGS", ""}}).tags.at("s"), "script");
    EXPECT_EQ(problems("null", {}, {{"K6_TAGS", "ok=1,broken"}}),
              "\n\t- error parsing tag 'broken': invalid tag, empty value");
}

TEST(BuildEnv, ProcessEnvironmentOverlaidWithFlags) {
    CliOverrides cli;
    cli.env = {"A=1", "B", "C=x=y"};
    auto env = build_env(cli, {{"A", "0"}, {"HOME", "/root"}});
    EXPECT_EQ(env, (std::map<std::string, std::string>{
                       {"A", "1"}, {"B", ""}, {"C", "x=y"}, {"HOME", "/root"}}));
    cli.include_system_env = false;
    EXPECT_EQ(build_env(cli, {{"HOME", "/root"}}).count("HOME"), 0u);
    cli.env = {"1A=2"};
    try {
        build_env(cli, {});
        FAIL();
    } catch (const UserError& e) {
        EXPECT_STREQ(e.what(), "invalid environment variable name '1A'");
    }
    EXPECT_EQ(run("null", CliOverrides{}, {{"X", "1"}}).env.at("X"), "1");
}

TEST(ToJson, K6KeysAndGoDurations) {
    RunOptions o = run(R"({"vus": 2, "duration": "90s", "thresholds": {"checks": ["rate>0"]}})");
    auto v = boost::json::parse(to_json(o));
    EXPECT_EQ(v.at("scenarios").at("default").at("executor"), "constant-vus");
    EXPECT_EQ(v.at("scenarios").at("default").at("duration"), "1m30s");
    EXPECT_EQ(v.at("duration"), "1m30s");
    EXPECT_EQ(v.at("vus"), 2);
    EXPECT_EQ(v.at("userAgent"), "Grafana k6/1.6.1");
    EXPECT_TRUE(v.at("thresholds").is_object());
}

} // namespace
} // namespace volley::config
