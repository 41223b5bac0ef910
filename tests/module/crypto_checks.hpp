#pragma once

// Shared by the k6/crypto, k6/encoding and webcrypto module tests: runs a script whose checks
// hold the assertions, and expects the iteration to complete with every check passed (the
// failing check names are printed).

#include <string>

#include <gtest/gtest.h>

#include "run_js.hpp"

namespace volley::test {

inline void expect_all_checks_pass(const std::string& source, std::size_t min_checks) {
    auto run = run_js(source);
    ASSERT_EQ(run.error, "");
    ASSERT_EQ(run.results, std::vector<exec::IterationResult>{exec::IterationResult::kCompleted});
    auto checks = only(run.samples, "checks");
    EXPECT_GE(checks.size(), min_checks);
    for (const auto& c : checks) {
        EXPECT_EQ(c.value, 1.0) << "check failed: " << c.tags.at("check");
    }
}

// A JS helper for the scripts: err(f) is the message f throws, or 'no error'.
inline const char* kErrHelper = R"(
function err(f) {
  try { f(); return 'no error'; } catch (e) { return String(e && e.message); }
}
function errName(f) {
  try { f(); return 'no error'; } catch (e) { return String(e && e.name); }
}
)";

} // namespace volley::test
