// Contexts sharing one QuickJS runtime (js/runtime_group.hpp): who shares, and that VUs suspended
// inside JS on their own coroutines keep their own stack frames, stack bounds, promise jobs,
// interrupts and rejections while others run.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include <gtest/gtest.h>

#include "js/runtime.hpp"
#include "js/value.hpp"
#include "util/coroutine.hpp"

namespace volley::js {
namespace {

js::RuntimeOptions shared_by(std::size_t n) {
    js::RuntimeOptions o;
    o.contexts_per_runtime = n;
    o.max_stack_bytes = std::size_t{128} * 1024;
    return o;
}

TEST(RuntimeGroup, ContextsShareARuntimeUpToTheCapacity) {
    Runtime a(shared_by(2));
    Runtime b(shared_by(2));
    Runtime c(shared_by(2));
    Runtime own; // contexts_per_runtime 1
    EXPECT_EQ(a.runtime(), b.runtime());
    EXPECT_NE(c.runtime(), a.runtime());
    EXPECT_NE(own.runtime(), a.runtime());
    EXPECT_NE(own.runtime(), c.runtime());
    EXPECT_EQ(&Runtime::of(b.context()), &b);
    Runtime other_limit([] {
        auto o = shared_by(2);
        o.max_stack_bytes = std::size_t{64} * 1024;
        return o;
    }());
    EXPECT_NE(other_limit.runtime(), c.runtime()); // a group's contexts have the same options
}

TEST(RuntimeGroup, SharedStringsAreOneStringPerGroup) {
    Runtime a(shared_by(2));
    Runtime b(shared_by(2));
    Runtime c(shared_by(2));
    js::Value in_a(a.context(), a.shared_string("ws://127.0.0.1:8765/"));
    js::Value in_b(b.context(), b.shared_string("ws://127.0.0.1:8765/"));
    js::Value in_c(c.context(), c.shared_string("ws://127.0.0.1:8765/"));
    EXPECT_EQ(JS_VALUE_GET_PTR(in_a.get()), JS_VALUE_GET_PTR(in_b.get()));
    EXPECT_NE(JS_VALUE_GET_PTR(in_a.get()), JS_VALUE_GET_PTR(in_c.get())); // another runtime
    EXPECT_EQ(js::to_string_lossy(b.context(), in_b.get()), "ws://127.0.0.1:8765/");
}

// A VU of the test: a context on its own coroutine, with `pause(ms)` (suspends the coroutine
// like sleep() does, inside a Suspension) and `later(ms, fn)` (suspends, then calls fn from native
// code, as k6/ws calls a handler after waiting on its socket).
struct TestVu {
    explicit TestVu(boost::asio::io_context& context) : io(context), rt(shared_by(4)) {
        JS_AddIntrinsicEval(rt.context());
        rt.set_user(this);
        js::Value global(rt.context(), JS_GetGlobalObject(rt.context()));
        JS_SetPropertyStr(rt.context(), global.get(), "pause",
                          JS_NewCFunction(rt.context(), &TestVu::pause, "pause", 1));
        JS_SetPropertyStr(rt.context(), global.get(), "later",
                          JS_NewCFunction(rt.context(), &TestVu::later, "later", 2));
    }

    void suspend_for(JSContext* ctx, JSValueConst ms) {
        int32_t n = 0;
        JS_ToInt32(ctx, &n, ms);
        SteadyTimer timer(io.get_executor(), std::chrono::milliseconds(n));
        Runtime::Suspension s(rt);
        timer.async_wait(*yield);
    }
    static JSValue pause(JSContext* ctx, JSValueConst /*self*/, int /*argc*/, JSValueConst* argv) {
        static_cast<TestVu*>(Runtime::of(ctx).user())->suspend_for(ctx, argv[0]);
        return JS_UNDEFINED;
    }
    static JSValue later(JSContext* ctx, JSValueConst /*self*/, int /*argc*/, JSValueConst* argv) {
        static_cast<TestVu*>(Runtime::of(ctx).user())->suspend_for(ctx, argv[0]);
        return JS_Call(ctx, argv[1], JS_UNDEFINED, 0, nullptr);
    }

    // Runs `source` (a script) at the top level of this VU's coroutine; its value as a string.
    std::string run(const std::string& source, Yield& y) {
        yield = &y;
        rt.enter();
        js::Value v(rt.context(), JS_Eval(rt.context(), source.c_str(), source.size(), "<vu>",
                                          JS_EVAL_TYPE_GLOBAL));
        if (v.is_exception()) {
            js::Value e(rt.context(), JS_GetException(rt.context()));
            return "threw: " + js::to_string_lossy(rt.context(), e.get());
        }
        return js::to_string_lossy(rt.context(), v.get());
    }

