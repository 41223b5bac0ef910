// --out experimental-prometheus-rw (k6's Prometheus remote-write output): a real Prometheus
// (Debian's, with its remote-write receiver) gets the series of a k6/ws test, and what it
// stores equals the --summary-export figures; a refused or unanswering endpoint is logged and
// the test still ends normally with its whole summary.

#include <cmath>
#include <filesystem>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "echo_process.hpp"
#include "process.hpp"
#include "prometheus_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace volley::test {
namespace {

namespace json = boost::json;

// One VU, deterministic checks: `status is 101` always passes, `even iteration` every other
// time. With PROM_PORT set, iteration 0 also waits (5 s at most) until Prometheus has the
// ws_sessions series, which shows a push happened while the test was running, not only at its
// end. Iterations end at least 10 ms apart, so the last samples of a series never share a
// millisecond with the ones before (the output, as k6's, sends a timestamp only once).
constexpr const char* kScript = R"(
import ws from 'k6/ws';
import http from 'k6/http';
import { check, sleep } from 'k6';
import { Counter, Trend } from 'k6/metrics';

const sizes = new Trend('echo_size');
const pushedDuringTest = new Counter('pushed_during_test');

export const options = { vus: 1, iterations: 4 };

function seenByPrometheus() {
  const q = encodeURIComponent('k6_ws_sessions_total');
  for (let i = 0; i < 50; i++) {
    const r = http.get(`http://127.0.0.1:${__ENV.PROM_PORT}/api/v1/query?query=${q}`);
    if (r.status === 200 && r.json('data.result').length > 0) {
      return true;
    }
    sleep(0.1);
  }
  return false;
}

export default function () {
  const res = ws.connect(__ENV.ECHO, {}, (socket) => {
    socket.on('open', () => socket.send('hello'));
    socket.on('message', (m) => { sizes.add(m.length); socket.close(); });
    socket.setTimeout(() => socket.close(), 5000);
  });
  check(res, { 'status is 101': (r) => r && r.status === 101 });
  check(__ITER, { 'even iteration': (i) => i % 2 === 0 });
  if (__ITER === 0 && __ENV.PROM_PORT && seenByPrometheus()) {
    pushedDuringTest.add(1);
  }
  sleep(0.01);
}
)";

