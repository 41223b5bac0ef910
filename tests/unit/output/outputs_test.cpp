#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <zlib.h>

#include "output/csv.hpp"
#include "output/json_lines.hpp"
#include "output/output.hpp"
#include "output/time_format.hpp"

namespace volley::output {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using metrics::Sample;

// Fixes the local time zone for deterministic timestamps; restores it afterwards.
class ScopedTz {
public:
    explicit ScopedTz(const char* tz) {
        const char* old = std::getenv("TZ");
        had_ = old != nullptr;
        old_ = had_ ? old : "";
        setenv("TZ", tz, 1);
        tzset();
    }
    ~ScopedTz() {
        had_ ? setenv("TZ", old_.c_str(), 1) : unsetenv("TZ");
        tzset();
    }

private:
    bool had_;
    std::string old_;
};

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string read_gz(const fs::path& p) {
    gzFile f = gzopen(p.c_str(), "rb");
    std::string out;
    char buf[4096];
    int n = 0;
    while ((n = gzread(f, buf, sizeof buf)) > 0) {
        out.append(buf, static_cast<std::size_t>(n));
    }
    gzclose(f);
    return out;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        out.push_back(line);
    }
    return out;
}

class OutputsTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir =
            fs::temp_directory_path() /
            ("volley_outputs_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir);
    }
    void TearDown() override { fs::remove_all(dir); }

    fs::path dir;
    metrics::Registry registry;
    metrics::TagInterner tags;
    const metrics::Builtins& b = registry.builtins();
    ScopedTz tz{"UTC"};
};

TEST(TimeFormat, Rfc3339NanoInLocalZone) {
    {
        ScopedTz tz("UTC");
        EXPECT_EQ(rfc3339_nano_local(1735812000123456789), "2025-01-02T10:00:00.123456789Z");
        EXPECT_EQ(rfc3339_nano_local(1735812000120000000), "2025-01-02T10:00:00.12Z");
        EXPECT_EQ(rfc3339_nano_local(1735812000000000000), "2025-01-02T10:00:00Z");
        EXPECT_EQ(rfc3339_local(1735812000123456789), "2025-01-02T10:00:00Z");
    }
    ScopedTz tz("XXX-1");
    EXPECT_EQ(rfc3339_nano_local(1735812000123456789), "2025-01-02T11:00:00.123456789+01:00");
}

