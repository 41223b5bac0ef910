#include <gtest/gtest.h>

#include "output/js_format.hpp"

namespace volley::output {
namespace {

TEST(JsNumber, ToStringLikeEcmaScript) {
    EXPECT_EQ(js_number_to_string(0), "0");
    EXPECT_EQ(js_number_to_string(-0.0), "0");
    EXPECT_EQ(js_number_to_string(3), "3");
    EXPECT_EQ(js_number_to_string(1.4999), "1.4999");
    EXPECT_EQ(js_number_to_string(0.1 + 0.2), "0.30000000000000004");
    EXPECT_EQ(js_number_to_string(1e16), "10000000000000000");
    EXPECT_EQ(js_number_to_string(1e21), "1e+21");
    EXPECT_EQ(js_number_to_string(1.5e-7), "1.5e-7");
    EXPECT_EQ(js_number_to_string(0.000001), "0.000001");
    EXPECT_EQ(js_number_to_string(-2.5), "-2.5");
    EXPECT_EQ(js_number_to_string(123456.789), "123456.789");
    EXPECT_EQ(js_number_to_string(0.0 / 0.0), "NaN");
    EXPECT_EQ(js_number_to_string(1.0 / 0.0), "Infinity");
}

TEST(JsNumber, ToFixedRoundsTiesUp) {
    EXPECT_EQ(js_to_fixed(0.125, 2), "0.13"); // printf would give 0.12
    EXPECT_EQ(js_to_fixed(2.5, 0), "3");
    EXPECT_EQ(js_to_fixed(1.005, 2), "1.00"); // 1.005 is below the tie in binary
    EXPECT_EQ(js_to_fixed(99.99, 2), "99.99");
    EXPECT_EQ(js_to_fixed(-0.001, 2), "-0.00");
    EXPECT_EQ(js_to_fixed(-1.5, 0), "-2");
}

TEST(Humanize, RatesTruncate) {
    EXPECT_EQ(humanize_rate(0.99999), "99.99%");
    EXPECT_EQ(humanize_rate(2.0 / 3), "66.66%");
    EXPECT_EQ(humanize_rate(1), "100.00%");
    EXPECT_EQ(humanize_rate(0), "0.00%");
    EXPECT_EQ(humanize_value(0.5, true, "default", ""), "50.00%");
}

TEST(Humanize, DurationsTruncateWithFloatArtefacts) {
    EXPECT_EQ(humanize_duration(604.3, ""), "604.29ms"); // k6-behaviour.md Q19
    EXPECT_EQ(humanize_duration(0, ""), "0s");
    EXPECT_EQ(humanize_duration(0.0004, ""), "400ns");
    EXPECT_EQ(humanize_duration(0.01234, ""), "12.34µs");
    EXPECT_EQ(humanize_duration(0.5, ""), "500µs");
    EXPECT_EQ(humanize_duration(1, ""), "1ms");
    EXPECT_EQ(humanize_duration(12.345, ""), "12.34ms");
    EXPECT_EQ(humanize_duration(1234, ""), "1.23s");
    EXPECT_EQ(humanize_duration(59990, ""), "59.99s");
    EXPECT_EQ(humanize_duration(60000, ""), "1m0s");
    EXPECT_EQ(humanize_duration(61000, ""), "1m1s");
    EXPECT_EQ(humanize_duration(3723000, ""), "1h2m3s");
}

TEST(Humanize, DurationsWithTimeUnitRound) {
    EXPECT_EQ(humanize_duration(12.3456, "ms"), "12.35ms");
    EXPECT_EQ(humanize_duration(12.3456, "s"), "0.01s");
    EXPECT_EQ(humanize_duration(12.3456, "us"), "12345.60µs");
    EXPECT_EQ(humanize_value(12.3456, false, "time", "ms"), "12.35ms");
}

TEST(Humanize, BytesBase1000) {
    EXPECT_EQ(humanize_bytes(5), "5 B");
    EXPECT_EQ(humanize_bytes(150), "150 B");
    EXPECT_EQ(humanize_bytes(1000), "1.0 kB");
    EXPECT_EQ(humanize_bytes(1500), "1.5 kB");
    EXPECT_EQ(humanize_bytes(12345), "12 kB");
    EXPECT_EQ(humanize_bytes(999999), "1000 kB");
    EXPECT_EQ(humanize_bytes(2.5e9), "2.5 GB");
    EXPECT_EQ(humanize_value(1200, false, "data", ""), "1.2 kB");
}

TEST(Humanize, PlainNumbersRoundToSixDecimals) {
    EXPECT_EQ(to_fixed_no_trailing_zeros(1.4999, 6), "1.4999");
    EXPECT_EQ(to_fixed_no_trailing_zeros(1.0 / 3, 6), "0.333333");
    EXPECT_EQ(to_fixed_no_trailing_zeros(7, 6), "7");
    EXPECT_EQ(to_fixed_no_trailing_zeros(-0.0000001, 6), "0");
    EXPECT_EQ(humanize_value(2.0000004, false, "default", ""), "2");
}

TEST(StrWidth, CountsCodePointsAndSkipsAnsi) {
    EXPECT_EQ(str_width("abc"), 3u);
    EXPECT_EQ(str_width("12.34µs"), 7u);
    EXPECT_EQ(str_width("\x1b[2;36mabc\x1b[0m"), 3u);
    EXPECT_EQ(str_width("✓ ok"), 4u);
}

TEST(LocaleCompare, RootCollationOrder) {
    EXPECT_LT(locale_compare("iteration_duration", "iterations"), 0); // _ before letters
    EXPECT_LT(locale_compare("vus", "vus_max"), 0);
    EXPECT_LT(locale_compare("a_b", "a1"), 0);       // punctuation before digits
    EXPECT_LT(locale_compare("a1", "ab"), 0);        // digits before letters
    EXPECT_LT(locale_compare("Apple", "banana"), 0); // case-insensitive first
    EXPECT_LT(locale_compare("apple", "Apple"), 0);  // then lower case first
    EXPECT_EQ(locale_compare("same", "same"), 0);
    EXPECT_GT(locale_compare("ws_ping", "ws_msgs_sent"), 0);
}

} // namespace
} // namespace volley::output
