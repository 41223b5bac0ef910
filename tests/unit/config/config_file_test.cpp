#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "config/config_file.hpp"
#include "util/error.hpp"

#include <sys/stat.h>
#include <unistd.h>

namespace volley::config {
namespace {

using Env = std::map<std::string, std::string>;

// A fresh folder for one test's files, removed at the end.
class ConfigFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "volley-cfg-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string write(const std::string& name, const std::string& text) {
        std::string path = dir_ + "/" + name;
        std::filesystem::create_directories(std::filesystem::path(path).parent_path());
        std::ofstream(path) << text;
        return path;
    }

    // The message of the UserError that loading throws, or "" if it loads.
    static std::string error_of(const std::optional<std::string>& flag, const Env& env) {
        try {
            load_config_file(flag, env);
        } catch (const UserError& e) {
            EXPECT_EQ(e.code(), ExitCode::kInvalidConfig);
            EXPECT_FALSE(e.hint().empty());
            return e.what();
        }
        return "";
    }

    std::string dir_;
};

const std::string kPrefix = "failed to load the configuration file from the local file system: ";

TEST(ConfigFilePath, FlagOverEnvOverTheUserConfigDir) {
    Env env{{"HOME", "/home/u"}};
    EXPECT_EQ(config_file_path({}, env).path, "/home/u/.config/k6/config.json");
    EXPECT_TRUE(config_file_path({}, env).is_default);
    env["XDG_CONFIG_HOME"] = "/xdg";
    EXPECT_EQ(config_file_path({}, env).path, "/xdg/k6/config.json");
    env["K6_CONFIG"] = "/etc/k6.json";
    EXPECT_EQ(config_file_path({}, env).path, "/etc/k6.json");
    EXPECT_FALSE(config_file_path({}, env).is_default);
    EXPECT_EQ(config_file_path(std::string("c.json"), env).path, "c.json");
    // Naming the default path is the default path (k6 compares the strings).
    EXPECT_TRUE(config_file_path(std::string("/xdg/k6/config.json"), env).is_default);
}

TEST(ConfigFilePath, GoFallbacksForARelativeXdgOrNoHome) {
    EXPECT_EQ(config_file_path({}, {{"XDG_CONFIG_HOME", "rel"}}).path, ".config/k6/config.json");
    EXPECT_EQ(config_file_path({}, {}).path, ".config/k6/config.json");
}

TEST_F(ConfigFileTest, NoFileAtTheDefaultPathIsNoConfig) {
    ConfigFile f = load_config_file({}, {{"XDG_CONFIG_HOME", dir_}});
    EXPECT_TRUE(f.path.empty());
    EXPECT_FALSE(f.options.vus);
    EXPECT_TRUE(f.out.empty());
}

TEST_F(ConfigFileTest, TheDefaultPathIsRead) {
    std::string path = write("k6/config.json", R"({"vus": 3, "duration": "1s"})");
    ConfigFile f = load_config_file({}, {{"XDG_CONFIG_HOME", dir_}});
    EXPECT_EQ(f.path, path);
    EXPECT_EQ(f.options.vus, 3);
    ASSERT_TRUE(f.options.duration);
}

TEST_F(ConfigFileTest, TheOldDefaultPathIsReadWhenTheNewOneIsMissing) {
    write("loadimpact/k6/config.json", R"({"iterations": 7})");
    testing::internal::CaptureStderr();
    ConfigFile f = load_config_file({}, {{"XDG_CONFIG_HOME", dir_}});
    std::string log = testing::internal::GetCapturedStderr();
    EXPECT_EQ(f.options.iterations, 7);
    EXPECT_NE(log.find("found on the old default path"), std::string::npos) << log;
}

TEST_F(ConfigFileTest, OptionsOutAndLingerAreReadAndUnknownKeysIgnored) {
    std::string path = write("c.json", R"({
        "vus": 2, "iterations": 4, "tags": {"a": "b"}, "thresholds": {"checks": ["rate>0.9"]},
        "out": ["json=o.json", "csv=o.csv"], "linger": true,
        "collectors": {"cloud": {"token": "t"}}, "noUsageReport": true, "bogus": 1})");
    ConfigFile f = load_config_file(path, {});
    EXPECT_EQ(f.path, path);
    EXPECT_EQ(f.options.vus, 2);
    EXPECT_EQ(f.options.iterations, 4);
    ASSERT_TRUE(f.options.tags);
    EXPECT_EQ(f.options.tags->at("a"), "b");
    ASSERT_TRUE(f.options.thresholds);
    EXPECT_EQ(f.out, (std::vector<std::string>{"json=o.json", "csv=o.csv"}));
    EXPECT_EQ(f.linger, true);
}

TEST_F(ConfigFileTest, K6ConfigNamesTheFile) {
    std::string path = write("elsewhere.json", R"({"vus": 5})");
    EXPECT_EQ(load_config_file({}, {{"K6_CONFIG", path}}).options.vus, 5);
}

