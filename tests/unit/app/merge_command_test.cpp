// check_parts(): the records given to `volley merge` must be one test whose segments cover 0..1
// exactly once; the error says which file or which segments are at fault (docs/merge.md).

#include <gtest/gtest.h>

#include "app/merge_command.hpp"
#include "util/error.hpp"

namespace volley::app {
namespace {

MergePart part(const std::string& path, const std::string& segment,
               const std::string& sequence = "0,1/3,2/3,1") {
    MergePart p;
    p.path = path;
    p.record.script_sha256 = "s";
    p.record.options_sha256 = "o";
    p.record.execution_segment = segment;
    p.record.execution_segment_sequence = sequence;
    return p;
}

// The error of check_parts(parts), with its exit code; "" when accepted.
std::string refusal(std::vector<MergePart> parts, ExitCode* code = nullptr) {
    try {
        check_parts(parts);
    } catch (const UserError& e) {
        if (code != nullptr) {
            *code = e.code();
        }
        return e.what();
    }
    return "";
}

TEST(CheckParts, AcceptsSegmentsCoveringTheTestInAnyOrder) {
    std::vector<MergePart> parts{part("c", "2/3:1"), part("a", "0:1/3"), part("b", "1/3:2/3")};
    check_parts(parts);
    EXPECT_EQ(parts[0].path, "a");
    EXPECT_EQ(parts[1].path, "b");
    EXPECT_EQ(parts[2].path, "c");
    EXPECT_EQ(refusal({part("whole", "", "")}), "");
}

TEST(CheckParts, RefusesGapsOverlapsAndDuplicates) {
    ExitCode code = ExitCode::kOk;
    EXPECT_EQ(refusal({part("a", "0:1/3"), part("c", "2/3:1")}, &code),
              "no record covers the segment 1/3:2/3 (a gap before 2/3:1, c)");
    EXPECT_EQ(code, ExitCode::kInvalidConfig);
    EXPECT_EQ(refusal({part("b", "1/3:2/3"), part("c", "2/3:1")}),
              "no record covers the segment 0:1/3 (a gap before 1/3:2/3, b)");
    EXPECT_EQ(refusal({part("a", "0:1/3"), part("b", "1/3:2/3")}),
              "no record covers the segment 2/3:1 (a gap after 1/3:2/3, b)");
    EXPECT_EQ(refusal({part("a", "0:1/3"), part("b", "1/3:2/3"), part("b2", "1/3:2/3"),
                       part("c", "2/3:1")}),
              "duplicate segment 1/3:2/3: b and b2");
    EXPECT_EQ(refusal({part("x", "0:1/2", ""), part("y", "1/3:1", "")}),
              "segments 0:1/2 (x) and 1/3:1 (y) overlap");
}

TEST(CheckParts, RefusesAnotherScriptOptionsOrSequence) {
    auto other = part("c", "2/3:1");
    other.record.script_sha256 = "t";
    EXPECT_EQ(refusal({part("a", "0:1/3"), part("b", "1/3:2/3"), other}),
              "c was made by another script than a");
    other = part("c", "2/3:1");
    other.record.options_sha256 = "p";
    EXPECT_EQ(refusal({part("a", "0:1/3"), part("b", "1/3:2/3"), other}),
              "c was made with other options than a");
    EXPECT_EQ(refusal({part("a", "0:1/3"), part("b", "1/3:2/3"), part("c", "2/3:1", "0,2/3,1")}),
              "c has execution segment sequence '0,2/3,1', a has '0,1/3,2/3,1'");
}

} // namespace
} // namespace volley::app