class PrometheusRw : public ::testing::Test {
protected:
    void SetUp() override { dir_ = make_temp_dir("volley-prw"); }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    ProcessResult run(const std::map<std::string, std::string>& env,
                      std::vector<std::string> extra = {}) {
        write_file(dir_ + "/s.js", kScript);
        std::vector<std::string> argv = {
            volley_binary(),       "run", "--out", "experimental-prometheus-rw", "--summary-export",
            dir_ + "/summary.json"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        argv.push_back(dir_ + "/s.js");
        ProcessOptions o;
        o.env = env;
        o.env["ECHO"] = echo_.url();
        o.cwd = dir_;
        return run_process(argv, o);
    }
    json::value summary() const { return json::parse(read_text(dir_ + "/summary.json")); }

    static double num(const json::value& v) { return v.to_number<double>(); }
    static double metric(const json::value& s, const char* name, const char* field) {
        return num(s.at("metrics").at(name).at(field));
    }

    std::string dir_;
    EchoProcess echo_;
};

void expect_close(std::optional<double> got, double want, const std::string& what) {
    ASSERT_TRUE(got.has_value()) << what << ": no such series";
    EXPECT_NEAR(*got, want, std::abs(want) * 1e-12) << what;
}

TEST_F(PrometheusRw, PrometheusStoresWhatTheSummaryShows) {
    if (!PrometheusProcess::available()) {
        GTEST_SKIP() << PrometheusProcess::kBinary << " is missing (scripts/setup installs it)";
    }
    PrometheusProcess prom;
    ASSERT_TRUE(prom.ready()) << "Prometheus did not start on port " << prom.port();
    auto r = run({{"K6_PROMETHEUS_RW_SERVER_URL", prom.write_url()},
                  {"K6_PROMETHEUS_RW_PUSH_INTERVAL", "100ms"},
                  {"K6_PROMETHEUS_RW_TREND_STATS", "p(99),p(95),p(90),max,min,avg,med,count,sum"},
                  {"PROM_PORT", prom.port()}},
                 {"--summary-trend-stats", "avg,min,med,max,p(90),p(95),p(99)"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("output: Prometheus remote write (" + prom.write_url() + ")"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.err.find("level=error"), std::string::npos) << r.err;
    auto s = summary();
    EXPECT_EQ(metric(s, "pushed_during_test", "count"), 1) << "no push before the test ended";

    // Counters: k6_<name>_total, summed over their tag sets.
    for (const char* name : {"iterations", "ws_sessions", "ws_msgs_sent", "ws_msgs_received",
                             "data_sent", "data_received"}) {
        expect_close(prom.query_value(std::string("sum(k6_") + name + "_total)"),
                     metric(s, name, "count"), name);
    }
    EXPECT_EQ(prom.query_value("sum(k6_iterations_total)"), 4);

    // Rates: k6_<name>_rate per tag set; each check is its own series.
    const auto& checks = s.at("root_group").at("checks");
    for (const char* name : {"status is 101", "even iteration"}) {
        double passes = num(checks.at(name).at("passes"));
        double fails = num(checks.at(name).at("fails"));
        expect_close(prom.query_value(std::string("k6_checks_rate{check=\"") + name + "\"}"),
                     passes / (passes + fails), name);
    }
    EXPECT_EQ(prom.query_value("k6_checks_rate{check=\"even iteration\"}"), 0.5);

    // Trends: one gauge per stat, time in seconds; one tag set here, so one series each.
    const std::pair<const char*, const char*> stats[] = {
        {"p99", "p(99)"}, {"p95", "p(95)"}, {"p90", "p(90)"}, {"max", "max"},
        {"min", "min"},   {"avg", "avg"},   {"med", "med"}};
    for (const char* trend : {"iteration_duration", "ws_connecting", "ws_session_duration"}) {
        for (const auto& [suffix, field] : stats) {
            std::string series = std::string("k6_") + trend + "_" + suffix;
            expect_close(prom.query_value(series), metric(s, trend, field) / 1000, series);
        }
        // As k6: a time trend's count is divided by 1000 too.
        expect_close(prom.query_value(std::string("k6_") + trend + "_count"), 4.0 / 1000,
                     std::string(trend) + "_count");
    }
    expect_close(prom.query_value("k6_iteration_duration_sum"),
                 metric(s, "iteration_duration", "avg") * 4 / 1000, "iteration_duration_sum");
    // A trend of plain numbers keeps its values (the echo of "hello" is 5 long).
    EXPECT_EQ(prom.query_value("k6_echo_size_max"), 5);
    EXPECT_EQ(prom.query_value("k6_echo_size_count"), 4);
    // Gauges: k6_<name>, the last value.
    EXPECT_EQ(prom.query_value("k6_vus_max"), 1);
    // Tags become labels.
    auto series = prom.query("k6_ws_sessions_total");
    ASSERT_TRUE(series && series->is_array() && series->as_array().size() == 1);
    const auto& labels = series->as_array()[0].at("metric").as_object();
    EXPECT_EQ(labels.at("scenario").as_string(), "default");
    EXPECT_EQ(labels.at("url").as_string(), echo_.url());
}

TEST_F(PrometheusRw, NativeHistograms) {
    if (!PrometheusProcess::available()) {
        GTEST_SKIP() << PrometheusProcess::kBinary << " is missing (scripts/setup installs it)";
    }
    PrometheusProcess prom;
    ASSERT_TRUE(prom.ready()) << "Prometheus did not start on port " << prom.port();
    auto r = run({{"K6_PROMETHEUS_RW_SERVER_URL", prom.write_url()},
                  {"K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM", "true"}},
                 {"--quiet"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("level=error"), std::string::npos) << r.err;
    auto s = summary();
    expect_close(prom.query_value("histogram_count(k6_iteration_duration_seconds)"), 4,
                 "histogram_count");
    auto sum = prom.query_value("histogram_sum(k6_iteration_duration_seconds)");
    ASSERT_TRUE(sum.has_value());
    EXPECT_NEAR(*sum, metric(s, "iteration_duration", "avg") * 4 / 1000, 1e-9);
    EXPECT_EQ(prom.query_value("histogram_count(k6_echo_size)"), 4);
    EXPECT_EQ(prom.query_value("histogram_sum(k6_echo_size)"), 20);
    // All four echo sizes (5) are in the bucket (4.76, 5.19]: its upper quantile is its bound.
    auto q = prom.query_value("histogram_quantile(1, k6_echo_size)");
    ASSERT_TRUE(q.has_value());
    EXPECT_NEAR(*q, std::pow(2.0, 19.0 / 8), 1e-9);
}

// A port that refuses connections (bound, never listening).
struct RefusingPort {
    RefusingPort() {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        port = std::to_string(bind_loopback(fd));
    }
    ~RefusingPort() { close(fd); }
    int fd = -1;
    std::string port;
};

TEST_F(PrometheusRw, RefusedEndpointIsLoggedAndTheTestCompletes) {
    RefusingPort refusing;
    std::string url = "http://127.0.0.1:" + refusing.port + "/api/v1/write";
    auto r =
        run({{"K6_PROMETHEUS_RW_SERVER_URL", url}, {"K6_PROMETHEUS_RW_PUSH_INTERVAL", "100ms"}},
            {"--quiet"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto s = summary();
    EXPECT_EQ(metric(s, "iterations", "count"), 4);
    EXPECT_EQ(metric(s, "ws_sessions", "count"), 4);
    EXPECT_EQ(metric(s, "ws_msgs_received", "count"), 4);
    EXPECT_EQ(num(s.at("root_group").at("checks").at("even iteration").at("passes")), 2);
    // k6's line, at least once (the final push fails too).
    EXPECT_NE(r.err.find("level=error msg=\"Failed to send the time series data to the "
                         "endpoint\" error=\"HTTP POST request failed: Post \\\"" +
                         url + "\\\": dial tcp 127.0.0.1:" + refusing.port +
                         ": connect: connection refused\" output=\"Prometheus remote write\""),
              std::string::npos)
        << r.err;
}

// An endpoint that accepts the connection and never answers: the final push gives up after
// k6's 5 s request timeout, the error is logged and the run ends normally.
TEST_F(PrometheusRw, UnansweringEndpointTimesOut) {
    RefusingPort silent;
    ASSERT_EQ(listen(silent.fd, 16), 0); // the kernel accepts; nobody reads
    std::string url = "http://127.0.0.1:" + silent.port + "/api/v1/write";
    auto r = run({{"K6_PROMETHEUS_RW_SERVER_URL", url}, {"K6_PROMETHEUS_RW_PUSH_INTERVAL", "1h"}},
                 {"--quiet", "-i", "1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(metric(summary(), "iterations", "count"), 1);
    EXPECT_NE(r.err.find("error=\"HTTP POST request failed: Post \\\"" + url +
                         "\\\": context deadline exceeded (Client.Timeout exceeded while "
                         "awaiting headers)\""),
              std::string::npos)
        << r.err;
}

TEST_F(PrometheusRw, InvalidConfigurationFailsBeforeTheTest) {
    auto r = run({{"K6_PROMETHEUS_RW_TREND_STATS", "p(95),p99"}}, {"--quiet"});
    EXPECT_EQ(r.exit_code, 255) << r.err; // as k6: createOutputs' error has no exit code
    EXPECT_NE(r.err.find("could not create the 'experimental-prometheus-rw' output: invalid "
                         "trend stat 'p99', unknown format"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/summary.json"));
}

} // namespace
} // namespace volley::test
