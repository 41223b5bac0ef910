// Flags of `volley run` around logging, as k6 has them: --log-output (K6_LOG_OUTPUT) puts logs
// on stderr, stdout, nowhere or in a file; --http-debug[=full] (K6_HTTP_DEBUG) logs requests;
// --console-output takes the iterations' console; and the k6 flags volley accepts without acting
// on them (--no-usage-report, --compatibility-mode) or that choose how the script is read
// (--type); and --local-ips (K6_LOCAL_IPS), checked as k6 checks it.

#include <filesystem>

#include <gtest/gtest.h>

#include "echo_process.hpp"
#include "process.hpp"

#include <sys/stat.h>

namespace volley::test {
namespace {

class RunFlags : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = make_temp_dir("volley-log");
        script_ = dir_ + "/s.js";
        write_file(script_, "export default function () {\n"
                            "  console.log('an info'); console.warn('a warning');\n"
                            "  console.error('an error');\n}\n");
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    ProcessResult run(const std::vector<std::string>& flags,
                      std::map<std::string, std::string> env = {}) {
        std::vector<std::string> argv{volley_binary(), "run", "--quiet", "--no-summary"};
        argv.insert(argv.end(), flags.begin(), flags.end());
        argv.push_back(script_);
        ProcessOptions options;
        options.env = std::move(env);
        options.cwd = dir_;
        return run_process(argv, options);
    }

