#include "modules/http_async.hpp"

#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include <boost/asio/spawn.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

#include "js/event_loop.hpp"
#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/http_exchange.hpp"
#include "modules/http_request.hpp"
#include "modules/http_response.hpp"
#include "modules/http_state.hpp"
#include "modules/vu_api.hpp"

namespace volley::modules::http {
namespace {

// An asyncRequest's JS side: its promise's functions. The coroutine hands it to the settling
// task once the exchange is over (or drops it before the VU may go), so that its JS values go
// with the VU's event loop, before the runtime.
struct Pending {
    js::Value resolve, reject;
};

// Its hold on the event loop, shared by the coroutine, the task and the stop hook (which the
// loop keeps even after it dropped the task).
struct Hold {
    int stop_hook = 0;
    bool holding = true;
};

// Its C++ side, which the coroutine uses.
struct Work {
    ParsedRequest req;
    Exchange ex;
    std::string failure; // what a C++ exception said, if the exchange threw
};

// Calls a promise's resolve or reject function with `value` (taken); false if it threw.
bool call_settler(JSContext* ctx, const js::Value& fn, JSValue value) {
    JSValue r = JS_Call(ctx, fn.get(), JS_UNDEFINED, 1, &value);
    JS_FreeValue(ctx, value);
    bool ok = !JS_IsException(r);
    JS_FreeValue(ctx, r);
    return ok;
}

// Settles a promise: resolve with `value`, or reject with the pending exception. False (the
// exception left pending) when it is uncatchable: the VU is being stopped.
bool settle(JSContext* ctx, const Pending& p, JSValue value) {
    if (!JS_IsException(value)) {
        return call_settler(ctx, p.resolve, value);
    }
    value = JS_GetException(ctx);
    if (js::is_uncatchable(ctx, value)) {
        JS_Throw(ctx, value);
        return false;
    }
    return call_settler(ctx, p.reject, value);
}

// Rejects with k6's Go error, which scripts see as its bare text (String(e) has no "GoError:").
bool reject_with_text(JSContext* ctx, const Pending& p, const std::string& text) {
    return call_settler(ctx, p.reject, JS_NewStringLen(ctx, text.data(), text.size()));
}

// Why k6's asyncRequest rejects: MakeRequest's error (a 101 response, or a failed request
// under `throw`); nullopt when it resolves with the response.
std::optional<std::string> rejection(const Work& w) {
    if (!w.failure.empty()) {
        return w.failure;
    }
    if (w.ex.unsupported_101) {
        return "unsupported response status: " + w.ex.response.status_text;
    }
    if (w.ex.response.error && w.req.throw_errors) {
        return w.ex.error_detail;
    }
    return std::nullopt;
}

// Lets go of the event loop (once): from the settling task, or from the stop hook when the
// iteration ended first.
void unhold(VuApi& vu, Hold& h) {
    if (h.holding) {
        h.holding = false;
        vu.event_loop().remove_stop_hook(h.stop_hook);
        vu.event_loop().release();
    }
}

// The coroutine: the exchange, then the task that settles the promise. The VU may go once
// async_ended() is told or the task runs (enqueue() may run the VU inline), so nothing here
// touches the VU after that, and the JS side is handed to the task.
void run(VuApi& vu, std::shared_ptr<Pending> pending, const std::shared_ptr<Hold>& hold,
         const std::shared_ptr<Work>& work, Yield yield) {
    try {
        work->ex = run_exchange(vu, work->req, yield);
    } catch (const std::exception& e) {
        work->failure = e.what();
    }
    if (!hold->holding) { // the iteration ended meanwhile
        pending.reset();  // its JS values go before the VU may
        vu.http_state().async_ended();
        return;
    }
    vu.http_state().async_ended();
    JSContext* ctx = vu.context();
    vu.event_loop().enqueue([&vu, p = std::move(pending), hold, work, ctx] {
        if (!hold->holding) {
            return true;
        }
        unhold(vu, *hold);
        if (auto why = rejection(*work)) {
            return reject_with_text(ctx, *p, *why);
        }
        return settle(ctx, *p, js::firewall(ctx, [&] {
                          return exchange_result(ctx, vu, work->req, work->ex);
                      }));
    });
}

} // namespace

JSValue async_request(JSContext* ctx, VuApi& vu, std::string method, JSValueConst url,
                      JSValueConst body, JSValueConst params) {
    if (vu.in_init_context()) {
        throw js::Error("Making http requests in the init context is not supported");
    }
    if (vu.interrupted()) {
        return js::throw_uncatchable(ctx, "interrupted");
    }
    auto parsed = parse_request(ctx, vu, std::move(method), url, body, params);
    JSValue funcs[2];
    JSValue promise = JS_NewPromiseCapability(ctx, funcs);
    if (JS_IsException(promise)) {
        return promise;
    }
    auto pending = std::make_shared<Pending>();
    pending->resolve = js::Value(ctx, funcs[0]);
    pending->reject = js::Value(ctx, funcs[1]);
    if (auto* failure = std::get_if<ParseFailure>(&parsed)) {
        bool ok = vu.settings().throw_errors
                      ? reject_with_text(ctx, *pending, failure->message)
                      : settle(ctx, *pending, js::firewall(ctx, [&] {
                                   return parse_failure_result(ctx, vu, *failure);
                               }));
        if (!ok) {
            JS_FreeValue(ctx, promise);
            return JS_EXCEPTION;
        }
        return promise;
    }
    auto work = std::make_shared<Work>();
    work->req = std::move(std::get<ParsedRequest>(parsed));
    work->req.vu_tags = std::make_shared<const metrics::TagMap>(vu.tags());
    auto hold = std::make_shared<Hold>();
    vu.event_loop().hold();
    hold->stop_hook = vu.event_loop().add_stop_hook([&vu, hold] {
        unhold(vu, *hold);
        vu.http_state().cancel(); // the iteration is over, and so is each of its requests
    });
    vu.http_state().async_started();
    try {
        boost::asio::spawn(
            vu.io().get_executor(), std::allocator_arg,
            boost::context::protected_fixedsize_stack(std::size_t{256} * 1024),
            [&vu, pending = std::move(pending), hold, work](Yield yield) mutable {
                run(vu, std::move(pending), hold, work, yield);
            },
            [](const std::exception_ptr&) {}); // run() lets no exception out
    } catch (const std::exception& e) {        // no stack for the coroutine (mmap failed)
        vu.http_state().async_ended();
        unhold(vu, *hold);
        JS_FreeValue(ctx, promise);
        throw js::Error(std::string("asyncRequest could not start: ") + e.what());
    }
    return promise;
}

} // namespace volley::modules::http
