// The rps limit's turns (modules/rps_limit.hpp), with the clock passed in: golang.org/x/time/rate
// with a burst of 1 lets the first request go at once and spaces the rest by 1/rps, from one
// thread or many.

#include <algorithm>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "modules/rps_limit.hpp"

namespace volley::modules {
namespace {

using std::chrono::milliseconds;

TEST(RpsLimit, FirstAtOnceThenOneEveryInterval) {
    RpsLimit limit(10); // 100 ms apart
    const SteadyClock::time_point t0 = SteadyClock::now();
    EXPECT_EQ(limit.reserve(t0), t0);
    EXPECT_EQ(limit.reserve(t0), t0 + milliseconds(100));
    EXPECT_EQ(limit.reserve(t0 + milliseconds(50)), t0 + milliseconds(200));
    // Idle for long: the next goes at once, with no burst saved up.
    const SteadyClock::time_point later = t0 + milliseconds(5000);
    EXPECT_EQ(limit.reserve(later), later);
    EXPECT_EQ(limit.reserve(later), later + milliseconds(100));
    EXPECT_EQ(limit.turns(), 5u);
}

TEST(RpsLimit, ThreadsShareOneSequenceOfTurns) {
    RpsLimit limit(1000); // 1 ms apart
    const SteadyClock::time_point t0 = SteadyClock::now();
    constexpr int kPerThread = 500;
    std::vector<std::vector<SteadyClock::time_point>> got(2);
    std::vector<std::thread> threads;
    for (auto& out : got) {
        threads.emplace_back([&limit, &out, t0] {
            for (int i = 0; i < kPerThread; ++i) {
                out.push_back(limit.reserve(t0));
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    std::vector<SteadyClock::time_point> all = got[0];
    all.insert(all.end(), got[1].begin(), got[1].end());
    std::sort(all.begin(), all.end());
    for (std::size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(all[i], t0 + milliseconds(static_cast<int>(i))) << i;
    }
}

TEST(RpsLimit, BeyondOnePerNanosecondIsUnlimited) {
    RpsLimit limit(5'000'000'000);
    const SteadyClock::time_point t0 = SteadyClock::now();
    limit.reserve(t0);
    EXPECT_EQ(limit.reserve(t0), t0 + std::chrono::nanoseconds(1));
}

} // namespace
} // namespace volley::modules
