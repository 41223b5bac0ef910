// The command line itself: help, version, docs/cli.md kept in step with --help.

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

TEST(Cli, RunWithoutScript) {
    auto r = run_process({volley_binary(), "run"});
    EXPECT_EQ(r.exit_code, 255);
    EXPECT_NE(r.err.find("script"), std::string::npos) << r.err;
}

TEST(Cli, EchoRejectsABadAddress) {
    auto r = run_process({volley_binary(), "echo", "--addr", "not-an-address"});
    EXPECT_EQ(r.exit_code, 104) << r.err;
}

} // namespace
} // namespace volley::test
