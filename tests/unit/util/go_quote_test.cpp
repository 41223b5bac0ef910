// Go's strconv.Quote and errno texts (util/go_quote.hpp) and Go's UTF-8 validity (util/utf8.hpp).

#include <cerrno>
#include <string>

#include <gtest/gtest.h>

#include "util/go_quote.hpp"
#include "util/utf8.hpp"

namespace volley {
namespace {

TEST(GoQuote, AsciiEscapesLikeStrconvQuote) {
    EXPECT_EQ(go_quote("plain"), "\"plain\"");
    EXPECT_EQ(go_quote("a\"b\\c"), R"("a\"b\\c")");
    EXPECT_EQ(go_quote("\a\b\f\n\r\t\v"), R"("\a\b\f\n\r\t\v")");
    EXPECT_EQ(go_quote(std::string("\x00\x1b\x7f", 3)), R"("\x00\x1b\x7f")");
}

TEST(GoQuote, PrintableUtf8StaysAndTheRestIsEscaped) {
    EXPECT_EQ(go_quote("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"),
              "\"h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80\"");
    EXPECT_EQ(go_quote("a\xff"
                       "b"),
              R"("a\xffb")");                                 // not UTF-8
    EXPECT_EQ(go_quote("\xc0\xaf"), R"("\xc0\xaf")");         // overlong '/'
    EXPECT_EQ(go_quote("\xed\xa0\x80"), R"("\xed\xa0\x80")"); // a surrogate
    EXPECT_EQ(go_quote("\xc2\x85"), R"("\u0085")");           // C1 control NEL
    EXPECT_EQ(go_quote("\xc2\xa0"), R"("\u00a0")");           // no-break space
    EXPECT_EQ(go_quote("\xe2\x80\xa8"), R"("\u2028")");       // line separator
    EXPECT_EQ(go_quote("\xef\xbb\xbf"), R"("\ufeff")");       // byte-order mark
}

TEST(Utf8, ValidityAsGoSeesIt) {
    EXPECT_TRUE(is_valid_utf8(""));
    EXPECT_TRUE(is_valid_utf8("plain"));
    EXPECT_TRUE(is_valid_utf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
    EXPECT_FALSE(is_valid_utf8("a\xff"));
    EXPECT_FALSE(is_valid_utf8("\xc3"));             // cut short
    EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));     // overlong
    EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));     // surrogate
    EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80")); // above U+10FFFF
}

TEST(GoErrnoText, StrerrorInGosWords) {
    EXPECT_EQ(go_errno_text(ENOENT), "no such file or directory");
    EXPECT_EQ(go_errno_text(EACCES), "permission denied");
}

} // namespace
} // namespace volley
