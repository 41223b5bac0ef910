#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "util/log.hpp"

namespace volley::log {
namespace {

// Lines reach the output set last, only at or above its own level; null drops them all.
TEST(LogOutput, LinesGoWhereTheOutputSaysAtItsLevel) {
    std::FILE* file = std::tmpfile();
    ASSERT_NE(file, nullptr);
    set_output(file, Level::kWarn);
    write(Level::kInfo, "dropped");
    write(Level::kWarn, "kept");
    write_line("preformatted\n");
    set_output(nullptr);
    write(Level::kError, "nowhere");
    set_output(stderr);
    std::rewind(file);
    std::string text;
    for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) {
        text += static_cast<char>(c);
    }
    std::fclose(file);
    EXPECT_EQ(text.find("dropped"), std::string::npos) << text;
    EXPECT_NE(text.find("level=warning msg=kept"), std::string::npos) << text;
    EXPECT_NE(text.find("preformatted\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("nowhere"), std::string::npos) << text;
}

} // namespace
} // namespace volley::log
