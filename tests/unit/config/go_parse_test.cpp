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
    auto base10 = [](const char* t) { return go_parse_int(t, 10); };
    EXPECT_EQ(base10("10"), "");
    EXPECT_EQ(base10("-10"), "");
    EXPECT_EQ(base10("+7"), "");
    EXPECT_EQ(base10("9223372036854775807"), "");
    EXPECT_EQ(base10("-9223372036854775808"), "");
    EXPECT_EQ(base10("x"), "strconv.ParseInt: parsing \"x\": invalid syntax");
    EXPECT_EQ(base10(""), "strconv.ParseInt: parsing \"\": invalid syntax");
    EXPECT_EQ(base10("-"), "strconv.ParseInt: parsing \"-\": invalid syntax");
    EXPECT_EQ(base10("1.5"), "strconv.ParseInt: parsing \"1.5\": invalid syntax");
    EXPECT_EQ(base10("1_000"), "strconv.ParseInt: parsing \"1_000\": invalid syntax");
    EXPECT_EQ(base10("0x10"), "strconv.ParseInt: parsing \"0x10\": invalid syntax");
    EXPECT_EQ(base10("9223372036854775808"),
              "strconv.ParseInt: parsing \"9223372036854775808\": value out of range");
    EXPECT_EQ(base10("99999999999999999999x"),
              "strconv.ParseInt: parsing \"99999999999999999999x\": value out of range");
}

// Base 0, as pflag reads Int64 flags: prefixes and underscores.
TEST(GoParse, IntegersInBaseZero) {
    auto value = [](const char* t) {
        std::int64_t n = -1;
        std::string e = go_parse_int(t, 0, &n);
        return e.empty() ? std::to_string(n) : e;
    };
    EXPECT_EQ(value("10"), "10");
    EXPECT_EQ(value("010"), "8");
    EXPECT_EQ(value("0x1F"), "31");
    EXPECT_EQ(value("-0b101"), "-5");
    EXPECT_EQ(value("0o17"), "15");
    EXPECT_EQ(value("1_000"), "1000");
    EXPECT_EQ(value("0x_1f"), "31");
    EXPECT_EQ(value("0"), "0");
    EXPECT_EQ(value("08"), "strconv.ParseInt: parsing \"08\": invalid syntax");
    EXPECT_EQ(value("1__0"), "strconv.ParseInt: parsing \"1__0\": invalid syntax");
    EXPECT_EQ(value("_1"), "strconv.ParseInt: parsing \"_1\": invalid syntax");
    EXPECT_EQ(value("1_"), "strconv.ParseInt: parsing \"1_\": invalid syntax");
    EXPECT_EQ(value("0x"), "strconv.ParseInt: parsing \"0x\": invalid syntax");
    EXPECT_EQ(value("0x8000000000000000"),
              "strconv.ParseInt: parsing \"0x8000000000000000\": value out of range");
    EXPECT_EQ(value("-0x8000000000000000"), "-9223372036854775808");
}

TEST(GoParse, BooleansLikeStrconvParseBool) {
    for (const char* yes : {"1", "t", "T", "TRUE", "true", "True"}) {
        EXPECT_EQ(go_parse_bool(yes), true) << yes;
    }
    for (const char* no : {"0", "f", "F", "FALSE", "false", "False"}) {
        EXPECT_EQ(go_parse_bool(no), false) << no;
    }
    for (const char* bad : {"", "yes", "tRUE", "2", " true"}) {
        EXPECT_EQ(go_parse_bool(bad), std::nullopt) << bad;
    }
}

} // namespace
} // namespace volley::config
