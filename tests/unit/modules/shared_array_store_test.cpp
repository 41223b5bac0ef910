// k6/data's store (modules/shared_array_store.hpp, shared_array_data.hpp): one build per name
// across threads (k6's TestSharedArraysLoadOrStoreBuildsOnce), failed builds retried, nested
// builds of other names, and the elements' texts kept back to back.

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "modules/shared_array_store.hpp"

namespace volley::modules {
namespace {

std::shared_ptr<const SharedArrayData> data_of(std::initializer_list<std::string_view> texts) {
    auto d = std::make_shared<SharedArrayData>();
    for (auto t : texts) {
        d->append(t);
    }
    d->shrink();
    return d;
}

TEST(SharedArrayData, KeepsEachTextTerminated) {
    auto d = data_of({"{\"a\":1}", "", "undefined", "[1,2]"});
    ASSERT_EQ(d->size(), 4u);
    EXPECT_EQ(d->element(0), "{\"a\":1}");
    EXPECT_EQ(d->element(1), "");
    EXPECT_EQ(d->element(2), "undefined");
    EXPECT_EQ(d->element(3), "[1,2]");
    for (std::size_t i = 0; i < d->size(); ++i) {
        EXPECT_EQ(d->element(i).data()[d->element(i).size()], '\0'); // JS_ParseJSON needs it
    }
    EXPECT_GE(d->bytes(), 7u + 0 + 9 + 5 + 4 + 4 * sizeof(std::size_t));
}

TEST(SharedArrayStore, ConcurrentCallersBuildOnce) {
    SharedArrayStore store;
    std::atomic<int> builds{0};
    std::vector<std::shared_ptr<const SharedArrayData>> got(10);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < got.size(); ++i) {
        threads.emplace_back([&, i] {
            got[i] = store.get_or_build("shared", [&] {
                ++builds;
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                return data_of({"1"});
            });
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(builds.load(), 1);
    for (const auto& g : got) {
        EXPECT_EQ(g, got[0]); // the very same data, not a copy
    }
}

TEST(SharedArrayStore, AFailedBuildIsRetriedAndNamesAreApart) {
    SharedArrayStore store;
    EXPECT_THROW(store.get_or_build("a",
                                    []() -> std::shared_ptr<const SharedArrayData> {
                                        throw std::runtime_error("boom");
                                    }),
                 std::runtime_error);
    auto a = store.get_or_build("a", [] { return data_of({"1"}); });
    auto b = store.get_or_build("b", [] { return data_of({"2", "3"}); });
    EXPECT_EQ(a->size(), 1u);
    EXPECT_EQ(b->size(), 2u);
    EXPECT_EQ(store.get_or_build("a", [] { return data_of({}); }), a);
}

TEST(SharedArrayStore, NestedBuildsOfOtherNamesWorkAndOfTheSameNameThrow) {
    SharedArrayStore store;
    auto outer = store.get_or_build("outer", [&] {
        auto inner = store.get_or_build("inner", [] { return data_of({"1"}); });
        EXPECT_THROW(store.get_or_build("outer", [] { return data_of({}); }),
                     SharedArrayStore::BuildInProgress);
        return data_of({"2", "3"});
    });
    EXPECT_EQ(outer->size(), 2u);
    EXPECT_EQ(store.get_or_build("inner", [] { return data_of({}); })->size(), 1u);
}

} // namespace
} // namespace volley::modules