TEST_F(ConfigFileTest, AMissingNamedFileIsAnError) {
    std::string path = dir_ + "/nope.json";
    EXPECT_EQ(error_of(path, {}), kPrefix + "stat " + path + ": no such file or directory");
    EXPECT_EQ(error_of({}, {{"K6_CONFIG", path}}),
              kPrefix + "stat " + path + ": no such file or directory");
}

TEST_F(ConfigFileTest, ADirectoryIsAnError) {
    EXPECT_EQ(error_of(dir_, {}), kPrefix + "couldn't load the configuration from \"" + dir_ +
                                      "\": read " + dir_ + ": is a directory");
}

TEST_F(ConfigFileTest, BadJsonAndWrongTypesAreErrorsNamingTheField) {
    std::string truncated = write("t.json", R"({"vus": 2)");
    EXPECT_EQ(
        error_of(truncated, {})
            .rfind(kPrefix + "couldn't parse the configuration from \"" + truncated + "\": ", 0),
        0u);
    std::string wrong = write("w.json", R"({"vus": "x", "out": "json=o.json", "linger": 1})");
    EXPECT_EQ(error_of(wrong, {}),
              kPrefix + "couldn't parse the configuration from \"" + wrong +
                  "\": vus: expected an integer, got \"x\"; out: expected an array of strings, "
                  "got \"json=o.json\"; linger: expected true or false, got 1");
    std::string broken = write("b.json", "{\n  \"vus\": 1,\n  }");
    EXPECT_NE(error_of(broken, {}).find("syntax error at line 3, column 3"), std::string::npos)
        << error_of(broken, {});
    std::string array = write("a.json", "[1]");
    EXPECT_NE(error_of(array, {}).find("expected a JSON object, got [1]"), std::string::npos);
}

TEST_F(ConfigFileTest, TheFileIsBelowTheScriptInConsolidation) {
    std::string path = write("c.json", R"({"vus": 2, "iterations": 4, "userAgent": "file"})");
    ConfigFile f = load_config_file(path, {});
    RunOptions o =
        consolidate(f.options, boost::json::parse(R"({"iterations": 3})"), {}, {}, {"default"});
    ASSERT_EQ(o.scenarios.size(), 1u);
    EXPECT_EQ(o.scenarios[0].vus, 2);
    EXPECT_EQ(o.scenarios[0].iterations, 3);
    EXPECT_EQ(o.user_agent, "file");
    o = consolidate(f.options, boost::json::parse("null"), {}, {{"K6_USER_AGENT", "env"}},
                    {"default"});
    EXPECT_EQ(o.user_agent, "env");
    EXPECT_EQ(o.scenarios[0].iterations, 4);
}

TEST_F(ConfigFileTest, AScriptReplacingTheFilesScenariosIsWarnedOf) {
    std::string path =
        write("c.json", R"({"scenarios": {"a": {"executor": "shared-iterations"}}})");
    ConfigFile f = load_config_file(path, {});
    testing::internal::CaptureStderr();
    RunOptions o =
        consolidate(f.options, boost::json::parse(R"({"iterations": 2})"), {}, {}, {"default"});
    std::string log = testing::internal::GetCapturedStderr();
    EXPECT_EQ(o.scenarios.at(0).name, "default");
    EXPECT_NE(log.find("\\\"script\\\" level configuration overrode scenarios configuration "
                       "entirely"),
              std::string::npos)
        << log;
}

TEST(ResolveOutputs, FlagsOverK6OutOverTheFile) {
    ConfigFile file;
    file.out = {"json=file.json"};
    file.linger = true;
    auto r = resolve_outputs({}, false, {}, file);
    EXPECT_EQ(r.outputs, (std::vector<std::string>{"json=file.json"}));
    EXPECT_TRUE(r.linger);
    r = resolve_outputs({}, false, {{"K6_OUT", "json=a.json,csv=b.csv"}, {"K6_LINGER", "false"}},
                        file);
    EXPECT_EQ(r.outputs, (std::vector<std::string>{"json=a.json", "csv=b.csv"}));
    EXPECT_FALSE(r.linger);
    r = resolve_outputs({"json=flag.json"}, true, {{"K6_OUT", "json=a.json"}}, {});
    EXPECT_EQ(r.outputs, (std::vector<std::string>{"json=flag.json"}));
    EXPECT_TRUE(r.linger);
}

TEST(ResolveOutputs, K6LingerIsANullBool) {
    ConfigFile file;
    file.linger = true;
    EXPECT_TRUE(resolve_outputs({}, false, {{"K6_LINGER", ""}}, file).linger); // unset
    EXPECT_TRUE(resolve_outputs({}, false, {{"K6_LINGER", "null"}}, file).linger);
    EXPECT_TRUE(resolve_outputs({}, false, {{"K6_LINGER", "true"}}, {}).linger);
    EXPECT_FALSE(resolve_outputs({}, false, {{"K6_OUT", ""}}, {}).outputs.size());
    try {
        resolve_outputs({}, false, {{"K6_LINGER", "1"}}, {});
        ADD_FAILURE() << "K6_LINGER=1 was taken";
    } catch (const UserError& e) {
        EXPECT_EQ(e.code(), ExitCode::kInvalidConfig);
        EXPECT_NE(std::string(e.what()).find("invalid input:1"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace volley::config
