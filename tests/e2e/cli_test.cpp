// The command line itself: help, version, docs/cli.md kept in step with --help.

#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "process.hpp"

namespace volley::test {
namespace {

// docs/cli.md holds `volley --help` verbatim between its ```text fences.
std::string documented_help() {
    std::string doc = read_text(std::string(VOLLEY_SOURCE_DIR) + "/docs/cli.md");
    const std::string open = "```text\n";
    auto b = doc.find(open);
    auto e = doc.find("\n```", b == std::string::npos ? 0 : b + open.size());
    if (b == std::string::npos || e == std::string::npos) {
        return {};
    }
    return doc.substr(b + open.size(), e - b - open.size() + 1);
}

TEST(Cli, DocsCliMdMatchesHelp) {
    auto r = run_process({volley_binary(), "--help"});
    ASSERT_EQ(r.exit_code, 0);
    EXPECT_EQ(documented_help(), r.out)
        << "docs/cli.md is stale: regenerate it with scripts/gen-cli-doc";
}

TEST(Cli, Version) {
    auto r = run_process({volley_binary(), "version"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("volley "), std::string::npos);
}

TEST(Cli, UnknownCommand) {
    auto r = run_process({volley_binary(), "frobnicate"});
    EXPECT_EQ(r.exit_code, 255);
    EXPECT_NE(r.err.find("frobnicate"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("hint="), std::string::npos) << r.err;
}

struct BadArgs {
    std::vector<std::string> args;
    std::string error; // cobra's text, as k6 prints it
};

void PrintTo(const BadArgs& c, std::ostream* os) {
    for (const auto& a : c.args) {
        *os << a << ' ';
    }
}

class BadCommandLine : public ::testing::TestWithParam<BadArgs> {};

// Every unknown or misplaced flag is named, wherever it stands, and a script count other than
// one is said as cobra says it; all exit 255 as k6 does.
TEST_P(BadCommandLine, NamesTheProblemAndExits255) {
    std::vector<std::string> argv{volley_binary()};
    argv.insert(argv.end(), GetParam().args.begin(), GetParam().args.end());
    auto r = run_process(argv);
    EXPECT_EQ(r.exit_code, 255) << r.err;
    EXPECT_NE(r.err.find(GetParam().error), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("hint="), std::string::npos) << r.err;
}

const char* const kArgCount =
    "arg should either be \\\"-\\\", if reading script from stdin, or a path to a script file";

INSTANTIATE_TEST_SUITE_P(
    Cases, BadCommandLine,
    ::testing::Values(BadArgs{{"run", "--out", "json=x.json", "t.js", "--listen=127.0.0.1:1"},
                              "unknown flag: --listen"},
                      BadArgs{{"run", "t.js", "--listen=127.0.0.1:1"}, "unknown flag: --listen"},
                      BadArgs{{"run", "--bogus", "t.js"}, "unknown flag: --bogus"},
                      BadArgs{{"inspect", "t.js", "--bogus", "1"}, "unknown flag: --bogus"},
                      BadArgs{{"run", "-Z", "t.js"}, "unknown shorthand flag: 'Z' in -Z"},
                      BadArgs{{"run", "--vus"}, "flag needs an argument: --vus"},
                      BadArgs{{"run"}, std::string("accepts 1 arg(s), received 0: ") + kArgCount},
                      BadArgs{{"run", "a.js", "b.js"},
                              std::string("accepts 1 arg(s), received 2: ") + kArgCount},
                      BadArgs{{"run", "-o", "json=x.json", "-o", "csv=y.csv"},
                              std::string("accepts 1 arg(s), received 0: ") + kArgCount}));

// `-o` takes one value per occurrence, as k6's does: the script after it stays the script.
TEST(Cli, RepeatableFlagsTakeOneValueEach) {
    auto r = run_process({volley_binary(), "inspect", "-e", "A=1", "-o", "json=x.json",
                          std::string(VOLLEY_SOURCE_DIR) + "/examples/ws_chat.js"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(Cli, EchoRejectsABadAddress) {
    auto r = run_process({volley_binary(), "echo", "--addr", "not-an-address"});
    EXPECT_EQ(r.exit_code, 104) << r.err;
}

} // namespace
} // namespace volley::test
