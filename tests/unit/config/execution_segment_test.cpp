// Execution segments against k6 v1.6.1's own tables (lib/execution_segment_test.go): parsing,
// errors, Scale, striped offsets, re-cut sequences and the segmented index.

#include <stdexcept>

#include <gtest/gtest.h>

#include "config/execution_segment.hpp"

namespace volley::config {
namespace {

std::string parse_error(std::string_view text) {
    try {
        Segment::parse(text);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

ExecutionTuple tuple(std::string_view segment, std::string_view sequence = "") {
    return {Segment::parse(segment), SegmentSequence::parse(sequence)};
}

TEST(ExecutionSegment, ParsesK6Forms) {
    EXPECT_EQ(Segment::parse("0:1").str(), "0:1");
    EXPECT_EQ(Segment::parse("").str(), "0:1");
    EXPECT_EQ(Segment::parse("0.5:0.75").str(), "1/2:3/4");
    EXPECT_EQ(Segment::parse("1/2:3/4").str(), "1/2:3/4");
    EXPECT_EQ(Segment::parse("50%:75%").str(), "1/2:3/4");
    EXPECT_EQ(Segment::parse("2/4:75%").str(), "1/2:3/4");
    EXPECT_EQ(Segment::parse("75%").str(), "0:3/4");
    EXPECT_EQ(Segment::parse("1e-1:2e-1").str(), "1/10:1/5");
    EXPECT_EQ(Segment::parse(Segment::parse("1/3:2/3").str()), Segment::parse("1/3:2/3"));
}

TEST(ExecutionSegment, RefusesWithK6Texts) {
    EXPECT_EQ(parse_error("125%"), "segment end value can't be more than 1 but was 1.25");
    EXPECT_EQ(parse_error("1a5%"), "'1a5%' is not a valid percentage");
    EXPECT_EQ(parse_error("1a5"),
              "'1a5' is not a valid percentage, decimal, fraction or interval value");
    EXPECT_EQ(parse_error("1a5%:2/3"), "'1a5%' is not a valid percentage");
    EXPECT_EQ(parse_error("125%:250%"), "segment end value can't be more than 1 but was 2.50");
    EXPECT_EQ(parse_error("55%:50%"), "segment start(0.55) must be less than its end(0.50)");
    EXPECT_EQ(parse_error("-1/2:1"), "segment start value must be at least 0 but was -0.50");
    EXPECT_EQ(parse_error("1/2:1/2"), "segment start(0.50) must be less than its end(0.50)");
    EXPECT_EQ(parse_error("1/0"),
              "'1/0' is not a valid percentage, decimal, fraction or interval value");
    EXPECT_EQ(parse_error("1/3:2/3:1"),
              "'2/3:1' is not a valid percentage, decimal, fraction or interval value");
    const char* too_precise = "the fraction is too precise for volley (at most 63 bits in its "
                              "numerator and denominator)";
    EXPECT_EQ(parse_error("1e19"), too_precise);
    EXPECT_EQ(parse_error("64444000000000139763352227755981e12"), too_precise); // > 2^127
    EXPECT_EQ(parse_error("999999999999999999999999999999999999e30"), too_precise);
}

TEST(ExecutionSegment, FloatStringRoundsLikeGo) {
    EXPECT_EQ(Rational(1, 3).float_string(2), "0.33");
    EXPECT_EQ(Rational(2, 3).float_string(2), "0.67");
    EXPECT_EQ(Rational(1, 8).float_string(2), "0.13");
    EXPECT_EQ(Rational(1, 1).float_string(2), "1.00");
    EXPECT_EQ(Rational(1, 3).float_string(0), "0");
}

TEST(ExecutionSegmentSequence, ParsesAndRefuses) {
    EXPECT_EQ(SegmentSequence::parse("0,1/3,2/3,1").str(), "0,1/3,2/3,1");
    EXPECT_EQ(SegmentSequence::parse("0,0.5,1").str(), "0,1/2,1");
    EXPECT_TRUE(SegmentSequence::parse("").empty());
    auto error = [](std::string_view text) {
        try {
            SegmentSequence::parse(text);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_EQ(error("0"),
              "at least 2 points are needed for an execution segment sequence, 1 given");
    EXPECT_EQ(error("0,1/2,1/3"), "segment start(0.50) must be less than its end(0.33)");
    EXPECT_EQ(error("0,x"), "'x' is not a valid percentage, decimal, fraction or interval value");
}

TEST(ExecutionTuple, RefusesASegmentOutsideTheSequence) {
    try {
        tuple("0:1/4", "0,1/3,2/3,1");
        FAIL() << "no error";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "couldn't find segment 0:1/4 in sequence 0,1/3,2/3,1");
    }
}

std::string tuple_error(std::string_view segment, std::string_view sequence = "") {
    try {
        tuple(segment, sequence);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

TEST(ExecutionTuple, RefusesACycleTooLongToStripe) {
    const std::string too_fine = "the execution segments are too fine: their common denominator "
                                 "is above 10000000; use fractions with smaller denominators";
    EXPECT_EQ(tuple_error("0:0.00049008677"), too_fine);
    // Lengths over two large primes and their product: the cycle would be 10^18 long.
    EXPECT_EQ(tuple_error("0:1/1000000009", "0,1/1000000009,1/1000000007,1"), too_fine);
    EXPECT_EQ(tuple_error("0:1/10000000"), "");
    EXPECT_EQ(tuple("0:1/10000000").scale(10'000'000), 1);
}

TEST(ExecutionSegment, ScaleRoundsBothEnds) {
    EXPECT_EQ(Segment::parse("0.5").scale(2), 1);
    EXPECT_EQ(Segment::parse("0.5").scale(3), 2);
    EXPECT_EQ(Segment::parse("0.5:1").scale(2), 1);
    EXPECT_EQ(Segment::parse("0.5:1").scale(3), 1);
    EXPECT_EQ(Segment::parse("").scale(7), 7);
}

TEST(ExecutionTuple, ScaleAsK6) {
    EXPECT_EQ(tuple("0.5").scale(2), 1);
    EXPECT_EQ(tuple("0.5").scale(3), 2);
    EXPECT_EQ(tuple("0.5:1.0").scale(2), 1);
    EXPECT_EQ(tuple("0.5:1.0").scale(3), 1);
    EXPECT_EQ(tuple("0.5", "0,0.5,1").scale(3), 2);
    EXPECT_EQ(tuple("0.5:1.0", "0,0.5,1").scale(3), 1);
    EXPECT_EQ(tuple("0:7/20", "0,7/20,7/10,1").scale(50), 18); // TestBigScale
    EXPECT_FALSE(tuple("").segmented());
    EXPECT_EQ(tuple("").scale(12345), 12345);
}

// Every segment's shares add up to the whole, for every value (TestExecutionTupleScaleConsistency).
TEST(ExecutionTuple, SharesAddUpToTheWhole) {
    for (const char* seq : {"0,1/3,2/3,1", "0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0,1/7,3/11,1", "0,1/2,1",
                            "0,0.2,0.5,0.6,0.7,0.8,0.9,1"}) {
        auto sequence = SegmentSequence::parse(seq);
        for (std::int64_t value = 0; value < 200; ++value) {
            std::int64_t sum = 0;
            for (const auto& s : sequence.segments()) {
                sum += ExecutionTuple(s, sequence).scale(value);
            }
            EXPECT_EQ(sum, value) << seq << " value " << value;
        }
    }
}

struct StripeCase {
    const char* seq;
    const char* seg;
    std::int64_t start;
    std::vector<std::int64_t> offsets;
    std::int64_t lcd;
};

TEST(ExecutionTuple, StripedOffsetsAsK6) {
    const std::vector<StripeCase> cases = {
        {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0:0.3", 0, {4, 3, 3}, 10},
        {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.3:0.5", 1, {4, 6}, 10},
        {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.5:0.6", 2, {10}, 10},
        {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.6:0.7", 3, {10}, 10},
        {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.8:0.9", 8, {10}, 10},
        {"0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.9:1", 9, {10}, 10},
        {"0,0.2,0.5,0.6,0.7,0.8,0.9,1", "0.9:1", 9, {10}, 10},
        {"0,0.2,0.5,0.6,0.7,0.8,0.9,1", "0:0.2", 1, {4, 6}, 10},
        {"0,0.2,0.5,0.6,0.7,0.8,0.9,1", "0.6:0.7", 3, {10}, 10},
        {"0,0.2,0.5", "0:0.2", 3, {6, 4}, 10},
        {"0,0.2,0.5", "0.2:0.5", 1, {4, 2, 4}, 10},
        {"0,2/5,4/5", "0:2/5", 0, {3, 2}, 5},
        {"0,2/5,4/5", "2/5:4/5", 1, {3, 2}, 5},
        {"", "0:0.2", 1, {5}, 5},
        {"", "0:1/5", 1, {5}, 5},
        {"", "0:2/10", 1, {5}, 5},
        {"", "0:0.4", 1, {2, 3}, 5},
        {"", "0:2/5", 1, {2, 3}, 5},
        {"", "2/5:4/5", 1, {3, 2}, 5},
        {"", "0:4/10", 1, {2, 3}, 5},
        {"", "1/10:5/10", 1, {2, 2, 4, 2}, 10},
    };
    for (const auto& c : cases) {
        auto t = tuple(c.seg, c.seq);
        const Stripe& s = t.stripe();
        EXPECT_EQ(s.start, c.start) << c.seq << " " << c.seg;
        EXPECT_EQ(s.offsets, c.offsets) << c.seq << " " << c.seg;
        EXPECT_EQ(s.lcd, c.lcd) << c.seq << " " << c.seg;
    }
}

TEST(ExecutionTuple, GlobalIndexWalksTheStripe) {
    auto t = tuple("0.3:0.5", "0,0.3,0.5,0.6,0.7,0.8,0.9,1"); // 1, +4, +6
    const Stripe& s = t.stripe();
    std::vector<std::uint64_t> got;
    for (std::uint64_t i = 0; i < 5; ++i) {
        got.push_back(s.global(i));
    }
    EXPECT_EQ(got, (std::vector<std::uint64_t>{1, 5, 11, 15, 21}));
    EXPECT_EQ(Stripe().global(41), 41U);
}

TEST(ExecutionTuple, ForValueRecutsTheSequence) {
    auto recut = tuple("0:1/3", "0,1/3,2/3,1").for_value(20);
    ASSERT_TRUE(recut);
    EXPECT_EQ(recut->segment().str(), "0:7/20");
    EXPECT_EQ(recut->scale(20), 7);
    // Fewer elements than segments: the last segment gets none of 2.
    EXPECT_FALSE(tuple("2/3:1", "0,1/3,2/3,1").for_value(2));
    EXPECT_FALSE(tuple("").for_value(0));
    auto same = tuple("0:1/3", "0,1/3,2/3,1").for_value(9);
    ASSERT_TRUE(same);
    EXPECT_EQ(same->segment().str(), "0:1/3");
}

TEST(SegmentedIndex, HalfStripeAsK6) {
    Stripe half(0, {2}, 2);
    SegmentedIndex s(half);
    auto p = s.next();
    EXPECT_EQ(p.scaled, 1);
    EXPECT_EQ(p.unscaled, 1);
    p = s.prev();
    EXPECT_EQ(p.scaled, 0);
    EXPECT_EQ(p.unscaled, 0);
    s.next();
    p = s.next();
    EXPECT_EQ(p.scaled, 2);
    EXPECT_EQ(p.unscaled, 3);
    p = s.next();
    EXPECT_EQ(p.scaled, 3);
    EXPECT_EQ(p.unscaled, 5);
    p = s.prev();
    EXPECT_EQ(p.scaled, 2);
    EXPECT_EQ(p.unscaled, 3);
}

TEST(SegmentedIndex, GoToMatchesWalking) {
    for (const char* seg : {"0:1/3", "1/3:2/3", "2/3:1"}) {
        auto t = tuple(seg, "0,1/3,2/3,1");
        for (std::int64_t value = 0; value < 30; ++value) {
            SegmentedIndex walk(t.stripe());
            SegmentedIndex::Pos last;
            while (true) {
                SegmentedIndex probe = walk;
                auto p = probe.next();
                if (p.unscaled > value) {
                    break;
                }
                last = walk.next();
            }
            SegmentedIndex jump(t.stripe());
            auto p = jump.go_to(value);
            EXPECT_EQ(p.scaled, last.scaled) << seg << " " << value;
            EXPECT_EQ(p.scaled, t.scale(value)) << seg << " " << value;
            if (p.scaled > 0) {
                EXPECT_EQ(p.unscaled, last.unscaled) << seg << " " << value;
            }
        }
    }
}

} // namespace
} // namespace volley::config
