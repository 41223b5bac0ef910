// --insight from the command line (docs/insight.md): its Trends reach the summary and the
// export only when it is on (by flag, VOLLEY_INSIGHT or K6_INSIGHT); the default output stays
// k6's.

#include <filesystem>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "echo_process.hpp"
#include "process.hpp"

namespace volley::test {
namespace {

namespace json = boost::json;

class InsightRun : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = make_temp_dir("volley-insight");
        write_file(dir_ + "/s.js", R"(
            import ws from 'k6/ws';
            export default function () {
                ws.connect(__ENV.URL, {}, (s) => s.on('open', () => s.close()));
            }
        )");
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    ProcessResult run(std::vector<std::string> flags, std::map<std::string, std::string> env) {
        std::vector<std::string> argv = {volley_binary(),
                                         "run",
                                         "--iterations",
                                         "3",
                                         "-e",
                                         "URL=" + echo_.url(),
                                         "--summary-export",
                                         dir_ + "/summary.json"};
        argv.insert(argv.end(), flags.begin(), flags.end());
        argv.push_back(dir_ + "/s.js");
        ProcessOptions opts;
        opts.env = std::move(env);
        return run_process(argv, opts);
    }
    json::object exported_metrics() {
        return json::parse(read_text(dir_ + "/summary.json")).at("metrics").as_object();
    }

