// Objects made from kept templates (js/object_template.hpp): the values, the order and the
// shape of each object, for repeated, changed and repeated-name lists of fields.

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "js/object_template.hpp"
#include "js/runtime.hpp"
#include "js/value.hpp"

namespace volley::js {
namespace {

using Fields = RepeatingObjectTemplate::Fields;

std::string json(JSContext* ctx, JSValue v) {
    Value owned(ctx, v);
    return json_stringify(ctx, owned.get()).value_or("<not JSON>");
}

// The own property names of `obj`, in order.
std::vector<std::string> own_names(JSContext* ctx, JSValueConst obj) {
    std::vector<std::string> out;
    EXPECT_TRUE(own_keys(ctx, obj, out));
    return out;
}

TEST(ObjectTemplate, InstancesHaveTheNamesInOrderAndTheirOwnValues) {
    Runtime rt;
    JSContext* ctx = rt.context();
    ObjectTemplate t;
    EXPECT_FALSE(t.ready());
    t.make(ctx, 0, {"url", "status"});
    EXPECT_TRUE(t.ready());
    JSValue a = t.instantiate(ctx);
    ObjectTemplate::set(ctx, a, 0, new_string(ctx, "ws://x/"));
    ObjectTemplate::set(ctx, a, 1, JS_NewInt32(ctx, 101));
    JSValue b = t.instantiate(ctx);
    ObjectTemplate::set(ctx, b, 1, JS_NewInt32(ctx, 404));
    EXPECT_EQ(json(ctx, a), R"({"url":"ws://x/","status":101})");
    EXPECT_EQ(json(ctx, b), R"({"status":404})"); // url stays undefined
}

TEST(RepeatingObjectTemplate, RepeatedNamesKeepEachObjectsValues) {
    Runtime rt;
    JSContext* ctx = rt.context();
    RepeatingObjectTemplate t;
    Fields first{{"Upgrade", "websocket"}, {"Connection", "Upgrade"}};
    Fields second{{"Upgrade", "WebSocket"}, {"Connection", "upgrade"}};
    Value a(ctx, t.make(ctx, first));
    Value b(ctx, t.make(ctx, second));
    EXPECT_EQ(json(ctx, JS_DupValue(ctx, a.get())),
              R"({"Upgrade":"websocket","Connection":"Upgrade"})");
    EXPECT_EQ(json(ctx, JS_DupValue(ctx, b.get())),
              R"({"Upgrade":"WebSocket","Connection":"upgrade"})");
}

TEST(RepeatingObjectTemplate, OtherNamesOrOrderMakeANewTemplate) {
    Runtime rt;
    JSContext* ctx = rt.context();
    RepeatingObjectTemplate t;
    EXPECT_EQ(json(ctx, t.make(ctx, {{"A", "1"}, {"B", "2"}})), R"({"A":"1","B":"2"})");
    EXPECT_EQ(json(ctx, t.make(ctx, {{"B", "3"}, {"A", "4"}})), R"({"B":"3","A":"4"})");
    EXPECT_EQ(json(ctx, t.make(ctx, {{"B", "5"}})), R"({"B":"5"})");
    EXPECT_EQ(json(ctx, t.make(ctx, {})), "{}");
    EXPECT_EQ(json(ctx, t.make(ctx, {{"A", "6"}, {"B", "7"}, {"C", "8"}})),
              R"({"A":"6","B":"7","C":"8"})");
}

TEST(RepeatingObjectTemplate, ANameTwiceKeepsTheLastValue) {
    Runtime rt;
    JSContext* ctx = rt.context();
    RepeatingObjectTemplate t;
    Fields twice{{"Set-Cookie", "a=1"}, {"Server", "x"}, {"Set-Cookie", "b=2"}};
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(json(ctx, t.make(ctx, twice)), R"({"Set-Cookie":"b=2","Server":"x"})");
    }
}

TEST(RepeatingObjectTemplate, ProtoIsAnOwnProperty) {
    Runtime rt;
    JSContext* ctx = rt.context();
    RepeatingObjectTemplate t;
    for (int i = 0; i < 2; ++i) {
        Value o(ctx, t.make(ctx, {{"__proto__", "p"}, {"b", "q"}}));
        EXPECT_EQ(own_names(ctx, o.get()), (std::vector<std::string>{"__proto__", "b"}));
    }
}

} // namespace
} // namespace volley::js
