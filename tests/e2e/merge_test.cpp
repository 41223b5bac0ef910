// `volley merge` (docs/merge.md): a test run whole and as three execution segments, each part
// writing `--out results=FILE`; the merge of the parts prints the whole test's summary, evaluates
// the thresholds over the merged data, and refuses parts that are not one test.

#include <filesystem>
#include <set>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "process.hpp"

namespace volley::test {
namespace {

namespace json = boost::json;

constexpr const char* kSequence = "0,1/3,2/3,1";
constexpr const char* kSegments[] = {"0:1/3", "1/3:2/3", "2/3:1"};

// Numbers that do not depend on timing: 40 shared iterations numbered 0..39 test-wide, 4 VUs x 3
// per-VU iterations adding 100 + the VU's own iteration number, one unit per iteration (52: the
// whole test crosses count<50, each third does not), checks at the root and in a group.
constexpr const char* kScript = R"(
    import exec from 'k6/execution';
    import { check, group } from 'k6';
    import { Counter, Trend } from 'k6/metrics';
    const units = new Counter('units');
    const nth = new Trend('nth');
    export const options = {
        scenarios: {
            shared: { executor: 'shared-iterations', vus: 5, iterations: 40 },
            pervu: { executor: 'per-vu-iterations', vus: 4, iterations: 3 },
        },
        thresholds: {
            units: ['count<50'],
            'nth{scenario:shared}': ['max<40', 'p(95)<39.5'],
            checks: ['rate>0.5'],
        },
    };
    export default function () {
        const s = exec.scenario;
        const n = s.name === 'shared' ? s.iterationInTest : 100 + exec.vu.iterationInScenario;
        units.add(1);
        nth.add(n);
        check(n, { counted: (v) => v >= 0, 'even': (v) => v % 2 === 0 });
        group('g', () => { check(s.name, { named: (n) => n.length > 0 }); });
    }
)";

// Values that depend on the clock (the iteration count is compared as `iterations`).
const std::set<std::string> kTimed = {"iteration_duration", "group_duration", "vus", "vus_max",
                                      "data_sent",          "data_received"};

class Merge : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = make_temp_dir("volley-merge");
        script_ = dir_ + "/test.js";
        write_file(script_, kScript);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    ProcessResult volley(std::vector<std::string> args) {
        args.insert(args.begin(), volley_binary());
        return run_process(args);
    }

    // One third of the test, its record in `out`.
    void run_part(int i, const std::string& out, const std::string& script = "") {
        auto r = volley({"run", "--quiet", "--execution-segment", kSegments[i],
                         "--execution-segment-sequence", kSequence, "--out", "results=" + out,
                         script.empty() ? script_ : script});
        ASSERT_EQ(r.exit_code, 0) << r.err; // each third passes its thresholds
    }

    std::vector<std::string> run_parts() {
        std::vector<std::string> parts;
        for (int i = 0; i < 3; ++i) {
            // One part gzipped: the record is read either way.
            parts.push_back(dir_ + "/part" + std::to_string(i) + (i == 1 ? ".json.gz" : ".json"));
            run_part(i, parts.back());
        }
        return parts;
    }

    ProcessResult merge(const std::vector<std::string>& files, const std::string& export_path) {
        std::vector<std::string> args{"merge"};
        args.insert(args.end(), files.begin(), files.end());
        if (!export_path.empty()) {
            args.insert(args.end(), {"--summary-export", export_path});
        }
        return volley(args);
    }

    std::string dir_;
    std::string script_;
};

// Every figure of the export that does not depend on the clock is the same.
void expect_same_summary(const json::object& whole, const json::object& merged) {
    const auto& wm = whole.at("metrics").as_object();
    const auto& mm = merged.at("metrics").as_object();
    std::set<std::string> wnames, mnames;
    for (const auto& [k, v] : wm) {
        wnames.insert(std::string(k));
    }
    for (const auto& [k, v] : mm) {
        mnames.insert(std::string(k));
    }
    EXPECT_EQ(wnames, mnames);
    for (const auto& [name, values] : wm) {
        if (kTimed.count(std::string(name)) != 0 || !mm.contains(name)) {
            continue;
        }
        for (const auto& [stat, v] : values.as_object()) {
            if (stat == "rate" && values.as_object().contains("count")) {
                continue; // a Counter's rate per second
            }
            EXPECT_EQ(mm.at(name).at(stat), v) << name << " " << stat;
        }
    }
    EXPECT_EQ(merged.at("root_group"), whole.at("root_group"));
}

