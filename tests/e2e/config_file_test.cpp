// k6's JSON config file (-c/--config, K6_CONFIG, the user config dir's k6/config.json): its
// options sit below the script's, and its `out` below K6_OUT and --out.

#include <filesystem>
#include <sstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "process.hpp"

namespace volley::test {
namespace {

namespace json = boost::json;

class ConfigFile : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = make_temp_dir("volley-cfg");
        script_ = dir_ + "/s.js";
        write_file(script_, "export default function () {}\n");
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    // Runs the script with `args` before it; the user config dir is the test's folder.
    ProcessResult run(std::vector<std::string> args, std::map<std::string, std::string> env = {},
                      const std::string& script = "") {
        std::vector<std::string> argv{volley_binary(), "run", "--quiet", "--summary-export",
                                      dir_ + "/summary.json"};
        argv.insert(argv.end(), args.begin(), args.end());
        argv.push_back(script.empty() ? script_ : script);
        env.emplace("XDG_CONFIG_HOME", dir_ + "/xdg");
        ProcessOptions options;
        options.env = std::move(env);
        return run_process(argv, options);
    }

    double iterations() {
        auto summary = json::parse(read_text(dir_ + "/summary.json"));
        return summary.at("metrics").at("iterations").at("count").to_number<double>();
    }

    // Point records of `metric` in a JSON output file, and how many carry tag from=file.
    std::pair<int, int> points(const std::string& file, const std::string& metric) {
        std::istringstream in(read_text(file));
        std::string line;
        std::pair<int, int> n{0, 0};
        while (std::getline(in, line)) {
            auto rec = json::parse(line).as_object();
            if (rec.at("type").as_string() == "Point" && rec.at("metric").as_string() == metric) {
                ++n.first;
                const auto& tags = rec.at("data").at("tags").as_object();
                n.second += tags.contains("from") && tags.at("from").as_string() == "file" ? 1 : 0;
            }
        }
        return n;
    }

    std::string dir_;
    std::string script_;
};

TEST_F(ConfigFile, OptionsAndOutputsComeFromTheNamedFile) {
    write_file(dir_ + "/c.json", R"({"iterations": 3, "vus": 2, "tags": {"from": "file"},
                                     "out": ["json=)" +
                                     dir_ + R"(/o.json"]})");
    auto r = run({"-c", dir_ + "/c.json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(iterations(), 3);
    EXPECT_EQ(points(dir_ + "/o.json", "iterations"), std::make_pair(3, 3));
}

TEST_F(ConfigFile, TheUserConfigDirsFileIsReadUnasked) {
    std::filesystem::create_directories(dir_ + "/xdg/k6");
    write_file(dir_ + "/xdg/k6/config.json", R"({"iterations": 2})");
    auto r = run({});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(iterations(), 2);
}

TEST_F(ConfigFile, TheScriptEnvAndFlagsOverrideTheFile) {
    write_file(dir_ + "/c.json", R"({"iterations": 3, "out": ["json=)" + dir_ + R"(/file.json"]})");
    write_file(dir_ + "/five.js", "export const options = { iterations: 5 };\n"
                                  "export default function () {}\n");
    auto r = run({}, {{"K6_CONFIG", dir_ + "/c.json"}, {"K6_OUT", "json=" + dir_ + "/env.json"}},
                 dir_ + "/five.js");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(iterations(), 5);
    EXPECT_TRUE(std::filesystem::exists(dir_ + "/env.json"));
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/file.json"));

    r = run({"-c", dir_ + "/c.json", "-i", "4", "--out", "json=" + dir_ + "/cli.json"},
            {{"K6_OUT", "json=" + dir_ + "/env2.json"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(iterations(), 4);
    EXPECT_TRUE(std::filesystem::exists(dir_ + "/cli.json"));
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/env2.json"));
}

TEST_F(ConfigFile, ABadFileIsInvalidConfigWithOneLine) {
    write_file(dir_ + "/bad.json", R"({"vus": "two"})");
    auto r = run({"-c", dir_ + "/bad.json"});
    EXPECT_EQ(r.exit_code, 104) << r.err;
    EXPECT_NE(r.err.find("failed to load the configuration file from the local file system: "
                         "couldn't parse the configuration from"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("vus: expected an integer, got \\\"two\\\""), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;

    r = run({"-c", dir_ + "/missing.json"});
    EXPECT_EQ(r.exit_code, 104) << r.err;
    EXPECT_NE(r.err.find("stat " + dir_ + "/missing.json: no such file or directory"),
              std::string::npos)
        << r.err;
}

TEST_F(ConfigFile, AnArchiveKeepsTheFilesOptionsUnderTheScripts) {
    write_file(dir_ + "/c.json", R"({"iterations": 3, "userAgent": "from-file", "out": ["x"]})");
    auto a = run_process(
        {volley_binary(), "archive", "-c", dir_ + "/c.json", "-O", dir_ + "/a.tar", script_});
    ASSERT_EQ(a.exit_code, 0) << a.err;
    auto r = run({}, {}, dir_ + "/a.tar"); // no config file now
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(iterations(), 3);

    // The script's scenarios replace the file's shortcut, as in a run.
    write_file(dir_ + "/sc.js", "export const options = {scenarios: {one: {executor: "
                                "'shared-iterations', iterations: 2}}};\n"
                                "export default function () {}\n");
    a = run_process({volley_binary(), "archive", "-c", dir_ + "/c.json", "-O", dir_ + "/b.tar",
                     dir_ + "/sc.js"});
    ASSERT_EQ(a.exit_code, 0) << a.err;
    r = run({}, {}, dir_ + "/b.tar");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(iterations(), 2);
}

} // namespace
} // namespace volley::test
