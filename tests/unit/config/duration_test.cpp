#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "config/duration.hpp"

namespace volley::config {
namespace {

using namespace std::chrono_literals;

Duration ok(std::string_view text) {
    auto r = parse_duration(text);
    EXPECT_TRUE(r.has_value()) << text << ": " << (r ? "" : r.error().message);
    return r ? *r : Duration{-1};
}

std::string err(std::string_view text) {
    auto r = parse_duration(text);
    EXPECT_FALSE(r.has_value()) << text;
    return r ? std::string() : r.error().message;
}

TEST(ParseDuration, GoUnitsAndCombinations) {
    EXPECT_EQ(ok("30s"), 30s);
    EXPECT_EQ(ok("1m30s"), 90s);
    EXPECT_EQ(ok("500ms"), 500ms);
    EXPECT_EQ(ok("1.5s"), 1500ms);
    EXPECT_EQ(ok(".5s"), 500ms);
    EXPECT_EQ(ok("2h"), 2h);
    EXPECT_EQ(ok("10us"), 10us);
    EXPECT_EQ(ok("10\xC2\xB5s"), 10us);
    EXPECT_EQ(ok("7ns"), 7ns);
    EXPECT_EQ(ok("1h2m3s4ms"), 1h + 2min + 3s + 4ms);
}

TEST(ParseDuration, DaysAsK6Extends) {
    EXPECT_EQ(ok("1d"), 24h);
    EXPECT_EQ(ok("1d2h"), 26h);
    EXPECT_EQ(ok("1.5d"), 36h);
}

TEST(ParseDuration, ZeroSignsAndPlainNumbers) {
    EXPECT_EQ(ok("0"), 0s);
    EXPECT_EQ(ok("+0"), 0s);
    EXPECT_EQ(ok("-1s"), -1s);
    EXPECT_EQ(ok("+2s"), 2s);
    EXPECT_EQ(ok("1500"), 1500ms);
    EXPECT_EQ(ok("-20"), -20ms);
    EXPECT_EQ(ok("1.5"), 1500us); // strconv.ParseFloat in k6's ParseExtendedDuration
    EXPECT_EQ(ok(".5"), 500us);
}

TEST(ParseDuration, ErrorsNameTheTextAndHaveAHint) {
    EXPECT_EQ(err("1x"), R"(invalid duration "1x": unknown unit "x")");
    EXPECT_EQ(err("1.5.2"), R"(invalid duration "1.5.2": missing unit)");
    EXPECT_EQ(err(""), R"(invalid duration "": empty value)");
    EXPECT_EQ(err("-"), R"(invalid duration "-": empty value)");
    EXPECT_EQ(err("s"), R"(invalid duration "s": expected a number)");
    EXPECT_EQ(err("1s."), R"(invalid duration "1s.": expected a number)");
    EXPECT_EQ(err("abc"), R"(invalid duration "abc": expected a number)");
    auto r = parse_duration("1x");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().hint.find("1m30s"), std::string::npos);
}

TEST(ParseDuration, Overflow) {
    EXPECT_EQ(err("9999999999999999999s"),
              R"(invalid duration "9999999999999999999s": value out of range)");
    EXPECT_EQ(err("3000000h"), R"(invalid duration "3000000h": value out of range)");
    EXPECT_EQ(err("99999999999999999999"),
              R"(invalid duration "99999999999999999999": value out of range)");
    EXPECT_EQ(err("2562047h50m"), R"(invalid duration "2562047h50m": value out of range)");
}

TEST(ParseDuration, JsonStringsAndMilliseconds) {
    EXPECT_EQ(*duration_from_json(boost::json::parse(R"("1m")")), 1min);
    EXPECT_EQ(*duration_from_json(boost::json::parse("1500")), 1500ms);
    EXPECT_EQ(*duration_from_json(boost::json::parse("0.5")), 500us);
    EXPECT_EQ(*duration_from_json(boost::json::parse("-3")), -3ms);
}

TEST(ParseDuration, JsonErrors) {
    auto b = duration_from_json(boost::json::parse("true"));
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().message,
              "invalid duration true: expected a string or a number of milliseconds");
    auto big = duration_from_json(boost::json::parse("1e300"));
    ASSERT_FALSE(big);
    EXPECT_NE(big.error().message.find("value out of range"), std::string::npos);
    EXPECT_FALSE(duration_from_json(boost::json::parse(R"("2 s")")));
}

TEST(FormatDuration, MatchesGoDurationString) {
    EXPECT_EQ(format_duration(0s), "0s");
    EXPECT_EQ(format_duration(500ms), "500ms");
    EXPECT_EQ(format_duration(1500ms), "1.5s");
    EXPECT_EQ(format_duration(90s), "1m30s");
    EXPECT_EQ(format_duration(1h), "1h0m0s");
    EXPECT_EQ(format_duration(48h), "48h0m0s");
    EXPECT_EQ(format_duration(2500ns), "2.5\xC2\xB5s");
    EXPECT_EQ(format_duration(999ns), "999ns");
    EXPECT_EQ(format_duration(1234567ns), "1.234567ms");
    EXPECT_EQ(format_duration(-1s), "-1s");
    EXPECT_EQ(format_duration(10min + 100ms), "10m0.1s");
}

TEST(FormatDuration, RoundTrips) {
    for (Duration d : {Duration{1}, Duration{1'000'001}, Duration{3'723'000'000'000}}) {
        EXPECT_EQ(ok(format_duration(d)), d) << format_duration(d);
    }
}

} // namespace
} // namespace volley::config