    boost::asio::io_context& io;
    Runtime rt;
    Yield* yield = nullptr;
};

void start(boost::asio::io_context& io, std::function<void(Yield)> fn) {
    boost::asio::spawn(
        io.get_executor(), std::allocator_arg,
        boost::context::protected_fixedsize_stack(std::size_t{256} * 1024),
        [fn = std::move(fn)](Yield y) { fn(y); },
        [](const std::exception_ptr& e) {
            if (e) {
                std::rethrow_exception(e);
            }
        });
}

// Two VUs of one runtime on an io_context, and `body` run on a coroutine of it.
struct TwoVus {
    boost::asio::io_context io;
    TestVu a{io};
    TestVu b{io};

    void run(const std::function<void(Yield&)>& body) {
        start(io, [&body](Yield y) { body(y); });
        io.run();
    }
};

TEST(RuntimeGroup, SuspendedVusKeepTheirOwnStackFramesAndBounds) {
    boost::asio::io_context io;
    TestVu a(io);
    TestVu b(io);
    ASSERT_EQ(a.rt.runtime(), b.rt.runtime());
    std::string a_stack;
    std::string a_deep;
    std::string b_stack;
    // A waits 30 ms inside a1 -> a2 -> later(); B starts meanwhile and is suspended inside b1
    // when A resumes and calls back into JS, then B finishes before A's callback returns.
    start(io, [&](Yield y) {
        a_stack = a.run(R"(
            function a2() { return later(30, function cb() {
                pause(40); // B resumes and ends meanwhile
                return new Error('a').stack; }); }
            function a1() { return a2(); }
            a1();
        )",
                        y);
        a_deep = a.run(R"(
            function r(n) { return n === 0 ? 0 : 1 + r(n - 1); }
            try { r(1e6); 'no limit' } catch (e) { String(e) }
        )",
                       y);
    });
    start(io, [&](Yield y) {
        b_stack = b.run(R"(
            function b1() { pause(50); return new Error('b').stack; }
            b1();
        )",
                        y);
    });
    io.run();
    EXPECT_NE(a_stack.find("at cb"), std::string::npos) << a_stack;
    EXPECT_NE(a_stack.find("at a2"), std::string::npos) << a_stack;
    EXPECT_NE(a_stack.find("at a1"), std::string::npos) << a_stack;
    EXPECT_EQ(a_stack.find("b1"), std::string::npos) << a_stack;
    EXPECT_NE(b_stack.find("at b1"), std::string::npos) << b_stack;
    EXPECT_EQ(b_stack.find("a1"), std::string::npos) << b_stack;
    EXPECT_EQ(a_deep,
              "InternalError: stack overflow"); // A's own stack bound, after B ran on another stack
}

TEST(RuntimeGroup, PromiseJobsRunOnlyInTheirOwnContext) {
    TwoVus vus;
    TestVu& a = vus.a;
    TestVu& b = vus.b;
    vus.run([&](Yield& y) {
        a.run("globalThis.ran = 'no'; Promise.resolve().then(() => { ran = 'yes'; });", y);
        b.run("globalThis.ran = 'no'; 1", y);
        EXPECT_TRUE(b.rt.run_jobs());
        EXPECT_EQ(b.run("ran", y), "no");
        EXPECT_EQ(a.run("ran", y), "no");
        a.rt.enter();
        EXPECT_TRUE(a.rt.run_jobs());
        EXPECT_EQ(a.run("ran", y), "yes");
    });
}

TEST(RuntimeGroup, AnInterruptStopsOnlyItsOwnContext) {
    TwoVus vus;
    vus.run([&](Yield& y) {
        vus.a.rt.interrupt();
        EXPECT_EQ(vus.b.run("let n = 0; for (let i = 0; i < 200000; i++) n += i; n", y),
                  "19999900000");
        EXPECT_EQ(vus.a.run("for (;;) {}", y), "threw: InternalError: interrupted");
    });
}

TEST(RuntimeGroup, RejectionsGoToTheirOwnContextsTracker) {
    TwoVus vus;
    TestVu& a = vus.a;
    TestVu& b = vus.b;
    std::vector<std::string> seen;
    a.rt.set_rejection_tracker([&](JSValueConst, JSValueConst reason, bool handled) {
        seen.push_back("a:" + js::to_string_lossy(a.rt.context(), reason) + (handled ? "+" : "-"));
    });
    b.rt.set_rejection_tracker([&](JSValueConst, JSValueConst reason, bool handled) {
        seen.push_back("b:" + js::to_string_lossy(b.rt.context(), reason) + (handled ? "+" : "-"));
    });
    vus.run([&](Yield& y) {
        b.run("Promise.reject('x'); 1", y);
        a.run("Promise.reject('y'); 1", y);
    });
    EXPECT_EQ(seen, (std::vector<std::string>{"b:x-", "a:y-"}));
}

} // namespace
} // namespace volley::js