    std::string dir_;
    std::string script_;
};

TEST_F(RunFlags, StdoutNoneAndTheEnvironment) {
    auto r = run({"--log-output", "stdout"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("level=info msg=\"an info\" source=console"), std::string::npos) << r.out;
    EXPECT_EQ(r.err, "");

    r = run({"--log-output=none"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out + r.err, "");

    r = run({}, {{"K6_LOG_OUTPUT", "stdout"}, {"K6_LOG_FORMAT", "json"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(R"({"level":"warning","msg":"a warning","source":"console")"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.err, "");
}

TEST_F(RunFlags, AFileWithItsOwnLevelIsAppendedTo) {
    write_file(dir_ + "/k6.log", "before\n");
    auto r = run({"--log-output", "file=k6.log,level=warning"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out + r.err, "");
    std::string log = read_text(dir_ + "/k6.log");
    EXPECT_EQ(log.rfind("before\n", 0), 0u) << log;
    EXPECT_EQ(log.find("an info"), std::string::npos) << log;
    EXPECT_NE(log.find("level=warning msg=\"a warning\""), std::string::npos) << log;
    EXPECT_NE(log.find("level=error msg=\"an error\""), std::string::npos) << log;

    std::filesystem::remove(dir_ + "/k6.log");
    r = run({"--log-output", "file=k6.log"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(read_text(dir_ + "/k6.log").find("an info"), std::string::npos);
    struct stat st {};
    ASSERT_EQ(::stat((dir_ + "/k6.log").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);

    // k6's parser takes a trailing comma; the path is cleaned; nothing is logged at fatal.
    std::filesystem::create_directory(dir_ + "/sub");
    r = run({"--log-output", "file=sub/../fatal.log,level=fatal,"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir_ + "/fatal.log"));
    EXPECT_EQ(read_text(dir_ + "/fatal.log"), "");
}

TEST_F(RunFlags, BadValuesAreUsageErrorsInK6sWords) {
    const std::pair<std::string, std::string> cases[] = {
        {"bogus", "unsupported log output 'bogus'"},
        {"file", "error while parsing logfile configuration key `file` with no value"},
        {"file=", "error while parsing logfile configuration key `file=` with no value"},
        {"file=,level=info", "filepath must not be empty"},
        {"file=k6.log,level=",
         "error while parsing logfile configuration key `level=` with no value"},
        {"file=k6.log,,level=info",
         "error while parsing logfile configuration key `` with no value"},
        {"file=/no/such/dir/k6.log", "provided directory '/no/such/dir' does not exist"},
        {"file=k6.log,level=loud", "unknown log level loud"},
        {"file=k6.log,colour=red", "unknown logfile config key colour"},
        {"loki=localhost:3100", "unsupported log output 'loki=localhost:3100'"},
    };
    auto format = run({"--log-format", "xml"}); // k6 logs as text
    EXPECT_EQ(format.exit_code, 0) << format.err;
    EXPECT_NE(format.err.find("unknown log format 'xml', logging as text"), std::string::npos)
        << format.err;
    EXPECT_NE(format.err.find("level=info msg=\"an info\""), std::string::npos) << format.err;
    for (const auto& [spec, message] : cases) {
        auto r = run({"--log-output", spec});
        EXPECT_EQ(r.exit_code, 255) << spec << ": " << r.err;
        EXPECT_NE(r.err.find(message), std::string::npos) << spec << ": " << r.err;
        EXPECT_NE(r.err.find("hint="), std::string::npos) << spec << ": " << r.err;
    }
}

TEST_F(RunFlags, HttpDebugFlagWithAndWithoutFull) {
    EchoProcess echo;
    write_file(script_, "import http from 'k6/http';\nexport default function () {\n"
                        "  http.post('http://127.0.0.1:" +
                            echo.port() + "/http/echo', 'payload');\n}\n");
    auto r = run({"--http-debug"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("msg=\"Request:\\nPOST /http/echo HTTP/1.1\\n"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("msg=\"Response:\\nHTTP/1.1 200 OK\\n"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("source=http-debug"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("payload"), std::string::npos) << r.err;

    r = run({"--http-debug=full"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("\\n\\npayload\\n\""), std::string::npos) << r.err;

    r = run({}, {{"K6_HTTP_DEBUG", "full"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("\\n\\npayload\\n\""), std::string::npos) << r.err;
}

TEST_F(RunFlags, ConsoleOutputTakesTheIterationsConsoleNotTheInitCode) {
    write_file(script_, "console.log('at init');\n"
                        "export default function () { console.warn('in iteration'); }\n");
    auto r = run({"--console-output", "console.log"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("msg=\"at init\" source=console"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("in iteration"), std::string::npos) << r.err;
    std::string file = read_text(dir_ + "/console.log");
    EXPECT_NE(file.find("level=warning msg=\"in iteration\"\n"), std::string::npos) << file;
    EXPECT_EQ(file.find("source="), std::string::npos) << file; // k6's file console has none
    EXPECT_EQ(file.find("at init"), std::string::npos) << file;

    r = run({}, {{"K6_CONSOLE_OUTPUT", "env.log"}, {"K6_LOG_FORMAT", "json"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(read_text(dir_ + "/env.log").find(R"({"level":"warning","msg":"in iteration")"),
              std::string::npos);

    r = run({"--console-output", "/no/such/dir/c.log"});
    EXPECT_EQ(r.exit_code, 255) << r.err;
    EXPECT_NE(r.err.find("open /no/such/dir/c.log: no such file or directory"), std::string::npos)
        << r.err;
}

TEST_F(RunFlags, K6FlagsVolleyAcceptsAreCheckedAsK6ChecksThem) {
    auto r = run({"--no-usage-report", "--compatibility-mode", "base", "-t", "js"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    r = run({"--compatibility-mode=experimental_enhanced"}, {{"K6_NO_USAGE_REPORT", "true"}});
    EXPECT_EQ(r.exit_code, 0) << r.err;

    r = run({"--compatibility-mode", "es5"});
    EXPECT_EQ(r.exit_code, 255) << r.err;
    EXPECT_NE(r.err.find(R"(invalid compatibility mode \"es5\". Use: \"extended\", \"base\")"),
              std::string::npos)
        << r.err;
    r = run({}, {{"K6_COMPATIBILITY_MODE", "es5"}});
    EXPECT_EQ(r.exit_code, 255) << r.err;
    r = run({}, {{"K6_NO_USAGE_REPORT", "1"}});
    EXPECT_EQ(r.exit_code, 104) << r.err;
    r = run({"--type", "ts"});
    EXPECT_EQ(r.exit_code, 255) << r.err;
    EXPECT_NE(r.err.find("unknown or unspecified test type 'ts'"), std::string::npos) << r.err;
    r = run({"--type", "archive"});
    EXPECT_EQ(r.exit_code, 255) << r.err;
    EXPECT_NE(r.err.find("could not load test archive bundle"), std::string::npos) << r.err;

    auto a = run_process({volley_binary(), "archive", "-O", dir_ + "/a.tar", script_});
    ASSERT_EQ(a.exit_code, 0) << a.err;
    a = run_process(
        {volley_binary(), "run", "--quiet", "--no-summary", "-t", "archive", dir_ + "/a.tar"});
    EXPECT_EQ(a.exit_code, 0) << a.err;
    a = run_process(
        {volley_binary(), "run", "--quiet", "--no-summary", "-t", "js", dir_ + "/a.tar"});
    EXPECT_NE(a.exit_code, 0) << "a tar read as JavaScript must fail";
}

TEST_F(RunFlags, LocalIpsFromTheFlagOrTheEnvironment) {
    auto r = run({"--local-ips", "127.0.0.2-127.0.0.3,127.0.0.8/30"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    r = run({"--local-ips", ""}, {{"K6_LOCAL_IPS", "127.0.0.2"}}); // empty: the variable's
    EXPECT_EQ(r.exit_code, 0) << r.err;
    r = run({"--local-ips", "127.0.0.2"}, {{"K6_LOCAL_IPS", "bad"}}); // k6 reads it all the same
    EXPECT_EQ(r.exit_code, 104) << r.err;

    r = run({"--local-ips", "127.0.0.1,foo"});
    EXPECT_EQ(r.exit_code, 255) << r.err;
    EXPECT_NE(r.err.find(R"(msg="foo is not a valid IP, IP range or CIDR")"), std::string::npos)
        << r.err;
    r = run({}, {{"K6_LOCAL_IPS", "10.0.0.9-10.0.0.1"}});
    EXPECT_EQ(r.exit_code, 104) << r.err;
    EXPECT_NE(r.err.find("envconfig.Process: assigning K6_LOCAL_IPS to LocalIPs: converting "
                         "'10.0.0.9-10.0.0.1' to type types.NullIPPool. details: negative IP "
                         "range: 10.0.0.9-10.0.0.1"),
              std::string::npos)
        << r.err;
}

} // namespace
} // namespace volley::test
