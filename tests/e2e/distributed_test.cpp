// A distributed test on 127.0.0.1: execution segments run whole and in three parts, and the
// Grafana k6-operator's exact sequence of calls (pkg/resources/jobs/{initializer,runner,
// starter}.go, internal/controller/k6_start.go and k6_stopped_jobs.go), with volley answering as
// `k6` through a symlink as it does in the runner image.

#include <csignal>
#include <filesystem>
#include <future>
#include <regex>
#include <set>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "process.hpp"

namespace volley::test {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr const char* kSequence = "0,1/3,2/3,1";
constexpr const char* kSegments[] = {"0:1/3", "1/3:2/3", "2/3:1"};

// Three scenarios whose numbers do not depend on timing; every iteration logs its test-wide
// numbers so that the parts can be checked to cover the whole test exactly once.
constexpr const char* kScript = R"(
    import exec from 'k6/execution';
    import { check } from 'k6';
    import { Counter } from 'k6/metrics';
    const units = new Counter('units');
    export const options = {
        scenarios: {
            shared: { executor: 'shared-iterations', vus: 5, iterations: 40 },
            pervu: { executor: 'per-vu-iterations', vus: 4, iterations: 3 },
            arrivals: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s',
                        duration: '1s', preAllocatedVUs: 3, maxVUs: 3 },
        },
        thresholds: { checks: ['rate==1'] },
    };
    export default function () {
        const s = exec.scenario;
        console.log(`it ${s.name} ${s.iterationInTest} vu ${exec.vu.idInTest}`);
        units.add(2);
        check(s.iterationInTest, { counted: (n) => n >= 0 });
    }
)";

struct HttpResult {
    int code = -1; // -1: no connection
    std::string body;
};

HttpResult http_call(int port, http::verb method, const std::string& body = {}) {
    try {
        asio::io_context io;
        tcp::socket socket(io);
        socket.connect(
            tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
        http::request<http::string_body> req(method, "/v1/status", 11);
        req.set(http::field::host, "127.0.0.1");
        if (!body.empty()) {
            req.set(http::field::content_type, "application/json");
            req.body() = body;
        }
        req.prepare_payload();
        http::write(socket, req);
        boost::beast::flat_buffer buffer;
        http::response<http::string_body> res;
        http::read(socket, buffer, res);
        return {static_cast<int>(res.result_int()), res.body()};
    } catch (const boost::system::system_error&) {
        return {};
    }
}

json::object summary_metrics(const std::string& path) {
    return json::parse(read_text(path)).at("metrics").as_object();
}

double count_of(const json::object& metrics, const char* name) {
    return metrics.at(name).at("count").to_number<double>();
}

// "it <scenario> <iterationInTest> vu <idInTest>" lines of a run's log.
struct Seen {
    std::map<std::string, std::multiset<int>> iterations;
    std::multiset<int> vus; // each part's VU ids once
};

void collect(const std::string& log, Seen& seen) {
    static const std::regex kLine(R"(it (\w+) (\d+) vu (\d+))");
    std::set<int> vus;
    for (std::sregex_iterator it(log.begin(), log.end(), kLine), end; it != end; ++it) {
        seen.iterations[(*it)[1]].insert(std::stoi((*it)[2]));
        vus.insert(std::stoi((*it)[3]));
    }
    seen.vus.insert(vus.begin(), vus.end());
}

// The parts numbered the iterations as k6 does: shared-iterations and arrival-rate ones cover
// the whole test's numbers exactly once; per-vu-iterations follow the VUs' stripe (k6 numbers
// 4 VUs x 3 in thirds as 0,3,..,15 / 1,4,7 / 2,5,8), distinct but not contiguous. VU ids in
// the test never collide.
void expect_parts_cover(const Seen& parts, const Seen& whole) {
    EXPECT_EQ(parts.iterations.at("shared"), whole.iterations.at("shared"));
    EXPECT_EQ(parts.iterations.at("arrivals"), whole.iterations.at("arrivals"));
    EXPECT_EQ(parts.iterations.at("shared").size(), 40U);
    const auto& pervu = parts.iterations.at("pervu");
    EXPECT_EQ(pervu, (std::multiset<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15}));
    EXPECT_EQ(std::set<int>(parts.vus.begin(), parts.vus.end()).size(), parts.vus.size());
}