TEST(TimeFormat, GoDurations) {
    EXPECT_EQ(go_duration_string(0), "0s");
    EXPECT_EQ(go_duration_string(10'000'000'000), "10s");
    EXPECT_EQ(go_duration_string(90'000'000'000), "1m30s");
    EXPECT_EQ(go_duration_string(1'500'000'000), "1.5s");
    EXPECT_EQ(go_duration_string(500'000'000), "500ms");
    EXPECT_EQ(go_duration_string(3'600'000'000'000), "1h0m0s");
    EXPECT_EQ(go_duration_string(1'500), "1.5µs");
    EXPECT_EQ(go_duration_string(-2'000'000'000), "-2s");
}

TEST_F(OutputsTest, JsonLinesMetricBeforeFirstPoint) {
    auto th = metrics::Thresholds::parse(
        json::parse(R"({"ws_connecting": ["p(95)<500", {"threshold": "avg<9", "abortOnFail": true,
                        "delayAbortEval": "10s"}], "ws_connecting{url:ws://x}": ["max<1"]})"),
        registry);
    OutputParams params{registry, tags, &th};
    auto path = dir / "out.json";
    JsonLinesOutput out(path.string(), params);
    EXPECT_EQ(out.description(), "json (" + path.string() + ")");
    auto t = tags.intern({{"url", "ws://x"}, {"group", ""}});
    Sample batch1[] = {{b.ws_connecting, t, 1735812000123456789, 1.234567}};
    Sample batch2[] = {{b.ws_connecting, t, 1735812000200000000, 2},
                       {b.ws_sessions, 0, 1735812000000000000, 1}};
    out.consume(batch1);
    out.consume(batch2);
    out.stop();
    auto l = lines(read_file(path));
    ASSERT_EQ(l.size(), 5u);
    EXPECT_EQ(
        l[0],
        R"({"type":"Metric","data":{"name":"ws_connecting","type":"trend","contains":"time","thresholds":["p(95)<500",{"threshold":"avg<9","abortOnFail":true,"delayAbortEval":"10s"}],"submetrics":[{"name":"ws_connecting{url:ws://x}","suffix":"url:ws://x","tags":{"url":"ws://x"}}]},"metric":"ws_connecting"})");
    EXPECT_EQ(
        l[1],
        R"({"type":"Point","data":{"time":"2025-01-02T10:00:00.123456789Z","value":1.234567,"tags":{"group":"","url":"ws://x"}},"metric":"ws_connecting"})");
    EXPECT_EQ(
        l[2],
        R"({"type":"Point","data":{"time":"2025-01-02T10:00:00.2Z","value":2,"tags":{"group":"","url":"ws://x"}},"metric":"ws_connecting"})");
    EXPECT_EQ(
        l[3],
        R"({"type":"Metric","data":{"name":"ws_sessions","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"ws_sessions"})");
    EXPECT_EQ(
        l[4],
        R"({"type":"Point","data":{"time":"2025-01-02T10:00:00Z","value":1,"tags":{}},"metric":"ws_sessions"})");
}

TEST_F(OutputsTest, JsonLinesGzip) {
    OutputParams params{registry, tags};
    auto path = dir / "out.json.gz";
    {
        JsonLinesOutput out(path.string(), params);
        Sample s[] = {{b.iterations, 0, 0, 1}};
        out.consume(s);
        out.stop();
    }
    auto text = read_gz(path);
    EXPECT_EQ(lines(text).size(), 2u);
    EXPECT_NE(text.find(R"("metric":"iterations")"), std::string::npos);
    EXPECT_NE(read_file(path).substr(0, 2), text.substr(0, 2)); // really compressed
}

TEST_F(OutputsTest, CsvHeaderRowsAndQuoting) {
    OutputParams params{registry, tags};
    auto path = dir / "out.csv";
    CsvOutput out(path.string(), params);
    auto t = tags.intern(
        {{"url", "ws://x,y"}, {"scenario", "default"}, {"my_tag", "a"}, {"b", "c d"}, {"vu", "3"}});
    Sample s[] = {{b.ws_sessions, t, 1735812000999999999, 1}, {b.ws_ping, 0, 0, 0.5}};
    out.consume(s);
    out.stop();
    auto l = lines(read_file(path));
    ASSERT_EQ(l.size(), 3u);
    EXPECT_EQ(l[0], "metric_name,timestamp,metric_value,check,error,error_code,expected_response,"
                    "group,method,name,proto,scenario,service,status,subproto,tls_version,url,"
                    "extra_tags,metadata");
    EXPECT_EQ(l[1], "ws_sessions,1735812000,1.000000,,,,,,,,,default,,,,,\"ws://x,y\",b=c "
                    "d&my_tag=a,");
    EXPECT_EQ(l[2], "ws_ping,0,0.500000,,,,,,,,,,,,,,,,");
}

TEST_F(OutputsTest, CsvTimeFormatsAndSystemTags) {
    OutputParams params{registry, tags, nullptr, {"url", "vu"}, "unix_milli"};
    auto path = dir / "out.csv";
    CsvOutput out(path.string(), params);
    auto t = tags.intern({{"vu", "3"}, {"status", "101"}, {"x", "y"}});
    Sample s[] = {{b.ws_sessions, t, 1735812000999999999, 2.5}};
    out.consume(s);
    out.stop();
    auto l = lines(read_file(path));
    ASSERT_EQ(l.size(), 2u);
    EXPECT_EQ(l[0], "metric_name,timestamp,metric_value,url,vu,extra_tags,metadata");
    EXPECT_EQ(l[1], "ws_sessions,1735812000999,2.500000,,3,x=y,"); // status is disabled: dropped
    OutputParams bad{registry, tags, nullptr, {}, "iso"};
    EXPECT_THROW(CsvOutput((dir / "x.csv").string(), bad), UserError);
}

TEST(CsvField, GoQuotingRules) {
    EXPECT_EQ(csv_field("plain"), "plain");
    EXPECT_EQ(csv_field(""), "");
    EXPECT_EQ(csv_field("a\"b"), "\"a\"\"b\"");
    EXPECT_EQ(csv_field(" lead"), "\" lead\"");
    EXPECT_EQ(csv_field("line\nbreak"), "\"line\nbreak\"");
    EXPECT_EQ(csv_field("\\."), "\"\\.\"");
}

TEST_F(OutputsTest, FactoryParsesSeveralOutputs) {
    OutputParams params{registry, tags};
    auto outs = make_outputs(
        {"json=" + (dir / "a.json").string(), "csv=" + (dir / "b.csv").string()}, params);
    ASSERT_EQ(outs.size(), 2u);
    EXPECT_EQ(outs[0]->description(), "json (" + (dir / "a.json").string() + ")");
    EXPECT_EQ(outs[1]->description(), "csv (" + (dir / "b.csv").string() + ")");
    EXPECT_TRUE(fs::exists(dir / "a.json")); // created before the test starts
    EXPECT_TRUE(make_outputs({}, params).empty());
}

TEST_F(OutputsTest, FactoryErrors) {
    OutputParams params{registry, tags};
    try {
        make_outputs({"influxdb=http://x"}, params);
        FAIL() << "no error";
    } catch (const UserError& e) {
        EXPECT_STREQ(e.what(), "invalid output type 'influxdb', available types are: csv, "
                               "experimental-prometheus-rw, json");
        EXPECT_FALSE(e.hint().empty());
        EXPECT_EQ(e.code(), ExitCode::kGeneric);
    }
    try {
        make_outputs({"json=" + (dir / "missing" / "x.json").string()}, params);
        FAIL() << "no error";
    } catch (const UserError& e) {
        EXPECT_EQ(std::string(e.what()), // k6's JSON output: Go's error alone
                  "open " + (dir / "missing" / "x.json").string() + ": no such file or directory");
        EXPECT_EQ(e.code(), ExitCode::kGeneric);
    }
    EXPECT_THROW(make_outputs({"csv=" + (dir / "missing" / "x.csv.gz").string()}, params),
                 UserError);
}

TEST_F(OutputsTest, EngineFeedsOutputsEndToEnd) {
    auto path = dir / "e.json";
    OutputParams params{registry, tags};
    metrics::Engine engine(registry, tags, metrics::EngineOptions{.buffer_samples = 2});
    for (auto& o : make_outputs({"json=" + path.string()}, params)) {
        engine.add_consumer(std::move(o));
    }
    engine.start();
    auto sink = engine.make_thread_sink();
    for (int i = 0; i < 5; ++i) {
        sink->add({b.ws_msgs_sent, 0, i, 1});
    }
    engine.stop();
    EXPECT_EQ(lines(read_file(path)).size(), 6u); // 1 Metric + 5 Points, file closed by stop()
}

} // namespace
} // namespace volley::output
