#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

#include <gtest/gtest.h>

#include "metrics/histogram.hpp"

namespace volley::metrics {
namespace {

const double kPcts[] = {0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1};

// Checks every percentile of the histogram against the exact reference, within the documented
// bound (relative to the larger magnitude of the two ranks interpolated between).
void expect_within_bound(std::vector<double> values) {
    LogLinearHistogram h;
    for (double v : values) {
        h.add(v);
    }
    std::sort(values.begin(), values.end());
    ASSERT_EQ(h.count(), values.size());
    EXPECT_EQ(h.min(), values.front());
    EXPECT_EQ(h.max(), values.back());
    for (double p : kPcts) {
        double exact = exact_percentile(values, p);
        double i = p * (static_cast<double>(values.size()) - 1);
        double scale = std::max(std::fabs(values[static_cast<std::size_t>(std::floor(i))]),
                                std::fabs(values[static_cast<std::size_t>(std::ceil(i))]));
        double tolerance = scale * LogLinearHistogram::kMaxRelativeError + 1e-9;
        EXPECT_NEAR(h.percentile(p), exact, tolerance) << "p=" << p;
    }
}

std::vector<double> generate(std::size_t n, const std::function<double(std::mt19937_64&)>& f) {
    std::mt19937_64 rng(42);
    std::vector<double> v(n);
    for (auto& x : v) {
        x = f(rng);
    }
    return v;
}

TEST(ExactPercentile, IsK6Formula) {
    EXPECT_EQ(exact_percentile({}, 0.5), 0);
    EXPECT_EQ(exact_percentile({7}, 0.95), 7);
    std::vector<double> v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    EXPECT_DOUBLE_EQ(exact_percentile(v, 0.95), 9.55); // index 8.55
    EXPECT_DOUBLE_EQ(exact_percentile(v, 0.5), 5.5);
    EXPECT_EQ(exact_percentile(v, 1), 10);
    EXPECT_EQ(exact_percentile(v, 0), 1);
}

TEST(LogLinearHistogram, EmptyIsZero) {
    LogLinearHistogram h;
    EXPECT_EQ(h.count(), 0u);
    EXPECT_EQ(h.percentile(0.5), 0);
}

TEST(LogLinearHistogram, Uniform) {
    std::uniform_real_distribution<double> d(0, 1000);
    expect_within_bound(generate(200'000, [&](auto& r) { return d(r); }));
}

TEST(LogLinearHistogram, Exponential) {
    std::exponential_distribution<double> d(1.0 / 50);
    expect_within_bound(generate(200'000, [&](auto& r) { return d(r); }));
}

TEST(LogLinearHistogram, Bimodal) {
    std::normal_distribution<double> fast(1, 0.1);
    std::normal_distribution<double> slow(900, 50);
    std::bernoulli_distribution pick(0.97);
    expect_within_bound(generate(200'000, [&](auto& r) { return pick(r) ? fast(r) : slow(r); }));
}

TEST(LogLinearHistogram, Constant) {
    std::vector<double> v(10'000, 123.456);
    LogLinearHistogram h;
    for (double x : v) {
        h.add(x);
    }
    // Clamping to the exact min/max makes a constant exact.
    EXPECT_EQ(h.percentile(0.5), 123.456);
    EXPECT_EQ(h.percentile(0.99), 123.456);
}

TEST(LogLinearHistogram, HugeRange) {
    std::uniform_real_distribution<double> exponent(-9, 15);
    expect_within_bound(generate(100'000, [&](auto& r) { return std::pow(10.0, exponent(r)); }));
}

TEST(LogLinearHistogram, ZerosAndNegatives) {
    std::uniform_int_distribution<int> kind(0, 2);
    std::uniform_real_distribution<double> mag(0.001, 500);
    expect_within_bound(generate(100'000, [&](auto& r) {
        int k = kind(r);
        return k == 0 ? 0.0 : (k == 1 ? -mag(r) : mag(r));
    }));
}

TEST(LogLinearHistogram, TinyMagnitudesCountAsZero) {
    LogLinearHistogram h;
    h.add(1e-12);
    h.add(-1e-12);
    h.add(5);
    EXPECT_EQ(h.value_at_rank(1), 0);
    EXPECT_EQ(h.value_at_rank(2), 5);
}

TEST(LogLinearHistogram, ValuesAboveTopShareTopBucketButMaxIsExact) {
    LogLinearHistogram h;
    h.add(1e300);
    h.add(1e200);
    EXPECT_EQ(h.value_at_rank(1), 1e300);
    EXPECT_EQ(h.max(), 1e300);
}

TEST(LogLinearHistogram, MergeEqualsAddingEverything) {
    std::uniform_real_distribution<double> d(-100, 1e6);
    auto values = generate(50'000, [&](auto& r) { return d(r); });
    LogLinearHistogram all;
    LogLinearHistogram a;
    LogLinearHistogram b;
    for (std::size_t i = 0; i < values.size(); ++i) {
        all.add(values[i]);
        (i % 3 == 0 ? a : b).add(values[i]);
    }
    a.merge(b);
    a.merge(LogLinearHistogram{});
    ASSERT_EQ(a.count(), all.count());
    for (double p : kPcts) {
        EXPECT_EQ(a.percentile(p), all.percentile(p)) << p;
    }
}

TEST(LogLinearHistogram, MemoryStaysFlatOverMillionsOfSamples) {
    LogLinearHistogram h;
    std::mt19937_64 rng(1);
    std::lognormal_distribution<double> d(2, 1.5);
    for (int i = 0; i < 100'000; ++i) {
        h.add(d(rng));
    }
    std::size_t after_100k = h.memory_bytes();
    for (int i = 0; i < 3'000'000; ++i) {
        h.add(d(rng));
    }
    EXPECT_LE(h.memory_bytes(), after_100k + 8 * 1024); // only a few new tail buckets
    EXPECT_LE(h.memory_bytes(), 2u * 80 * 128 * 8);
}

TEST(TrendValues, ExactWithinBudgetThenApproximate) {
    TrendValues t(1000);
    for (int i = 1000; i >= 1; --i) {
        t.add(i);
    }
    EXPECT_FALSE(t.approximate());
    EXPECT_DOUBLE_EQ(t.percentile(0.95), 950.05);
    t.add(1001);
    EXPECT_TRUE(t.approximate());
    EXPECT_EQ(t.count(), 1001u);
    EXPECT_NEAR(t.percentile(0.95), 951, 951 * LogLinearHistogram::kMaxRelativeError);
}

TEST(TrendValues, MergeStaysExactWhenItFits) {
    TrendValues a(10);
    TrendValues b(10);
    for (int i = 0; i < 5; ++i) {
        a.add(i);
        b.add(10 + i);
    }
    a.merge(b);
    EXPECT_FALSE(a.approximate());
    EXPECT_EQ(a.count(), 10u);
    EXPECT_DOUBLE_EQ(a.percentile(0.5), 7); // between 4 and 10
    a.merge(b);
    EXPECT_TRUE(a.approximate());
    EXPECT_EQ(a.count(), 15u);
}

TEST(TrendValues, MergeApproximateIntoExactAndBack) {
    TrendValues big(4);
    for (int i = 0; i < 10; ++i) {
        big.add(100);
    }
    ASSERT_TRUE(big.approximate());
    TrendValues small(4);
    small.add(1);
    small.merge(big);
    EXPECT_TRUE(small.approximate());
    EXPECT_EQ(small.count(), 11u);
    TrendValues small2(4);
    small2.add(1);
    big.merge(small2);
    EXPECT_EQ(big.count(), 11u);
    EXPECT_EQ(big.percentile(0), 1);
}

} // namespace
} // namespace volley::metrics
