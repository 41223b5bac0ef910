// End-to-end: several scenarios at once against the built-in echo server (each scenario's
// iterations happen, tagged with its name, and the test ends on time), and the live display on
// stdout (banner, execution description, progress lines) with and without --quiet.

#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <sstream>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "echo_process.hpp"
#include "process.hpp"

namespace volley::test {
namespace {

namespace json = boost::json;

// Three executors at once: ramping-vus holding sessions open, constant-arrival-rate opening
// short ones, per-vu-iterations recording exec.scenario.progress.
constexpr const char* kScript = R"(
import ws from 'k6/ws';
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { Trend } from 'k6/metrics';

const progress = new Trend('fixed_progress');
const url = __ENV.WS_URL;

export const options = {
  scenarios: {
    holders: {
      executor: 'ramping-vus', exec: 'hold', startVUs: 0, gracefulRampDown: '1s',
      gracefulStop: '1s',
      stages: [{ duration: '1s', target: 4 }, { duration: '1s', target: 4 },
               { duration: '1s', target: 0 }],
    },
    arrivals: {
      executor: 'constant-arrival-rate', exec: 'shortSession', rate: 20, timeUnit: '1s',
      duration: '3s', preAllocatedVUs: 5, maxVUs: 10, gracefulStop: '1s',
    },
    fixed: { executor: 'per-vu-iterations', exec: 'fixed', vus: 2, iterations: 3,
             maxDuration: '10s' },
  },
  thresholds: {
    'iterations{scenario:holders}': ['count>0'],
    'iterations{scenario:arrivals}': ['count>0'],
    'iterations{scenario:fixed}': ['count>0'],
  },
};

export function hold() {
  ws.connect(url, null, (socket) => {
    socket.on('open', () => {
      socket.setInterval(() => socket.send('tick'), 100);
      socket.setTimeout(() => socket.close(), 500);
    });
  });
}

export function shortSession() {
  const res = ws.connect(url, null, (socket) => {
    socket.on('open', () => socket.send('hi'));
    socket.on('message', () => socket.close());
  });
  check(res, { 'status is 101': (r) => r && r.status === 101 });
}

export function fixed() {
  progress.add(exec.scenario.progress);
  sleep(0.2);
}
)";

class Scenarios : public ::testing::Test {
protected:
    void SetUp() override { dir_ = make_temp_dir("volley-e2e-scenarios"); }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string script(const std::string& name, const std::string& text) {
        std::string path = dir_ + "/" + name;
        write_file(path, text);
        return path;
    }

    std::string dir_;
};

double number(const json::value& v, std::initializer_list<const char*> path) {
    const json::value* cur = &v;
    for (const char* k : path) {
        cur = &cur->as_object().at(k);
    }
    return cur->to_number<double>();
}

// `iterations` points in a --out json file, by their scenario tag.
std::map<std::string, int> iterations_by_scenario(const std::string& text) {
    std::map<std::string, int> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        auto v = json::parse(line).as_object();
        if (v.at("type") != "Point" || v.at("metric") != "iterations") {
            continue;
        }
        const auto& tags = v.at("data").at("tags").as_object();
        ++out[tags.contains("scenario") ? std::string(tags.at("scenario").as_string()) : ""];
    }
    return out;
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
        ++n;
    }
    return n;
}

