// http.batch: every request parsed first, then run in parallel on sub-coroutines of the VU's
// thread, at most `batch` at a time and `batchPerHost` per host (k6's MakeBatchRequests).

#include "modules/http_batch.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <variant>

#include <boost/asio/spawn.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

#include "js/native.hpp"
#include "js/value.hpp"
#include "modules/http_exchange.hpp"
#include "modules/http_request.hpp"
#include "modules/http_response.hpp"
#include "modules/vu_api.hpp"
#include "util/log.hpp"

namespace volley::modules::http {
namespace {

using Parsed = std::variant<ParsedRequest, ParseFailure>;

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

// One batch entry: a URL, [method, url, body, params] or {method, url, body, params}.
Parsed parse_entry(JSContext* ctx, VuApi& vu, const std::string& key, JSValueConst v) {
    if (JS_IsArray(ctx, v)) {
        js::Value len(ctx, JS_GetPropertyStr(ctx, v, "length"));
        std::uint32_t n = 0;
        JS_ToUint32(ctx, &n, len.get());
        if (n < 2) {
            return ParseFailure{"invalid batch request '" + js::to_string_lossy(ctx, v) + "'", 0};
        }
        js::Value method(ctx, JS_GetPropertyUint32(ctx, v, 0));
        if (!JS_IsString(method.get())) {
            return ParseFailure{
                "invalid method type '" + js::to_string_lossy(ctx, method.get()) + "'", 0};
        }
        js::Value url(ctx, JS_GetPropertyUint32(ctx, v, 1));
        js::Value body(ctx, n > 2 ? JS_GetPropertyUint32(ctx, v, 2) : JS_UNDEFINED);
        js::Value params(ctx, n > 3 ? JS_GetPropertyUint32(ctx, v, 3) : JS_UNDEFINED);
        return parse_request(ctx, vu, js::to_string_lossy(ctx, method.get()), url.get(), body.get(),
                             params.get());
    }
    if (JS_IsObject(v) && url_of(v) == nullptr) {
        js::Value url(ctx, JS_GetPropertyStr(ctx, v, "url"));
        if (url.is_undefined()) {
            return ParseFailure{"batch request " + key + " doesn't have a url key", 0};
        }
        std::string method = "GET";
        js::Value body(ctx, JS_GetPropertyStr(ctx, v, "body"));
        js::Value m(ctx, JS_GetPropertyStr(ctx, v, "method"));
        if (!m.is_undefined()) {
            if (!JS_IsString(m.get())) {
                return ParseFailure{
                    "invalid method type '" + js::to_string_lossy(ctx, m.get()) + "'", 0};
            }
            method = upper(js::to_string_lossy(ctx, m.get()));
            if (method == "GET" || method == "HEAD") {
                body = js::Value(ctx, JS_UNDEFINED);
            }
        }
        js::Value params(ctx, JS_GetPropertyStr(ctx, v, "params"));
        return parse_request(ctx, vu, method, url.get(), body.get(), params.get());
    }
    return parse_request(ctx, vu, "GET", v, JS_UNDEFINED, JS_UNDEFINED);
}

// The requests of a batch and where their results go.
struct Entry {
    std::string key; // index or object key
    ParsedRequest request;
    Exchange result;
    bool done = false;
};

// Coroutines of one thread waiting for "something finished" (each on its own timer, so waking
// one never re-arms another's).
class Notifier {
public:
    void wait(Yield& yield) {
        SteadyTimer timer(yield.get_executor(), SteadyClock::time_point::max());
        waiters_.push_back(&timer);
        boost::system::error_code ec;
        timer.async_wait(yield[ec]);
        std::erase(waiters_, &timer);
    }
    void notify() {
        for (SteadyTimer* t : waiters_) {
            t->cancel();
        }
    }

private:
    std::vector<SteadyTimer*> waiters_;
};

// Runs every entry with k6's two limits; returns when all are done.
void run_all(VuApi& vu, std::vector<Entry>& entries, Yield yield) {
    const auto& s = vu.settings();
    std::size_t workers = std::min<std::size_t>(
        entries.size(), static_cast<std::size_t>(std::max<std::int64_t>(1, s.batch)));
    auto per_host = static_cast<std::size_t>(std::max<std::int64_t>(1, s.batch_per_host));
    std::map<std::string, std::size_t> busy;
    std::size_t next = 0;
    std::size_t running = workers;
    Notifier wake;
    std::exception_ptr failure;
    auto worker = [&](Yield y) {
        for (;;) {
            auto it = std::find_if(entries.begin() + static_cast<std::ptrdiff_t>(next),
                                   entries.end(), [&](const Entry& e) {
                                       return !e.done && busy[e.request.wire.url.host] < per_host;
                                   });
            bool pending = std::any_of(entries.begin() + static_cast<std::ptrdiff_t>(next),
                                       entries.end(), [](const Entry& e) { return !e.done; });
            if (!pending) {
                break;
            }
            if (it == entries.end()) {
                wake.wait(y);
                continue;
            }
            it->done = true; // taken
            const std::string host = it->request.wire.url.host;
            ++busy[host];
            it->result = run_exchange(vu, it->request, y);
            --busy[host];
            while (next < entries.size() && entries[next].done) {
                ++next;
            }
            wake.notify();
        }
        if (--running == 0) {
            wake.notify();
        }
    };
    for (std::size_t i = 0; i < workers; ++i) {
        boost::asio::spawn(vu.io().get_executor(), std::allocator_arg,
                           boost::context::protected_fixedsize_stack(std::size_t{256} * 1024),
                           worker, [&failure](std::exception_ptr e) {
                               if (e && !failure) {
                                   failure = e;
                               }
                           });
    }
    while (running > 0) {
        wake.wait(yield);
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
}

} // namespace

JSValue run_batch(JSContext* ctx, VuApi& vu, JSValueConst requests) {
    bool is_array = JS_IsArray(ctx, requests);
    if (!is_array && (!JS_IsObject(requests) || JS_IsFunction(ctx, requests))) {
        throw js::Error("invalid http.batch() argument type " +
                        js::constructor_name(ctx, requests));
    }
    std::vector<std::string> keys;
    if (is_array) {
        js::Value len(ctx, JS_GetPropertyStr(ctx, requests, "length"));
        std::uint32_t n = 0;
        JS_ToUint32(ctx, &n, len.get());
        for (std::uint32_t i = 0; i < n; ++i) {
            keys.push_back(std::to_string(i));
        }
    } else if (!js::own_keys(ctx, requests, keys)) {
        throw js::PendingException{};
    }
    js::Value results(ctx, is_array ? JS_NewArray(ctx) : JS_NewObject(ctx));
    std::vector<Entry> entries;
    for (const auto& key : keys) {
        js::Value v(ctx, JS_GetPropertyStr(ctx, requests, key.c_str()));
        Parsed parsed = parse_entry(ctx, vu, key, v.get());
        if (auto* failure = std::get_if<ParseFailure>(&parsed)) {
            JS_SetPropertyStr(ctx, results.get(), key.c_str(),
                              failed_response_object(ctx, *failure));
            if (vu.settings().throw_errors) {
                throw js::Error(failure->message);
            }
            log::write(log::Level::kWarn, "A batch request failed", {{"error", failure->message}});
            return results.release();
        }
        entries.push_back({key, std::move(std::get<ParsedRequest>(parsed)), {}, false});
    }
    if (vu.interrupted()) {
        return js::throw_uncatchable(ctx, "interrupted");
    }
    run_all(vu, entries, vu.yield());
    if (vu.interrupted()) {
        return js::throw_uncatchable(ctx, "interrupted");
    }
    std::string first_error;
    for (const auto& e : entries) {
        if (e.result.response.error) {
            if (e.request.throw_errors) {
                if (first_error.empty()) {
                    first_error = e.result.error_detail;
                }
            } else {
                log::write(log::Level::kWarn, "Request Failed", {{"error", e.result.error_detail}});
            }
        }
        JS_SetPropertyStr(ctx, results.get(), e.key.c_str(),
                          response_object(ctx, e.request, e.result));
    }
    if (!first_error.empty()) {
        throw js::Error(first_error);
    }
    return results.release();
}

} // namespace volley::modules::http