    EchoProcess echo_;
    std::string dir_;
};

TEST_F(InsightRun, FlagAddsTheConnectPhases) {
    auto r = run({"--insight"}, {});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto m = exported_metrics();
    for (const char* name : {"ws_dns_lookup", "ws_tcp_connecting", "ws_upgrading"}) {
        ASSERT_TRUE(m.contains(name)) << name;
        EXPECT_GE(m.at(name).at("max").to_number<double>(), 0) << name;
        EXPECT_NE(r.out.find(std::string(name) + "..."), std::string::npos) << r.out;
    }
    EXPECT_FALSE(m.contains("ws_tls_handshaking")); // ws://: no TLS phase
}

TEST_F(InsightRun, EnvironmentTurnsItOn) {
    for (const char* name : {"VOLLEY_INSIGHT", "K6_INSIGHT"}) {
        auto r = run({}, {{name, "true"}});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_TRUE(exported_metrics().contains("ws_upgrading")) << name;
    }
}

TEST_F(InsightRun, OffByDefault) {
    auto r = run({}, {{"VOLLEY_INSIGHT", "0"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto m = exported_metrics();
    EXPECT_TRUE(m.contains("ws_connecting"));
    for (const char* name :
         {"ws_dns_lookup", "ws_tcp_connecting", "ws_tls_handshaking", "ws_upgrading"}) {
        EXPECT_FALSE(m.contains(name)) << name;
        EXPECT_EQ(r.out.find(name), std::string::npos) << r.out;
    }
}

// ws_errors by code in thresholds: a refused port fails the threshold on its code (exit 99,
// as any crossed threshold) and leaves one on another code passing.
TEST_F(InsightRun, ErrorCodesWorkInThresholds) {
    write_file(dir_ + "/s.js", R"(
        import ws from 'k6/ws';
        export const options = { thresholds: {
            'ws_errors{error_code:1212}': ['count<1'],
            'ws_errors{error_code:1850}': ['count<1'],
        } };
        export default function () { ws.connect(__ENV.URL, {}, () => {}); }
    )");
    std::vector<std::string> argv = {volley_binary(),
                                     "run",
                                     "--insight",
                                     "--iterations",
                                     "2",
                                     "-e",
                                     "URL=ws://127.0.0.1:" + std::to_string(free_loopback_port()) +
                                         "/",
                                     "--summary-export",
                                     dir_ + "/summary.json",
                                     dir_ + "/s.js"};
    auto r = run_process(argv, {});
    EXPECT_EQ(r.exit_code, 99) << r.err;
    auto m = exported_metrics();
    EXPECT_EQ(m.at("ws_errors").at("count").to_number<double>(), 2);
    EXPECT_EQ(m.at("ws_errors{error_code:1212}").at("thresholds").at("count<1").as_bool(), true);
    EXPECT_EQ(m.at("ws_errors{error_code:1850}").at("thresholds").at("count<1").as_bool(), false);
    EXPECT_NE(r.out.find("✗ 'count<1' count=2"), std::string::npos) << r.out;
}

// The saturation line (always on): a VU burning CPU on the only worker for 2.5 s makes it; a
// test that sleeps does not. With --insight the ticks are metrics.
TEST_F(InsightRun, SaturatedWorkerIsReportedAtTheEndOfTheSummary) {
    write_file(dir_ + "/burn.js", R"(
        export default function () { const end = Date.now() + 2500; while (Date.now() < end) {} }
    )");
    ProcessOptions opts;
    opts.env = {{"VOLLEY_WORKERS", "1"}};
    auto r = run_process({volley_binary(), "run", "--insight", "--iterations", "1",
                          "--summary-export", dir_ + "/summary.json", dir_ + "/burn.js"},
                         opts);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto at = r.out.find("\u26a0 volley was saturated for ");
    ASSERT_NE(at, std::string::npos) << r.out;
    EXPECT_GT(at, r.out.find("TOTAL RESULTS")); // the end of the summary
    EXPECT_NE(r.out.find("worker 1 of 1 (CPU up to ", at), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("; the server's figures in that time are understated\n", at),
              std::string::npos);
    auto m = exported_metrics();
    // The loop blocked the worker's timer for 2.5 s; its CPU share depends on what else the
    // machine runs (other tests share the cores), so only its presence is checked.
    EXPECT_GT(m.at("generator_cpu").at("max").to_number<double>(), 0);
    EXPECT_GE(m.at("generator_lag").at("max").to_number<double>(), 1000);

    // Without a text summary, the same sentence is a warning.
    auto quiet_summary = run_process(
        {volley_binary(), "run", "--no-summary", "--iterations", "1", dir_ + "/burn.js"}, opts);
    ASSERT_EQ(quiet_summary.exit_code, 0) << quiet_summary.err;
    EXPECT_NE(quiet_summary.err.find("level=warning msg=\"volley was saturated for "),
              std::string::npos)
        << quiet_summary.err;
}

TEST_F(InsightRun, IdleRunHasNoSaturationLine) {
    write_file(dir_ + "/idle.js", R"(
        import { sleep } from 'k6';
        export default function () { sleep(0.2); }
    )");
    auto r = run_process({volley_binary(), "run", "--vus", "2", "--duration", "3s",
                          "--summary-export", dir_ + "/summary.json", dir_ + "/idle.js"},
                         {});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find("saturated"), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find("saturated"), std::string::npos) << r.err;
    EXPECT_FALSE(exported_metrics().contains("generator_cpu")); // only with --insight
}

// --ws-debug from the command line: lines on stderr, or in --ws-debug-file; usage errors exit
// 255; without it, no frame line.
TEST_F(InsightRun, WsDebugFlags) {
    auto plain = run({}, {});
    ASSERT_EQ(plain.exit_code, 0) << plain.err;
    EXPECT_EQ(plain.err.find("ws-debug"), std::string::npos) << plain.err;

    auto on = run({"--ws-debug"}, {});
    ASSERT_EQ(on.exit_code, 0) << on.err;
    EXPECT_NE(on.err.find("msg=\"ws frame\" source=ws-debug vu=1 iter=2 socket=3 dir=sent "
                          "opcode=close fin=true rsv1=false masked=true len=2"),
              std::string::npos)
        << on.err;

    auto file = run(
        {"--ws-debug=full", "--ws-debug-vus", "1", "--ws-debug-file", dir_ + "/frames.log"}, {});
    ASSERT_EQ(file.exit_code, 0) << file.err;
    EXPECT_EQ(file.err.find("ws-debug"), std::string::npos) << file.err;
    std::string frames = read_text(dir_ + "/frames.log");
    EXPECT_NE(frames.find("opcode=close fin=true rsv1=false masked=true len=2 payload_hex=03e9"),
              std::string::npos)
        << frames;

    // --log-format raw would keep only the message: a frame's line keeps its fields.
    auto raw = run({"--ws-debug", "--log-format", "raw"}, {});
    ASSERT_EQ(raw.exit_code, 0) << raw.err;
    EXPECT_NE(raw.err.find("source=ws-debug vu=1 iter=0 socket=1 dir=sent opcode=close"),
              std::string::npos)
        << raw.err;

    for (const std::vector<std::string>& bad :
         {std::vector<std::string>{"--ws-debug=all"},
          {"--ws-debug-vus", "1"},
          {"--ws-debug", "--ws-debug-vus", "0"},
          {"--ws-debug", "--ws-debug-file", dir_ + "/no/such/dir/x"}}) {
        auto r = run(bad, {});
        EXPECT_EQ(r.exit_code, 255) << bad[0] << r.err;
        EXPECT_NE(r.err.find("level=error"), std::string::npos) << r.err;
    }
}

TEST_F(InsightRun, BadEnvironmentValueIsAUserError) {
    auto r = run({}, {{"VOLLEY_INSIGHT", "maybe"}});
    EXPECT_EQ(r.exit_code, 104) << r.err;
    EXPECT_NE(r.err.find("invalid VOLLEY_INSIGHT 'maybe'"), std::string::npos) << r.err;
}

} // namespace
} // namespace volley::test
