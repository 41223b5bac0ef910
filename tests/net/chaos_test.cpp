// `volley echo --chaos SEED[:MIX]`: parsing the mix and drawing a misbehaviour per connection.
// What each misbehaviour does to a k6/ws session is in tests/module/ws_chaos_test.cpp.

#include <map>
#include <set>

#include <gtest/gtest.h>

#include "util/error.hpp"
#include "wsecho/chaos.hpp"
#include "wsecho/echo_command.hpp"

namespace volley::wsecho {
namespace {

TEST(Chaos, SeedAloneMeansEveryMisbehaviourOnce) {
    ChaosMix mix = parse_chaos("42");
    EXPECT_EQ(mix.seed, 42U);
    EXPECT_EQ(mix.weights.size(), 14U);
    EXPECT_EQ(describe(mix).substr(0, 18), "echo, reset, hang,");
}

TEST(Chaos, MixWithWeights) {
    ChaosMix mix = parse_chaos("7:echo=3,reset,half-close=0");
    EXPECT_EQ(describe(mix), "echo=3, reset"); // weight 0 leaves a name out
    EXPECT_EQ(parse_chaos("1:echo=4294967295,reset=1").weights.size(), 2U); // no wrap to 0
}

TEST(Chaos, BadMixesAreUserErrorsNamingTheProblem) {
    auto message = [](const char* text) {
        try {
            parse_chaos(text);
        } catch (const UserError& e) {
            EXPECT_NE(std::string(e.hint()).find("half-close"), std::string::npos);
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(message(""), "invalid --chaos: seed \"\" is not a whole number");
    EXPECT_EQ(message("x1"), "invalid --chaos: seed \"x1\" is not a whole number");
    EXPECT_EQ(message("-1"), "invalid --chaos: seed \"-1\" is not a whole number");
    EXPECT_EQ(message("1:nonsense"), "invalid --chaos: unknown misbehaviour \"nonsense\"");
    EXPECT_EQ(message("1:echo,"), "invalid --chaos: unknown misbehaviour \"\"");
    EXPECT_EQ(message("1:echo=x"), "invalid --chaos: weight of \"echo\" is not a whole number");
    EXPECT_EQ(message("1:echo=0"), "invalid --chaos: the weights add up to 0");
    EXPECT_THROW(run_echo_command({"--chaos", "1:what"}), UserError);
}

TEST(Chaos, DrawsDependOnSeedAndConnectionOnly) {
    ChaosMix a = parse_chaos("1");
    ChaosMix b = parse_chaos("2");
    int differ = 0;
    for (std::uint64_t c = 0; c < 100; ++c) {
        ChaosPick x = pick_chaos(a, c);
        ChaosPick y = pick_chaos(a, c);
        EXPECT_EQ(x.what, y.what);
        EXPECT_EQ(x.n, y.n);
        EXPECT_EQ(x.kind, y.kind);
        differ += pick_chaos(b, c).what != x.what ? 1 : 0;
    }
    EXPECT_GT(differ, 50); // another seed, another sequence
}

TEST(Chaos, DrawsFollowTheWeightsAndCarryTheirParameters) {
    ChaosMix mix = parse_chaos("9:echo=2,reset,status,bad-close,garbage");
    std::map<Misbehaviour, int> seen;
    std::set<int> counts;
    std::set<int> statuses;
    std::set<int> codes;
    std::set<std::string> kinds;
    constexpr int kDraws = 6000;
    for (std::uint64_t c = 0; c < kDraws; ++c) {
        ChaosPick p = pick_chaos(mix, c);
        ++seen[p.what];
        switch (p.what) {
        case Misbehaviour::kReset:
            counts.insert(p.n);
            break;
        case Misbehaviour::kStatus:
            statuses.insert(p.n);
            break;
        case Misbehaviour::kBadClose:
            codes.insert(p.n);
            break;
        case Misbehaviour::kGarbage:
            kinds.insert(p.kind);
            break;
        default:
            break;
        }
    }
    EXPECT_EQ(seen.size(), 5U);
    EXPECT_NEAR(seen[Misbehaviour::kEcho], kDraws / 3, kDraws / 20);
    EXPECT_NEAR(seen[Misbehaviour::kReset], kDraws / 6, kDraws / 20);
    EXPECT_EQ(counts, (std::set<int>{1, 2, 3, 4, 5}));
    EXPECT_EQ(statuses, (std::set<int>{200, 400, 403, 500, 503}));
    EXPECT_EQ(codes, (std::set<int>{999, 1005, 1006, 1100}));
    EXPECT_EQ(kinds.size(), 10U);
}

} // namespace
} // namespace volley::wsecho
