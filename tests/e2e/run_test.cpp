// End-to-end: the volley binary as a user runs it; assertions on the exit code, stderr and the
// --summary-export JSON (style.md rule 26).

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "echo_process.hpp"
#include "process.hpp"

namespace volley::test {
namespace {

namespace json = boost::json;

class Run : public ::testing::Test {
protected:
    void SetUp() override { dir_ = make_temp_dir("volley-e2e"); }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string script(const std::string& name, const std::string& text) {
        std::string path = dir_ + "/" + name;
        write_file(path, text);
        return path;
    }

    ProcessResult volley(std::vector<std::string> args, ProcessOptions opts = {}) {
        args.insert(args.begin(), volley_binary());
        if (opts.cwd.empty()) {
            opts.cwd = dir_;
        }
        return run_process(args, opts);
    }

    json::value export_json() { return json::parse(read_text(dir_ + "/summary.json")); }

    std::string dir_;
};

double number(const json::value& v, std::initializer_list<const char*> path) {
    const json::value* cur = &v;
    for (const char* k : path) {
        cur = &cur->as_object().at(k);
    }
    return cur->is_double() ? cur->as_double() : static_cast<double>(cur->to_number<double>());
}

TEST_F(Run, VolleyWorkersSetsTheWorkerThreadsAndRejectsBadValues) {
    auto path = script("it.js", "export default function () {}\n");
    ProcessOptions one;
    one.env["VOLLEY_WORKERS"] = "1";
    auto ok = volley({"run", "--quiet", "--vus", "3", "--iterations", "6", "--summary-export",
                      dir_ + "/summary.json", path},
                     one);
    ASSERT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_EQ(number(export_json(), {"metrics", "iterations", "count"}), 6);
    for (const char* bad : {"0", "two", "1x", "257", ""}) {
        ProcessOptions o;
        o.env["VOLLEY_WORKERS"] = bad;
        auto r = volley({"run", "--quiet", path}, o);
        EXPECT_EQ(r.exit_code, 104) << bad << ": " << r.err;
        EXPECT_NE(r.err.find("invalid VOLLEY_WORKERS"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("hint="), std::string::npos) << r.err;
    }
}

// VUs sharing a JS runtime (the default, 16) or each with its own give the same results; a bad
// value is refused like a bad VOLLEY_WORKERS.
TEST_F(Run, VolleyContextsPerRuntimeKeepsResultsAndRejectsBadValues) {
    auto path = script("ctx.js", R"(
import { check, sleep } from 'k6';
export default function () {
    const mine = 'vu' + __VU;
    sleep(0.01); // other VUs of the runtime run meanwhile
    check(mine, { 'own state': (m) => m === 'vu' + __VU });
}
)");
    for (const char* n : {"1", "3", "1000"}) {
        ProcessOptions o;
        o.env["VOLLEY_CONTEXTS_PER_RUNTIME"] = n;
        auto r = volley({"run", "--quiet", "--vus", "10", "--iterations", "40", "--summary-export",
                         dir_ + "/summary.json", path},
                        o);
        ASSERT_EQ(r.exit_code, 0) << n << ": " << r.err;
        EXPECT_EQ(number(export_json(), {"metrics", "checks", "passes"}), 40) << n;
    }
    for (const char* bad : {"0", "many", "1001"}) {
        ProcessOptions o;
        o.env["VOLLEY_CONTEXTS_PER_RUNTIME"] = bad;
        auto r = volley({"run", "--quiet", path}, o);
        EXPECT_EQ(r.exit_code, 104) << bad << ": " << r.err;
        EXPECT_NE(r.err.find("invalid VOLLEY_CONTEXTS_PER_RUNTIME"), std::string::npos) << r.err;
    }
}

// A scenario's env is added to __ENV for its iterations only; a scenario without env (here
// run later by the same VU) sees the plain __ENV again.
TEST_F(Run, ScenarioEnvIsSeenOnlyByItsScenario) {
    auto path = script("env.js", R"(
import { check } from 'k6';
export const options = { scenarios: {
  a: { executor: 'per-vu-iterations', vus: 1, iterations: 2, exec: 'a', env: { A: '1' } },
  b: { executor: 'per-vu-iterations', vus: 1, iterations: 2, exec: 'b', startTime: '300ms' },
}};
export function a() {
  check(__ENV, { 'a sees A': (e) => e.A === '1', 'a sees B': (e) => e.B === 'base' });
}
export function b() {
  check(__ENV, { 'b lacks A': (e) => e.A === undefined, 'b sees B': (e) => e.B === 'base' });
}
)");
    auto r = volley(
        {"run", "--quiet", "-e", "B=base", "--summary-export", dir_ + "/summary.json", path});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto s = export_json();
    EXPECT_EQ(number(s, {"metrics", "checks", "passes"}), 8);
    EXPECT_EQ(number(s, {"metrics", "checks", "fails"}), 0);
}

TEST_F(Run, BasicsExampleRunsAndExportsTheSummary) {
    auto r = volley({"run", "--quiet", "--summary-export", dir_ + "/summary.json",
                     std::string(VOLLEY_SOURCE_DIR) + "/examples/basics.js"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("TOTAL RESULTS"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("✓ message has the greeting"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("ran for"), std::string::npos) << r.err; // teardown got setup's data
    auto s = export_json();
    EXPECT_EQ(number(s, {"metrics", "iterations", "count"}), 6);
    EXPECT_EQ(number(s, {"metrics", "checks", "passes"}), 12);
    EXPECT_EQ(number(s, {"metrics", "checks", "fails"}), 0);
    EXPECT_EQ(number(s, {"metrics", "greetings", "count"}), 6);
    EXPECT_GE(number(s, {"metrics", "think_time", "min"}), 90);
}

TEST_F(Run, VusAndDurationFlags) {
    auto path = script("s.js", R"(
        import { sleep } from 'k6';
        export default function () { sleep(0.1); }
    )");
    auto r = volley({"run", "--quiet", "--vus", "3", "--duration", "1s", "--summary-export",
                     dir_ + "/summary.json", path});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto s = export_json();
    double iterations = number(s, {"metrics", "iterations", "count"});
    EXPECT_GE(iterations, 18);
    EXPECT_LE(iterations, 33);
    EXPECT_EQ(number(s, {"metrics", "vus_max", "value"}), 3);
}

TEST_F(Run, IterationsFlagAndEnv) {
    auto path = script("s.js", R"(
        import { Counter } from 'k6/metrics';
        const c = new Counter('env_ok');
        export default function () { if (__ENV.GREETING === 'hi there') c.add(1); }
    )");
    auto r = volley({"run", "--quiet", "-i", "5", "-u", "2", "-e", "GREETING=hi there",
                     "--summary-export", dir_ + "/summary.json", path});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(number(export_json(), {"metrics", "env_ok", "count"}), 5);
}

TEST_F(Run, ExceptionInDefaultFailsOnlyTheIteration) {
    auto path = script("s.js", "export default function () { throw new Error('boom'); }\n");
    auto r =
        volley({"run", "--quiet", "-i", "3", "--summary-export", dir_ + "/summary.json", path});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("Error: boom"), std::string::npos) << r.err;
    EXPECT_EQ(number(export_json(), {"metrics", "iterations", "count"}), 3);
}

TEST_F(Run, FailingThresholdExits99) {
    auto path = script("s.js", R"(
        import { check } from 'k6';
        export const options = { thresholds: { checks: ['rate==1'] } };
        export default function () { check(1, { 'is two': (v) => v === 2 }); }
    )");
    auto r = volley({"run", "--quiet", path});
    EXPECT_EQ(r.exit_code, 99) << r.err;
    EXPECT_NE(r.out.find("✗ 'rate==1'"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("thresholds on metrics 'checks' have been crossed"), std::string::npos)
        << r.err;
}

TEST_F(Run, NoSummary) {
    auto path = script("s.js", "export default function () {}\n");
    auto r = volley({"run", "--quiet", "--no-summary", path});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find("TOTAL RESULTS"), std::string::npos) << r.out;
}

TEST_F(Run, HandleSummaryReplacesTheTextSummary) {
    auto path = script("s.js", R"(
        export default function () {}
        export function handleSummary(data) {
            return { stdout: 'iterations=' + data.metrics.iterations.values.count + '\n',
                     'out.txt': 'written' };
        }
    )");
    auto r = volley({"run", "--quiet", "-i", "2", path});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("iterations=2"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("TOTAL RESULTS"), std::string::npos) << r.out;
    EXPECT_EQ(read_text(dir_ + "/out.txt"), "written");
}

TEST_F(Run, SetupExceptionExits107) {
    auto path = script("s.js", R"(
        export function setup() { throw new Error('setup failed'); }
        export default function () {}
    )");
    auto r = volley({"run", "--quiet", path});
    EXPECT_EQ(r.exit_code, 107) << r.err;
    EXPECT_NE(r.err.find("setup failed"), std::string::npos) << r.err;
}

// setup()'s value must be JSON data: k6 marshals it and fails (exit 255) on a function anywhere
// in it, where JSON.stringify would drop it silently; a cycle fails too. Plain data passes.
TEST_F(Run, SetupDataThatIsNotJsonExits255) {
    struct Case {
        const char* value;
        const char* error;
    };
    for (const Case& c : {Case{"function () {}", "json: unsupported type: func("},
                          Case{"{ list: [1, { f: () => 1 }] }", "json: unsupported type: func("},
                          Case{"(() => { const a = {}; a.self = a; return a; })()", "circular"},
                          // each object is looked at once, however many paths lead to it
                          Case{"(() => { const a = {}; for (let i = 0; i < 40; i++) a['k' + i] = a;"
                               " return a; })()",
                               "circular"}}) {
        auto path = script("s.js", std::string("export function setup() { return ") + c.value +
                                       "; }\nexport default function () {}\n");
        auto r = volley({"run", "--quiet", "--iterations", "1", path});
        EXPECT_EQ(r.exit_code, 255) << c.value << "\n" << r.err;
        EXPECT_NE(r.err.find("error marshaling setup() data to JSON: "), std::string::npos)
            << r.err;
        EXPECT_NE(r.err.find(c.error), std::string::npos) << r.err;
    }
    auto path = script("ok.js", R"(
        export function setup() { return { n: 1, s: 'x', list: [true, null] }; }
        export default function (d) { if (d.list[0] !== true) throw new Error('lost'); }
    )");
    auto r = volley({"run", "--quiet", "--iterations", "1", path});
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

// Sends `signals` to the child, one after each delay (counted from the start).
ProcessOptions signals_after(std::vector<std::pair<int, int>> signals_ms) {
    ProcessOptions opts;
    opts.timeout = std::chrono::seconds(20);
    opts.on_start = [signals_ms](int pid) {
        std::thread([pid, signals_ms] {
            auto start = std::chrono::steady_clock::now();
            for (auto [sig, at_ms] : signals_ms) {
                std::this_thread::sleep_until(start + std::chrono::milliseconds(at_ms));
                kill(pid, sig);
            }
        }).detach();
    };
    return opts;
}

class Signals : public Run, public ::testing::WithParamInterface<int> {};

// The first Ctrl-C (SIGINT) or SIGTERM stops the test gracefully: exit 105, and the summary and
// the export still carry what was measured. As k6: nothing is logged at the signal, one error
// naming it after the summary, and the exit stays 105 even with thresholds crossed.
TEST_P(Signals, StopGracefullyAndStillReport) {
    auto path = script("s.js", R"(
        import { sleep } from 'k6';
        export const options = { thresholds: { iterations: ['count<1'] } };
        export default function () { sleep(0.05); }
    )");
    auto r = volley({"run", "--quiet", "--vus", "2", "--duration", "30s", "--summary-export",
                     dir_ + "/summary.json", path},
                    signals_after({{GetParam(), 1500}}));
    EXPECT_EQ(r.exit_code, 105) << r.err;
    EXPECT_FALSE(r.timed_out);
    EXPECT_NE(r.out.find("TOTAL RESULTS"), std::string::npos) << r.out;
    EXPECT_GE(number(export_json(), {"metrics", "iterations", "count"}), 10);
    std::string name = GetParam() == SIGINT ? "interrupt" : "terminated";
    EXPECT_NE(r.err.find("level=error msg=\"test run was aborted because volley received a '" +
                         name + "' signal\""),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("level=info"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("thresholds on metrics"), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(IntAndTerm, Signals, ::testing::Values(SIGINT, SIGTERM),
                         [](const auto& p) {
                             return std::string(p.param == SIGINT ? "SIGINT" : "SIGTERM");
                         });

// SIGHUP is not one of the signals k6 v1.6.1 handles (SIGINT, SIGTERM): it ends k6 at once, by
// the signal, with no summary; volley is the same (run it under nohup to survive a hang-up).
TEST_F(Run, SighupEndsTheRunAsItEndsK6) {
    auto path = script("s.js", "import { sleep } from 'k6';\n"
                               "export default function () { sleep(0.05); }\n");
    auto r = volley({"run", "--quiet", "--vus", "1", "--duration", "30s", path},
                    signals_after({{SIGHUP, 1500}}));
    EXPECT_EQ(r.exit_code, 128 + SIGHUP) << r.err;
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.out.find("TOTAL RESULTS"), std::string::npos) << r.out;
}

// A second signal exits at once with 105, even while teardown() would take a minute.
TEST_F(Run, SecondCtrlCExitsAtOnce) {
    auto path = script("s.js", R"(
        import { sleep } from 'k6';
        export default function () { sleep(0.05); }
        export function teardown() { sleep(60); }
    )");
    auto r = volley({"run", "--quiet", "--vus", "1", "--duration", "30s", path},
                    signals_after({{SIGINT, 1500}, {SIGINT, 3000}}));
    EXPECT_EQ(r.exit_code, 105) << r.err;
    EXPECT_FALSE(r.timed_out) << "the second Ctrl-C did not end the process";
    EXPECT_NE(r.err.find("Aborting volley in response to a second signal"), std::string::npos)
        << r.err;
}

// A second Ctrl-C while samples pour into --out json: the file still ends after a whole
// record (the exit waits for a write under way), and every line is JSON.
TEST_F(Run, SecondCtrlCLeavesOnlyWholeJsonRecords) {
    auto path = script("s.js", R"(
        import { sleep } from 'k6';
        import { Counter } from 'k6/metrics';
        const c = new Counter('busy');
        function burst() { for (let i = 0; i < 100; i++) { c.add(1, { i: 'tag' + i }); } }
        export default function () { burst(); sleep(0.002); }
        export function teardown() { while (true) { burst(); sleep(0.002); } }
    )");
    auto r = volley({"run", "--quiet", "--vus", "2", "--duration", "1s", "--out",
                     "json=" + dir_ + "/out.json", path},
                    signals_after({{SIGINT, 1500}, {SIGINT, 2500}}));
    EXPECT_EQ(r.exit_code, 105) << r.err;
    EXPECT_FALSE(r.timed_out);
    std::string text = read_text(dir_ + "/out.json");
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n') << "the file ends inside a record";
    std::size_t lines = 0;
    for (std::size_t at = 0; at < text.size();) {
        std::size_t nl = text.find('\n', at);
        ASSERT_NE(nl, std::string::npos);
        boost::system::error_code ec;
        json::parse(std::string_view(text).substr(at, nl - at), ec);
        ASSERT_FALSE(ec) << "line " << lines << " is not JSON";
        at = nl + 1;
        ++lines;
    }
    EXPECT_GT(lines, 1000u);
}

// A full disk under --out json: one error line as k6 logs it, the test goes on, the summary and
// the export are complete, the exit code is the test's.
TEST_F(Run, OutputOnAFullDiskIsLoggedOnceAndTheTestGoesOn) {
    auto path = script("s.js", "export default function () {}\n");
    auto r = volley({"run", "--quiet", "--iterations", "50", "--out", "json=/dev/full",
                     "--summary-export", dir_ + "/summary.json", path});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const std::string line = "msg=\"Sample couldn't be marshalled to JSON\" error=\"write "
                             "/dev/full: no space left on device\" filename=/dev/full output=json";
    auto first = r.err.find(line);
    EXPECT_NE(first, std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(line, first + 1), std::string::npos) << "logged more than once";
    EXPECT_NE(r.out.find("TOTAL RESULTS"), std::string::npos) << r.out;
    EXPECT_EQ(number(export_json(), {"metrics", "iterations", "count"}), 50);
}

// An output whose reader went away (a pipe closed early) is the same: EPIPE is logged once, no
// SIGPIPE ends the run, the summary export is complete. (k6 v1.6.1 hangs in this case.)
TEST_F(Run, OutputIntoAClosedPipeIsLoggedOnceAndTheTestGoesOn) {
    auto path = script("s.js", "import { sleep } from 'k6';\n"
                               "export default function () { sleep(0.005); }\n");
    std::string cmd = volley_binary() + " run --quiet --iterations 200 --out json=/dev/stdout " +
                      "--summary-export " + dir_ + "/summary.json " + path +
                      " | head -c 100 >/dev/null; exit ${PIPESTATUS[0]}";
    auto r = run_process({"/bin/bash", "-c", cmd});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const std::string line = "error=\"write /dev/stdout: broken pipe\" filename=/dev/stdout";
    auto first = r.err.find(line);
    EXPECT_NE(first, std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(line, first + 1), std::string::npos) << "logged more than once";
    EXPECT_EQ(number(export_json(), {"metrics", "iterations", "count"}), 200);
}

// --- bad input: one clear line, a hint, k6's exit code -------------------------------------

// stderr without the lines a sanitizer runtime adds (`==PID==WARNING: ...` under ASan).
std::string without_sanitizer_lines(const std::string& err) {
    std::string out;
    for (std::size_t at = 0; at < err.size();) {
        std::size_t nl = err.find('\n', at);
        std::size_t end = nl == std::string::npos ? err.size() : nl + 1;
        if (err.compare(at, 2, "==") != 0) {
            out.append(err, at, end - at);
        }
        at = end;
    }
    return out;
}

// Every error is one logfmt record on one line, as k6 logs it: a stack's lines escaped, a huge
// source line cut, a binary script's bytes escaped.
TEST_F(Run, ErrorsAreOnePrintableRecordOfBoundedLength) {
    std::string huge =
        "export default function () {} let x = " + std::string(10 << 20, '1') + " +;\n";
    std::string binary("\x7f"
                       "ELF\x02\x01\x01\0\0\0\x1b[31m\xff\xfe\n\x01\x02",
                       20);
    const std::pair<const char*, std::string> cases[] = {
        {"throw.js", "function f() { throw new Error('boom'); }\nf();\n"},
        {"huge.js", huge},
        {"binary.js", binary},
    };
    for (const auto& [name, text] : cases) {
        auto r = volley({"run", "--quiet", script(name, text)});
        EXPECT_EQ(r.exit_code, 107) << name << "\n" << r.err.substr(0, 2000);
        std::string err = without_sanitizer_lines(r.err);
        EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << name << err.substr(0, 2000);
        EXPECT_LT(err.size(), 10000u) << name;
        for (unsigned char ch : err) {
            EXPECT_TRUE(ch == '\n' || (ch >= 0x20 && ch != 0x7f)) << name << ": byte " << int(ch);
        }
    }
}

TEST_F(Run, SyntaxErrorShowsFileLineColumnAndSource) {
    auto path = script("bad.js", "export default function () {\n  let x = ;\n}\n");
    auto r = volley({"run", path});
    EXPECT_EQ(r.exit_code, 107);
    EXPECT_NE(r.err.find("SyntaxError"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("bad.js:2:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("let x = ;"), std::string::npos) << r.err;
}

TEST_F(Run, UnknownImport) {
    auto path = script("s.js", "import x from 'k6/nope';\nexport default function () {}\n");
    auto r = volley({"run", path});
    EXPECT_EQ(r.exit_code, 107);
    EXPECT_NE(r.err.find("unknown modules [\\\"k6/nope\\\"] were tried to be loaded"),
              std::string::npos)
        << r.err;
}

TEST_F(Run, DefaultExportThatIsNotAFunction) {
    auto path = script("s.js", "export default 5;\n");
    auto r = volley({"run", path});
    EXPECT_EQ(r.exit_code, 255) << r.err; // k6: a bundle without a function export
    EXPECT_NE(r.err.find("no exported functions in script"), std::string::npos) << r.err;
}

TEST_F(Run, MalformedEnvFlag) {
    auto path = script("s.js", "export default function () {}\n");
    auto r = volley({"run", "-e", "1BAD=x", path});
    EXPECT_EQ(r.exit_code, 104);
    EXPECT_NE(r.err.find("invalid environment variable name '1BAD'"), std::string::npos) << r.err;
}

TEST_F(Run, NegativeVus) {
    auto path = script("s.js", "export default function () {}\n");
    auto r = volley({"run", "--vus", "-1", "-d", "1s", path});
    EXPECT_EQ(r.exit_code, 104) << r.err;
    EXPECT_EQ(r.out.find("TOTAL RESULTS"), std::string::npos);
}

TEST_F(Run, UnknownFlag) {
    auto path = script("s.js", "export default function () {}\n");
    auto r = volley({"run", "--no-such-flag", path});
    EXPECT_EQ(r.exit_code, 255);
    EXPECT_NE(r.err.find("no-such-flag"), std::string::npos) << r.err;
}

TEST_F(Run, InvalidThresholdExpression) {
    auto path = script("s.js", R"(
        export const options = { thresholds: { iterations: ['p(101)<5'] } };
        export default function () {}
    )");
    auto r = volley({"run", path});
    EXPECT_EQ(r.exit_code, 104) << r.err;
}

// k6's loader errors: exit 255 (not 107, a script exception), one line each.
TEST_F(Run, MissingScriptIsK6sLoaderError) {
    auto r = volley({"run", "missing.js"});
    EXPECT_EQ(r.exit_code, 255) << r.err;
    EXPECT_NE(r.err.find(R"(The moduleSpecifier \"missing.js\" couldn't be found on local disk. )"
                         "Make sure that you've specified the right path to the file."),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("hint=\"check the script's path\""), std::string::npos) << r.err;
}

TEST_F(Run, DirectoryAsScriptIsK6sReadError) {
    auto r = volley({"run", dir_});
    EXPECT_EQ(r.exit_code, 255) << r.err;
    EXPECT_NE(r.err.find("msg=\"read " + dir_ + ": is a directory\""), std::string::npos) << r.err;
}

TEST_F(Run, UnwritableOutputFailsBeforeTheTest) {
    auto path = script("s.js", "export default function () {}\n");
    auto r = volley({"run", "--out", "json=/nonexistent-dir/out.json", path});
    EXPECT_EQ(r.exit_code, 255) << r.err; // k6: an output that cannot start has no exit code
    EXPECT_NE(r.err.find("nonexistent-dir"), std::string::npos) << r.err;
}

// The login-then-WebSocket example: an HTTP login whose session cookie and token open the
// WebSocket of `volley echo`'s /ws/auth.
TEST_F(Run, LoginThenWsExample) {
    EchoProcess echo;
    std::string base = echo.url().substr(5); // ws://HOST:PORT/ -> HOST:PORT
    base.pop_back();
    auto r =
        volley({"run", "--quiet", "--summary-export", dir_ + "/summary.json", "-e", "BASE=" + base,
                std::string(VOLLEY_SOURCE_DIR) + "/examples/login_then_ws.js"});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    auto s = export_json();
    EXPECT_EQ(number(s, {"metrics", "checks", "fails"}), 0);
    EXPECT_EQ(number(s, {"metrics", "checks", "passes"}), 30);
    EXPECT_EQ(number(s, {"metrics", "http_reqs", "count"}), 6);
    EXPECT_EQ(number(s, {"metrics", "ws_sessions", "count"}), 6);
    EXPECT_NE(r.out.find("HTTP"), std::string::npos) << r.out;
}

TEST_F(Run, WebsocketsRoomsExample) {
    EchoProcess echo;
    std::string base = echo.url();
    base.pop_back(); // ws://HOST:PORT/ -> ws://HOST:PORT
    auto r = volley({"run", "--quiet", "--summary-export", dir_ + "/summary.json", "-e",
                     "BASE=" + base, "-e", "ROOMS=20",
                     std::string(VOLLEY_SOURCE_DIR) + "/examples/websockets_rooms.js"});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    auto s = export_json();
    EXPECT_EQ(number(s, {"metrics", "checks", "fails"}), 0);
    EXPECT_EQ(number(s, {"metrics", "checks", "passes"}), 160); // 4 iterations x 20 rooms x 2
    EXPECT_EQ(number(s, {"metrics", "ws_sessions", "count"}), 80);
    EXPECT_EQ(number(s, {"metrics", "room_echoes", "count"}), 240);
    EXPECT_EQ(number(s, {"metrics", "ws_msgs_sent", "count"}), 400); // 3 messages, ping, close
}

} // namespace
} // namespace volley::test

namespace volley::test {
namespace {

TEST_F(Run, TestAbortExits108AndStillReports) {
    auto path = script("s.js", R"(
        import exec from 'k6/execution';
        import { sleep } from 'k6';
        export default function () {
            sleep(0.05);
            if (exec.instance.iterationsCompleted >= 3) exec.test.abort('enough');
        }
    )");
    auto r = volley({"run", "--quiet", "--vus", "1", "--duration", "30s", "--summary-export",
                     dir_ + "/summary.json", path});
    EXPECT_EQ(r.exit_code, 108) << r.err;
    EXPECT_NE(r.err.find("test aborted: enough"), std::string::npos) << r.err;
    EXPECT_GE(number(export_json(), {"metrics", "iterations", "count"}), 3);
}

// k6 runs teardown() outside the run context, and its InterruptError (exit code ScriptAborted)
// comes back from the scheduler as the run's error: 108, not a script exception's 107.
TEST_F(Run, TestAbortInTeardownExits108AndStillReports) {
    auto path = script("s.js", R"(
        import exec from 'k6/execution';
        export default function () {}
        export function teardown() { exec.test.abort('from teardown'); }
    )");
    auto r =
        volley({"run", "--quiet", "-i", "2", "--summary-export", dir_ + "/summary.json", path});
    EXPECT_EQ(r.exit_code, 108) << r.err;
    EXPECT_NE(r.err.find("test aborted: from teardown"), std::string::npos) << r.err;
    ASSERT_TRUE(std::filesystem::exists(dir_ + "/summary.json"));
    EXPECT_EQ(number(export_json(), {"metrics", "iterations", "count"}), 2);
}

TEST_F(Run, TestFailExits110AfterTheRun) {
    auto path = script("s.js", R"(
        import exec from 'k6/execution';
        export default function () { exec.test.fail('bad data'); }
    )");
    auto r = volley({"run", "--quiet", "-i", "2", path});
    EXPECT_EQ(r.exit_code, 110) << r.err;
    EXPECT_NE(r.err.find("test marked as failed: bad data"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("TOTAL RESULTS"), std::string::npos);
}

TEST_F(Run, WsExampleAgainstTheBuiltInEchoServer) {
    EchoProcess echo; // `volley echo` on a free port, the main example against it
    auto r =
        volley({"run", "--quiet", "--summary-export", dir_ + "/summary.json", "-e",
                "WS_URL=" + echo.url(), std::string(VOLLEY_SOURCE_DIR) + "/examples/ws_chat.js"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("WEBSOCKET"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("✓ status is 101"), std::string::npos) << r.out;
    auto s = export_json();
    EXPECT_EQ(number(s, {"metrics", "ws_sessions", "count"}), 8);
    EXPECT_EQ(number(s, {"metrics", "checks", "fails"}), 0);
    EXPECT_GE(number(s, {"metrics", "ws_ping", "avg"}), 0);
    EXPECT_GT(number(s, {"metrics", "ws_msgs_received", "count"}), 40);
}

} // namespace
} // namespace volley::test

namespace volley::test {
namespace {

TEST_F(Run, HandleSummaryThatThrowsFallsBackToTheDefaultSummary) {
    auto path = script("s.js", R"(
        export default function () {}
        export function handleSummary() { throw new Error('summary broke'); }
    )");
    auto r = volley({"run", "--quiet", path});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("TOTAL RESULTS"), std::string::npos) << r.out;
    // k6 logs the exception itself (not as a failure to handle the summary)
    EXPECT_NE(r.err.find("msg=\"Error: summary broke"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("hint=\"script exception\""), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("failed to handle"), std::string::npos) << r.err;
}

// A result that is not an object: k6 logs it and writes nothing (no default summary, no export).
TEST_F(Run, HandleSummaryReturningANonObjectWritesNothing) {
    auto path = script("s.js", R"(
        export default function () {}
        export function handleSummary() { return 5; }
    )");
    auto r = volley({"run", "--quiet", "--summary-export", dir_ + "/summary.json", path});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("msg=\"failed to handle the end-of-test summary\" "
                         "error=\"handleSummary() should return a map with string keys\""),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.out.find("TOTAL RESULTS"), std::string::npos) << r.out;
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/summary.json"));
}

// k6 stops handleSummary() after 2 minutes (shortened here through the internal
// VOLLEY_HANDLE_SUMMARY_TIMEOUT_MS), logs the timeout and drops the result: no summary at all,
// and the exit code stays the test's. A busy loop and a blocking sleep() are both interrupted.
TEST_F(Run, HandleSummaryTimeoutIsLoggedAndDropsTheSummary) {
    for (const char* body : {"while (true) {}", "sleep(600);"}) {
        auto path = script("s.js", std::string(R"(
            import { sleep } from 'k6';
            export default function () {}
            export function handleSummary() { )") +
                                       body + R"( return { stdout: 'late' }; }
        )");
        ProcessOptions opts;
        opts.timeout = std::chrono::seconds(30);
        opts.env["VOLLEY_HANDLE_SUMMARY_TIMEOUT_MS"] = "1000";
        auto r = volley({"run", "--quiet", "--summary-export", dir_ + "/summary.json", path}, opts);
        EXPECT_FALSE(r.timed_out) << body;
        EXPECT_EQ(r.exit_code, 0) << body << r.err;
        EXPECT_NE(r.err.find("failed to handle the end-of-test summary"), std::string::npos)
            << r.err;
        EXPECT_NE(r.err.find("handleSummary() execution timed out after 1 seconds"),
                  std::string::npos)
            << r.err;
        EXPECT_EQ(r.out.find("TOTAL RESULTS"), std::string::npos) << r.out;
        EXPECT_EQ(r.out.find("late"), std::string::npos) << r.out;
        EXPECT_FALSE(std::filesystem::exists(dir_ + "/summary.json")) << body;
    }
}

TEST_F(Run, AbortOnFailStopsTheTestEarlyWithExit99) {
    auto path = script("s.js", R"(
        import { check, sleep } from 'k6';
        export const options = {
            vus: 1, duration: '30s',
            thresholds: { checks: [{ threshold: 'rate==1', abortOnFail: true }] },
        };
        export default function () { check(1, { fails: () => false }); sleep(0.1); }
    )");
    ProcessOptions opts;
    opts.timeout = std::chrono::seconds(25);
    auto r = volley({"run", "--quiet", "--summary-export", dir_ + "/summary.json", path}, opts);
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 99) << r.err;
    EXPECT_NE(r.err.find("abortOnFail"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("✗ 'rate==1'"), std::string::npos) << r.out;
    EXPECT_GE(number(export_json(), {"metrics", "checks", "fails"}), 1);
}

} // namespace
} // namespace volley::test