TEST_F(Scenarios, ThreeExecutorsAgainstTheEchoServerEndOnTime) {
    EchoProcess echo;
    std::string path = script("scenarios.js", kScript);
    auto started = std::chrono::steady_clock::now();
    auto r =
        run_process({volley_binary(), "run", "--quiet", "--summary-export", dir_ + "/summary.json",
                     "--out", "json=" + dir_ + "/out.json", "-e", "WS_URL=" + echo.url(), path});
    double wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    ASSERT_EQ(r.exit_code, 0) << r.err;

    // Scenarios last 3 s; the slowest iteration then has at most gracefulStop (1 s). The bound
    // leaves room for init and a loaded machine but fails a test that waits for the 10 s
    // maxDuration or the default 30 s gracefulStop.
    EXPECT_GE(wall_s, 3.0);
    EXPECT_LT(wall_s, 9.0);

    auto s = json::parse(read_text(dir_ + "/summary.json"));
    double holders = number(s, {"metrics", "iterations{scenario:holders}", "count"});
    double arrivals = number(s, {"metrics", "iterations{scenario:arrivals}", "count"});
    double fixed = number(s, {"metrics", "iterations{scenario:fixed}", "count"});
    EXPECT_GE(holders, 4);   // 4 VUs at the plateau, 0.5 s sessions
    EXPECT_GE(arrivals, 50); // 60 scheduled; a few may be dropped on a loaded machine
    EXPECT_LE(arrivals, 60);
    EXPECT_EQ(fixed, 6);
    EXPECT_EQ(number(s, {"metrics", "checks", "fails"}), 0);
    EXPECT_GE(number(s, {"metrics", "ws_sessions", "count"}), holders + arrivals);
    // exec.scenario.progress: 0 when both VUs start, below 1 at the last iteration's start.
    EXPECT_EQ(number(s, {"metrics", "fixed_progress", "min"}), 0);
    EXPECT_GE(number(s, {"metrics", "fixed_progress", "max"}), 0.5);
    EXPECT_LT(number(s, {"metrics", "fixed_progress", "max"}), 1);

    auto points = iterations_by_scenario(read_text(dir_ + "/out.json"));
    EXPECT_EQ(points["holders"], holders);
    EXPECT_EQ(points["arrivals"], arrivals);
    EXPECT_EQ(points["fixed"], 6);
    EXPECT_EQ(points.count(""), 0u) << "every iteration carries its scenario tag";
}

constexpr const char* kSlowScript = R"(
import { sleep } from 'k6';
export default function () { sleep(2.2); }
)";

TEST_F(Scenarios, ProgressLinesOnStdoutUnlessQuiet) {
    std::string path = script("slow.js", kSlowScript);
    auto loud = run_process({volley_binary(), "run", path});
    ASSERT_EQ(loud.exit_code, 0) << loud.err;
    const std::string& out = loud.out;
    EXPECT_NE(out.find("execution: local"), std::string::npos) << out;
    EXPECT_NE(out.find("script: " + path), std::string::npos) << out;
    EXPECT_NE(out.find("output: -"), std::string::npos) << out;
    EXPECT_NE(out.find("scenarios: (100.00%) 1 scenario, 1 max VUs, 10m30s max duration "
                       "(incl. graceful stop):"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("* default: 1 iterations for each of 1 VUs (maxDuration: 10m0s, "
                       "gracefulStop: 30s)"),
              std::string::npos)
        << out;
    // Not a TTY: plain lines about once a second (two during the 2.2 s iteration), then the
    // final state, all before the summary; no cursor movement.
    EXPECT_GE(count(out, "running ("), 3u) << out;
    EXPECT_NE(out.find("1 complete and 0 interrupted iterations"), std::string::npos) << out;
    EXPECT_NE(out.find("default ✓ [========================================] 1 VUs  1/1 iters"),
              std::string::npos)
        << out;
    EXPECT_EQ(out.find("\x1b["), std::string::npos) << out;
    auto summary = out.find("TOTAL RESULTS");
    ASSERT_NE(summary, std::string::npos) << out;
    EXPECT_LT(out.rfind("running ("), summary);
    EXPECT_EQ(loud.err.find("running ("), std::string::npos) << "progress goes to stdout";

    auto quiet = run_process({volley_binary(), "run", "--quiet", path});
    ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
    EXPECT_EQ(quiet.out.find("execution: local"), std::string::npos) << quiet.out;
    EXPECT_EQ(quiet.out.find("scenarios:"), std::string::npos) << quiet.out;
    EXPECT_EQ(quiet.out.find("running ("), std::string::npos) << quiet.out;
    EXPECT_NE(quiet.out.find("TOTAL RESULTS"), std::string::npos) << quiet.out;
}

} // namespace
} // namespace volley::test
