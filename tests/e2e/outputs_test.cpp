// --out json / csv: every sample a test produced reaches every output (k6-behaviour.md §5.10).

#include <filesystem>
#include <map>
#include <sstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "process.hpp"

namespace volley::test {
namespace {

namespace json = boost::json;

class Outputs : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = make_temp_dir("volley-out");
        script_ = dir_ + "/s.js";
        write_file(script_, R"(
            import { check, group } from 'k6';
            import { Counter, Trend } from 'k6/metrics';
            const c = new Counter('my_counter');
            const t = new Trend('my_trend', true);
            export default function () {
                group('g', () => { check(1, { one: (v) => v === 1, two: (v) => v === 2 }); });
                c.add(2, { k: 'v' });
                t.add(1.5);
            }
        )");
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string dir_;
    std::string script_;
};

// Point records per metric, and the Metric records seen.
struct JsonLines {
    std::map<std::string, int> points;
    std::map<std::string, int> metric_records;
    std::map<std::string, double> sums;
};

JsonLines parse_lines(const std::string& text) {
    JsonLines out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) {
            continue;
        }
        auto v = json::parse(line).as_object();
        std::string metric(v.at("metric").as_string());
        if (v.at("type").as_string() == "Point") {
            ++out.points[metric];
            out.sums[metric] += v.at("data").at("value").to_number<double>();
        } else {
            ++out.metric_records[metric];
        }
    }
    return out;
}

TEST_F(Outputs, JsonLinesHoldEverySample) {
    auto r = run_process({volley_binary(), "run", "--quiet", "-i", "4", "-u", "2", "--out",
                          "json=" + dir_ + "/out.json", script_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto lines = parse_lines(read_text(dir_ + "/out.json"));
    EXPECT_EQ(lines.points["iterations"], 4);
    EXPECT_EQ(lines.points["iteration_duration"], 4);
    EXPECT_EQ(lines.points["checks"], 8);
    EXPECT_EQ(lines.sums["checks"], 4); // `one` passes, `two` fails
    EXPECT_EQ(lines.points["group_duration"], 4);
    EXPECT_EQ(lines.points["my_counter"], 4);
    EXPECT_EQ(lines.sums["my_counter"], 8);
    EXPECT_EQ(lines.points["my_trend"], 4);
    EXPECT_EQ(lines.points["data_sent"], 4);
    for (const auto& [metric, n] : lines.metric_records) {
        EXPECT_EQ(n, 1) << metric << ": one Metric record before its first Point";
    }
}

TEST_F(Outputs, JsonAndCsvTogetherAndGzip) {
    auto r = run_process({volley_binary(), "run", "--quiet", "-i", "3", "--out",
                          "json=" + dir_ + "/out.json.gz", "--out", "csv=" + dir_ + "/out.csv",
                          script_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto gunzip = run_process({"/bin/gzip", "-dc", dir_ + "/out.json.gz"});
    ASSERT_EQ(gunzip.exit_code, 0) << gunzip.err;
    auto lines = parse_lines(gunzip.out);
    EXPECT_EQ(lines.points["my_counter"], 3);

    std::istringstream csv(read_text(dir_ + "/out.csv"));
    std::string header;
    std::getline(csv, header);
    EXPECT_EQ(header.rfind("metric_name,timestamp,metric_value,", 0), 0u) << header;
    std::map<std::string, int> rows;
    std::string row;
    while (std::getline(csv, row)) {
        ++rows[row.substr(0, row.find(','))];
    }
    EXPECT_EQ(rows["my_counter"], 3);
    EXPECT_EQ(rows["checks"], 6);
    EXPECT_EQ(rows["iterations"], 3);
}

TEST_F(Outputs, UnknownOutputType) {
    auto r = run_process({volley_binary(), "run", "--quiet", "--out", "nope=x", script_});
    EXPECT_EQ(r.exit_code, 255) << r.err; // k6 returns createOutputs' error without a code
    EXPECT_NE(r.err.find("invalid output type 'nope'"), std::string::npos) << r.err;
}

} // namespace
} // namespace volley::test
