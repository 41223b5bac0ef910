#include <gtest/gtest.h>

#include "metrics/tags.hpp"

namespace volley::metrics {
namespace {

TEST(TagInterner, EmptySetIsIdZero) {
    TagInterner t;
    EXPECT_EQ(t.intern({}), 0u);
    EXPECT_TRUE(t.get(0).empty());
    EXPECT_EQ(t.size(), 1u);
}

TEST(TagInterner, EqualSetsShareAnId) {
    TagInterner t;
    auto a = t.intern({{"url", "ws://x"}, {"status", "101"}});
    auto b = t.intern({{"status", "101"}, {"url", "ws://x"}});
    auto c = t.intern({{"status", "101"}});
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    EXPECT_EQ(t.get(a).at("url"), "ws://x");
    EXPECT_EQ(t.size(), 3u);
}

TEST(TagInterner, EncodingIsUnambiguous) {
    TagInterner t;
    // Naive concatenation would make these two equal.
    auto a = t.intern({{"ab", "c"}});
    auto b = t.intern({{"a", "bc"}});
    auto c = t.intern({{"a", ""}, {"b", "c"}});
    EXPECT_NE(a, b);
    EXPECT_NE(a, c);
    EXPECT_NE(b, c);
}

TEST(TagInterner, ReferencesStayValidWhileGrowing) {
    TagInterner t;
    auto id = t.intern({{"k", "v"}});
    const TagMap& ref = t.get(id);
    for (int i = 0; i < 10000; ++i) {
        t.intern({{"k", std::to_string(i)}});
    }
    EXPECT_EQ(ref.at("k"), "v");
}

} // namespace
} // namespace volley::metrics
