#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "support/log_capture.hpp"
#include "util/log.hpp"

namespace volley::log {
namespace {

// Lines reach the output set last, only at or above its own level; null drops them all.
TEST(LogOutput, LinesGoWhereTheOutputSaysAtItsLevel) {
    test::LogCapture log;
    ASSERT_NE(log.file(), nullptr);
    set_output(log.file(), Level::kWarn);
    write(Level::kInfo, "dropped");
    write(Level::kWarn, "kept");
    write_line("preformatted\n");
    set_output(nullptr);
    write(Level::kError, "nowhere");
    std::string text = log.text();
    EXPECT_EQ(text.find("dropped"), std::string::npos) << text;
    EXPECT_NE(text.find("level=warning msg=kept"), std::string::npos) << text;
    EXPECT_NE(text.find("preformatted\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("nowhere"), std::string::npos) << text;
}

// logrus: an empty message is left out, an empty value is not quoted; in JSON, k6's integer
// fields vu and iter are numbers.
TEST(LogFormat, LogrusTextAndJsonDetails) {
    std::string line = format(Level::kInfo, "", {{"group", ""}, {"source", "console"}});
    EXPECT_NE(line.find("\" level=info group= source=console\n"), std::string::npos) << line;
    EXPECT_EQ(line.find("msg="), std::string::npos) << line;
    EXPECT_NE(format(Level::kInfo, "a b").find(" msg=\"a b\"\n"), std::string::npos);
    set_format(Format::kJson);
    line = format(Level::kInfo, "m", {{"vu", "3"}, {"iter", "0"}, {"name", "7"}, {"vu2", "x"}});
    set_format(Format::kText);
    EXPECT_NE(line.find(R"("vu":3,"iter":0,"name":"7","vu2":"x")"), std::string::npos) << line;
}

} // namespace
} // namespace volley::log