class Distributed : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = make_temp_dir("volley-dist");
        script_ = dir_ + "/test.js";
        write_file(script_, kScript);
        k6_ = dir_ + "/bin/k6";
        std::filesystem::create_directories(dir_ + "/bin");
        std::filesystem::create_symlink(volley_binary(), k6_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    // The whole test in one process: the reference the parts must add up to.
    Seen run_whole(json::object& metrics) {
        auto r =
            run_process({k6_, "run", "--quiet", script_, "--summary-export", dir_ + "/whole.json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        metrics = summary_metrics(dir_ + "/whole.json");
        Seen seen;
        collect(r.err, seen);
        return seen;
    }

    std::string dir_;
    std::string script_;
    std::string k6_;
};

TEST_F(Distributed, ThreeSegmentsAddUpToTheWholeTest) {
    json::object whole;
    Seen expected = run_whole(whole);
    Seen seen;
    double iterations = 0;
    double units = 0;
    double checks = 0;
    for (int i = 0; i < 3; ++i) {
        std::string out = dir_ + "/part" + std::to_string(i) + ".json";
        auto r = run_process({k6_, "run", "--quiet", "--execution-segment", kSegments[i],
                              "--execution-segment-sequence", kSequence, script_,
                              "--summary-export", out});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        auto part = summary_metrics(out);
        iterations += count_of(part, "iterations");
        units += count_of(part, "units");
        checks += part.at("checks").at("passes").to_number<double>();
        collect(r.err, seen);
    }
    EXPECT_EQ(iterations, count_of(whole, "iterations"));
    EXPECT_EQ(units, count_of(whole, "units"));
    EXPECT_EQ(checks, whole.at("checks").at("passes").to_number<double>());
    expect_parts_cover(seen, expected);
}

// deploy/volley-indexed-run: the N pods of an Indexed Job run the N segments of the test.
TEST_F(Distributed, IndexedJobPodsAddUpToTheWholeTest) {
    json::object whole;
    Seen expected = run_whole(whole);
    Seen seen;
    double iterations = 0;
    for (int i = 0; i < 3; ++i) {
        std::string out = dir_ + "/pod" + std::to_string(i) + ".json";
        ProcessOptions o;
        o.env = {
            {"JOB_COMPLETION_INDEX", std::to_string(i)}, {"VOLLEY_PARALLELISM", "3"}, {"K6", k6_}};
        auto r = run_process({std::string(VOLLEY_SOURCE_DIR) + "/deploy/volley-indexed-run",
                              "--quiet", "--summary-export", out, script_},
                             o);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        iterations += count_of(summary_metrics(out), "iterations");
        collect(r.err, seen);
    }
    EXPECT_EQ(iterations, count_of(whole, "iterations"));
    expect_parts_cover(seen, expected);

    ProcessOptions past;
    past.env = {{"JOB_COMPLETION_INDEX", "3"}, {"VOLLEY_PARALLELISM", "3"}, {"K6", k6_}};
    auto r =
        run_process({std::string(VOLLEY_SOURCE_DIR) + "/deploy/volley-indexed-run", script_}, past);
    EXPECT_EQ(r.exit_code, 104);
    EXPECT_NE(r.err.find("is not below VOLLEY_PARALLELISM 3"), std::string::npos) << r.err;
}

TEST_F(Distributed, SegmentErrorsAsK6) {
    auto bad = run_process({k6_, "run", "--execution-segment", "1a5", script_});
    EXPECT_EQ(bad.exit_code, 255);
    EXPECT_NE(bad.err.find("'1a5' is not a valid percentage, decimal, fraction or interval value"),
              std::string::npos)
        << bad.err;
    auto absent = run_process({k6_, "run", "--execution-segment", "1/4",
                               "--execution-segment-sequence", kSequence, script_});
    EXPECT_EQ(absent.exit_code, 104);
    EXPECT_NE(absent.err.find("provided segment 0:1/4 can't be found in sequence 0,1/3,2/3,1"),
              std::string::npos)
        << absent.err;
}

// The operator's sequence: the initializer archives and inspects, three runners start paused
// with their segment, the starter PATCHes each (as its curl does), the controller polls
// GET /v1/status until every runner has stopped running or gone.
TEST_F(Distributed, K6OperatorSequence) {
    json::object whole;
    Seen expected = run_whole(whole);

    std::string archive = dir_ + "/test.js.archived.tar";
    auto archived = run_process({k6_, "archive", script_, "-O", archive});
    ASSERT_EQ(archived.exit_code, 0) << archived.err;
    auto inspected = run_process({k6_, "inspect", "--execution-requirements", archive});
    ASSERT_EQ(inspected.exit_code, 0) << inspected.err;
    auto requirements = json::parse(inspected.out).as_object();
    EXPECT_EQ(requirements.at("maxVUs").to_number<int>(), 12);
    EXPECT_EQ(requirements.at("totalDuration").as_string(), "10m30s");

    std::vector<int> ports;
    std::vector<std::future<ProcessResult>> runners;
    for (int i = 0; i < 3; ++i) {
        ports.push_back(free_loopback_port());
        std::vector<std::string> argv = {k6_,
                                         "run",
                                         "--quiet",
                                         std::string("--execution-segment=") + kSegments[i],
                                         std::string("--execution-segment-sequence=") + kSequence,
                                         archive,
                                         "--address=127.0.0.1:" + std::to_string(ports.back()),
                                         "--paused",
                                         "--tag",
                                         "instance_id=" + std::to_string(i + 1),
                                         "--tag",
                                         "testrun_name=k6-sample",
                                         "--summary-export",
                                         dir_ + "/runner" + std::to_string(i) + ".json"};
        runners.push_back(std::async(std::launch::async, [argv] { return run_process(argv); }));
    }
    // k6_start.go: every runner's service answers GET /v1/status below 400 before the start.
    for (int port : ports) {
        auto deadline = std::chrono::steady_clock::now() + 30s;
        HttpResult r;
        while ((r = http_call(port, http::verb::get)).code < 0 &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(50ms);
        }
        ASSERT_EQ(r.code, 200) << "runner on " << port << " never answered";
        auto attrs = json::parse(r.body).at("data").at("attributes");
        EXPECT_TRUE(attrs.at("paused").as_bool());
        EXPECT_FALSE(attrs.at("running").as_bool());
    }
    // The starter's curl: PATCH paused:false with the body the operator marshals.
    const std::string start =
        R"({"data":{"attributes":{"paused":false,"stopped":false},"id":"default","type":"status"}})";
    for (int port : ports) {
        auto r = http_call(port, http::verb::patch, start);
        EXPECT_EQ(r.code, 200) << r.body;
    }
    // k6_stopped_jobs.go: a runner is stopped once it no longer answers or says running:false.
    auto deadline = std::chrono::steady_clock::now() + 60s;
    std::size_t stopped = 0;
    while (stopped < ports.size() && std::chrono::steady_clock::now() < deadline) {
        stopped = 0;
        for (int port : ports) {
            auto r = http_call(port, http::verb::get);
            bool running = r.code >= 0 &&
                           json::parse(r.body).at("data").at("attributes").at("running").as_bool();
            stopped += running ? 0 : 1;
        }
        std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(stopped, ports.size());

    Seen seen;
    double iterations = 0;
    for (int i = 0; i < 3; ++i) {
        auto r = runners[static_cast<std::size_t>(i)].get();
        ASSERT_EQ(r.exit_code, 0) << r.err;
        collect(r.err, seen);
        iterations +=
            count_of(summary_metrics(dir_ + "/runner" + std::to_string(i) + ".json"), "iterations");
    }
    EXPECT_EQ(iterations, count_of(whole, "iterations"));
    expect_parts_cover(seen, expected);
}

// --linger keeps the API answering after the test until Ctrl-C, with the test's exit code;
// `stopped: true` ends a running test with k6's code 103.
TEST_F(Distributed, LingerAndStopFromTheApi) {
    int port = free_loopback_port();
    int pid = 0;
    auto lingering = std::async(std::launch::async, [&] {
        ProcessOptions o;
        o.on_start = [&](int p) { pid = p; };
        return run_process({k6_, "run", "--quiet", "--linger",
                            "--address=127.0.0.1:" + std::to_string(port), script_},
                           o);
    });
    auto deadline = std::chrono::steady_clock::now() + 30s;
    int status = 0;
    while (status != 9 && std::chrono::steady_clock::now() < deadline) {
        auto r = http_call(port, http::verb::get);
        if (r.code == 200) {
            status = json::parse(r.body).at("data").at("attributes").at("status").to_number<int>();
        }
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(status, 9); // k6's ExecutionStatusEnded, and still answering
    ASSERT_GT(pid, 0);
    kill(pid, SIGINT);
    auto done = lingering.get();
    EXPECT_EQ(done.exit_code, 0) << done.err;

    std::string slow = dir_ + "/slow.js";
    write_file(slow, "import { sleep } from 'k6';\n"
                     "export const options = { vus: 1, duration: '30s' };\n"
                     "export default function () { sleep(0.1); }\n");
    int port2 = free_loopback_port();
    auto running = std::async(std::launch::async, [&] {
        return run_process(
            {k6_, "run", "--quiet", "--address=127.0.0.1:" + std::to_string(port2), slow});
    });
    HttpResult r;
    deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
        r = http_call(port2, http::verb::get);
        if (r.code == 200 &&
            json::parse(r.body).at("data").at("attributes").at("running").as_bool()) {
            break;
        }
        std::this_thread::sleep_for(50ms);
    }
    r = http_call(port2, http::verb::patch, R"({"data":{"attributes":{"stopped":true}}})");
    EXPECT_EQ(r.code, 200) << r.body;
    auto stopped = running.get();
    EXPECT_EQ(stopped.exit_code, 103);
    EXPECT_NE(stopped.err.find("test run stopped from REST API"), std::string::npos) << stopped.err;
}

TEST_F(Distributed, AddressInUseIsK6sExitCode) {
    asio::io_context io;
    tcp::acceptor taken(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    auto r = run_process({k6_, "run", "--quiet",
                          "--address=127.0.0.1:" + std::to_string(taken.local_endpoint().port()),
                          script_});
    EXPECT_EQ(r.exit_code, 106);
    EXPECT_NE(r.err.find("bind: address already in use"), std::string::npos) << r.err;
    auto missing = run_process({k6_, "run", "--quiet", "--address=nonsense", script_});
    EXPECT_EQ(missing.exit_code, 106);
    EXPECT_NE(missing.err.find("missing port in address"), std::string::npos) << missing.err;
}

} // namespace
} // namespace volley::test
