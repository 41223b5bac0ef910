// Go's parser errors that k6 prints for command-line flags (config/go_parse.hpp); expected
// texts are Go 1.24's time.ParseDuration and strconv.ParseInt.

#include <gtest/gtest.h>

#include "config/go_parse.hpp"

namespace volley::config {
namespace {

TEST(GoParse, DurationsGoAccepts) {
    for (const char* ok : {"0", "-0", "+0", "1s", "1.5h", ".5m", "1h2m3s4ms5us6ns", "1µs", "1μs",
                           "-3m", "2562047h47m16.854775807s", "1.s"}) {
        EXPECT_EQ(go_parse_duration_error(ok), "") << ok;
    }
}

TEST(GoParse, DurationErrorsAreGos) {
    EXPECT_EQ(go_parse_duration_error(""), "time: invalid duration \"\"");
    EXPECT_EQ(go_parse_duration_error("-"), "time: invalid duration \"-\"");
    EXPECT_EQ(go_parse_duration_error("x"), "time: invalid duration \"x\"");
    EXPECT_EQ(go_parse_duration_error("."), "time: invalid duration \".\"");
    EXPECT_EQ(go_parse_duration_error("100"), "time: missing unit in duration \"100\"");
    EXPECT_EQ(go_parse_duration_error("1d"), "time: unknown unit \"d\" in duration \"1d\"");
    EXPECT_EQ(go_parse_duration_error("10 parsecs"),
              "time: unknown unit \" parsecs\" in duration \"10 parsecs\"");
    EXPECT_EQ(go_parse_duration_error("1s2"), "time: missing unit in duration \"1s2\"");
    EXPECT_EQ(go_parse_duration_error("2562048h"), "time: invalid duration \"2562048h\"");
    EXPECT_EQ(go_parse_duration_error("99999999999999999999s"),
              "time: invalid duration \"99999999999999999999s\"");
    EXPECT_EQ(go_parse_duration_error("1\n"),
              "time: unknown unit \"\\x0a\" in duration \"1\\x0a\"");
    EXPECT_EQ(go_parse_duration_error("1\xc3\xa9"),
              "time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\"");
}

TEST(GoParse, IntegersLikeStrconvParseInt) {
    EXPECT_EQ(go_parse_int_error("10"), "");
    EXPECT_EQ(go_parse_int_error("-10"), "");
    EXPECT_EQ(go_parse_int_error("+7"), "");
    EXPECT_EQ(go_parse_int_error("9223372036854775807"), "");
    EXPECT_EQ(go_parse_int_error("-9223372036854775808"), "");
    EXPECT_EQ(go_parse_int_error("x"), "strconv.ParseInt: parsing \"x\": invalid syntax");
    EXPECT_EQ(go_parse_int_error(""), "strconv.ParseInt: parsing \"\": invalid syntax");
    EXPECT_EQ(go_parse_int_error("-"), "strconv.ParseInt: parsing \"-\": invalid syntax");
    EXPECT_EQ(go_parse_int_error("1.5"), "strconv.ParseInt: parsing \"1.5\": invalid syntax");
    EXPECT_EQ(go_parse_int_error("1_000"), "strconv.ParseInt: parsing \"1_000\": invalid syntax");
    EXPECT_EQ(go_parse_int_error("9223372036854775808"),
              "strconv.ParseInt: parsing \"9223372036854775808\": value out of range");
    EXPECT_EQ(go_parse_int_error("99999999999999999999x"),
              "strconv.ParseInt: parsing \"99999999999999999999x\": value out of range");
}

} // namespace
} // namespace volley::config