TEST_F(Merge, ThreeSegmentsMergeIntoTheWholeTestsSummary) {
    auto whole = volley({"run", "--quiet", script_, "--summary-export", dir_ + "/whole.json",
                         "--out", "results=" + dir_ + "/whole-record.json"});
    ASSERT_EQ(whole.exit_code, 99) << whole.err; // 52 units: count<50 crossed
    auto parts = run_parts();

    auto merged = merge(parts, dir_ + "/merged.json");
    EXPECT_EQ(merged.exit_code, 99) << merged.err;
    EXPECT_NE(merged.err.find("thresholds on metrics 'units' have been crossed"), std::string::npos)
        << merged.err;
    EXPECT_NE(merged.out.find("TOTAL RESULTS"), std::string::npos) << merged.out;
    EXPECT_NE(merged.out.find("✗ 'count<50' count=52"), std::string::npos) << merged.out;
    auto w = json::parse(read_text(dir_ + "/whole.json")).as_object();
    auto m = json::parse(read_text(dir_ + "/merged.json")).as_object();
    EXPECT_EQ(m.at("metrics").at("units").at("count"), json::value(52));
    EXPECT_EQ(m.at("metrics").at("nth").at("med"), w.at("metrics").at("nth").at("med"));
    expect_same_summary(w, m);

    // The whole run's own record merges into its own summary too.
    auto alone = merge({dir_ + "/whole-record.json"}, dir_ + "/alone.json");
    EXPECT_EQ(alone.exit_code, 99) << alone.err;
    expect_same_summary(w, json::parse(read_text(dir_ + "/alone.json")).as_object());
}

TEST_F(Merge, RefusesPartsThatAreNotOneTest) {
    auto parts = run_parts();
    auto gap = merge({parts[0], parts[2]}, "");
    EXPECT_EQ(gap.exit_code, 104);
    EXPECT_NE(gap.err.find("no record covers the segment 1/3:2/3"), std::string::npos) << gap.err;
    auto dup = merge({parts[0], parts[1], parts[2], parts[1]}, "");
    EXPECT_EQ(dup.exit_code, 104);
    EXPECT_NE(dup.err.find("duplicate segment 1/3:2/3"), std::string::npos) << dup.err;

    // No sequence: each segment stands alone.
    for (auto [segment, file] : {std::pair{"0:1/2", "/half0.json"}, {"1/3:1", "/half1.json"}}) {
        auto r = volley({"run", "--quiet", "--execution-segment", segment, "--out",
                         "results=" + dir_ + file, script_});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    auto overlap = merge({dir_ + "/half1.json", dir_ + "/half0.json"}, "");
    EXPECT_EQ(overlap.exit_code, 104);
    EXPECT_NE(overlap.err.find("segments 0:1/2 (" + dir_ + "/half0.json) and 1/3:1"),
              std::string::npos)
        << overlap.err;
    EXPECT_NE(overlap.err.find("overlap"), std::string::npos) << overlap.err;

    std::string other = dir_ + "/other.js";
    write_file(other, std::string(kScript) + "\n// changed\n");
    run_part(2, dir_ + "/other.json", other);
    auto script = merge({parts[0], parts[1], dir_ + "/other.json"}, "");
    EXPECT_EQ(script.exit_code, 104);
    EXPECT_NE(script.err.find(dir_ + "/other.json was made by another script than " + parts[0]),
              std::string::npos)
        << script.err;
}

TEST_F(Merge, RefusesOtherOptionsAndFilesThatAreNotRecords) {
    auto parts = run_parts();
    auto tagged = volley({"run", "--quiet", "--execution-segment", kSegments[2],
                          "--execution-segment-sequence", kSequence, "--tag", "team=x", "--out",
                          "results=" + dir_ + "/tagged.json", script_});
    ASSERT_EQ(tagged.exit_code, 0) << tagged.err;
    auto options = merge({parts[0], parts[1], dir_ + "/tagged.json"}, "");
    EXPECT_EQ(options.exit_code, 104);
    EXPECT_NE(options.err.find("tagged.json was made with other options than"), std::string::npos)
        << options.err;

    auto not_record = merge({parts[0], script_}, "");
    EXPECT_EQ(not_record.exit_code, 255);
    EXPECT_NE(not_record.err.find(script_ + " is not a volley results record"), std::string::npos)
        << not_record.err;
    EXPECT_NE(not_record.err.find("hint="), std::string::npos) << not_record.err;
    auto missing = merge({dir_ + "/nope.json"}, "");
    EXPECT_EQ(missing.exit_code, 255);
    EXPECT_NE(missing.err.find("could not read the results record " + dir_ + "/nope.json"),
              std::string::npos)
        << missing.err;
}

} // namespace
} // namespace volley::test
