// The JS memory limit per VU (VOLLEY_VU_MEMORY_LIMIT, docs/reliability.md): a script that
// allocates without end stops the test with a clear error and exit 108, the results measured so
// far still reach the summary; a big ArrayBuffer costs memory only where it is written.

#include <filesystem>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "process.hpp"

namespace volley::test {
namespace {

namespace json = boost::json;

class MemoryLimit : public ::testing::Test {
protected:
    void SetUp() override { dir_ = make_temp_dir("volley-mem"); }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    ProcessResult run(const std::string& script, const std::string& limit,
                      std::vector<std::string> flags = {}) {
        write_file(dir_ + "/s.js", script);
        std::vector<std::string> argv = {volley_binary(), "run", "--quiet", "--summary-export",
                                         dir_ + "/summary.json"};
        argv.insert(argv.end(), flags.begin(), flags.end());
        argv.push_back(dir_ + "/s.js");
        ProcessOptions opts;
        opts.env["VOLLEY_VU_MEMORY_LIMIT"] = limit;
        opts.timeout = std::chrono::seconds(60);
        return run_process(argv, opts);
    }

    std::string dir_;
};

TEST_F(MemoryLimit, RunawayAllocationStopsTheTestWithItsReason) {
    auto r = run(R"(
        import { sleep } from 'k6';
        import exec from 'k6/execution';
        const keep = [];
        export const options = { vus: 2, duration: '30s' };
        export default function () {
            if (exec.vu.iterationInScenario < 3) { sleep(0.05); return; }
            try {
                for (;;) { keep.push(new Array(10000).fill('x' + Math.random())); }
            } catch (e) { /* caught: the limit still stops the test */ }
        }
    )",
                 "64");
    EXPECT_EQ(r.exit_code, 108) << r.err;
    EXPECT_FALSE(r.timed_out);
    EXPECT_NE(r.err.find("msg=\"JS memory limit reached: the VUs sharing a runtime with VU "),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(" hold more than their 64 MiB each, so the test stops (set another limit "
                         "with VOLLEY_VU_MEMORY_LIMIT=MiB, 0 for none)\""),
              std::string::npos)
        << r.err;
    // Each VU's first three iterations sleep; the first to allocate stops the test, which may
    // interrupt the other VU's third.
    auto summary = json::parse(read_text(dir_ + "/summary.json"));
    EXPECT_GE(summary.at("metrics").at("iterations").at("count").to_number<double>(), 3);
}

TEST_F(MemoryLimit, TooMuchInTheInitContextNamesTheLimit) {
    auto r = run("const big = new ArrayBuffer(200 * 1024 * 1024);\n"
                 "export default function () {}\n",
                 "100");
    EXPECT_EQ(r.exit_code, 107) << r.err;
    EXPECT_NE(r.err.find("out of memory"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("hint=\"the init context reached the JS memory limit of 100 MiB per VU; "
                         "raise it with VOLLEY_VU_MEMORY_LIMIT=MiB\""),
              std::string::npos)
        << r.err;
}

TEST_F(MemoryLimit, BadValueIsAUserError) {
    auto r = run("export default function () {}\n", "lots");
    EXPECT_EQ(r.exit_code, 104) << r.err;
    EXPECT_NE(r.err.find("invalid VOLLEY_VU_MEMORY_LIMIT 'lots'"), std::string::npos) << r.err;
}

// 1.5 GiB per VU, written in two places: the pages never written cost nothing (k6 v1.6.1
// touches them all: 3.2 GB RSS and 5 s for this script).
TEST_F(MemoryLimit, BigArrayBuffersCostOnlyWhatIsWritten) {
    auto r = run(R"(
        const big = new ArrayBuffer(1536 * 1024 * 1024);
        const view = new Uint8Array(big);
        view[12345] = 7;
        export default function () {
            view[view.length - 1] = 1;
            if (view[12345] !== 7 || view[999999] !== 0) throw new Error('bad contents');
        }
    )",
                 "4096", {"--iterations", "3"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("level=error"), std::string::npos) << r.err;
#if !defined(__SANITIZE_ADDRESS__)
    EXPECT_LT(r.max_rss_kib, 200 * 1024) << "peak RSS " << r.max_rss_kib << " KiB";
#endif
}

} // namespace
} // namespace volley::test
