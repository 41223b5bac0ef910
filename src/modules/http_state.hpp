#pragma once

// What k6/http keeps per VU: its keep-alive connections, its cookie jar (shared with k6/ws),
// the response callback and the shapes of the objects every response has. Owned by the VU,
// reached by modules through VuApi::http_state(); lives on the VU's thread.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "js/object_template.hpp"
#include "net/cookie_jar.hpp"
#include "net/http_client.hpp"
#include "util/coroutine.hpp"
#include "util/waiter.hpp"

namespace volley::modules {

struct ModuleSettings;

namespace http {
struct ExpectedStatuses;
}

class HttpState {
public:
    // The VU's HTTP client (keep-alive connections across iterations, as k6), made on first
    // use so that VUs which never send a request do not pay for it.
    net::HttpClient& client(boost::asio::io_context& io, const ModuleSettings& settings);

    // Called before each iteration: k6 gives every iteration a new cookie jar (unless
    // noCookiesReset) and drops idle connections under noVUConnectionReuse.
    void start_iteration(const ModuleSettings& settings);

    // Stops what is in flight (the VU is interrupted, or an iteration with asyncRequests in
    // flight ended early); counted, so that an exchange can tell it was stopped.
    void cancel();
    std::uint64_t cancellations() const { return cancellations_; }
    // Run by cancel(), e.g. to end a wait for an rps turn. Owner's thread.
    int add_cancel_hook(std::function<void()> hook);
    void remove_cancel_hook(int id) { cancel_hooks_.erase(id); }

    // http.asyncRequest's coroutines (modules/http_async.hpp) use the VU: each is counted while
    // it runs, and after an iteration ends early the VU cancels them and waits here until
    // the last has ended (it is told later, from the io_context, once that coroutine is gone).
    void async_started() { ++async_running_; }
    void async_ended();
    void drain(boost::asio::io_context& io, Yield yield);

    net::CookieJar jar;

    // The response callback set by http.setResponseCallback (null: none) once `custom` is true;
    // before that k6's default, expectedStatuses({min: 200, max: 399}), applies.
    std::shared_ptr<const http::ExpectedStatuses> response_callback;
    bool custom = false;

    // The shapes of the objects every response has (made on the first response), k6/ws's
    // ws.connect result among them, and of the last headers object of each module.
    js::ObjectTemplate response, timings, request, ocsp, ws_response;
    js::RepeatingObjectTemplate response_headers, ws_headers;

private:
    std::unique_ptr<net::HttpClient> client_;
    std::size_t async_running_ = 0;
    std::uint64_t cancellations_ = 0;
    std::map<int, std::function<void()>> cancel_hooks_;
    int next_cancel_hook_ = 1;
    std::unique_ptr<Waiter> drained_; // made by the first drain() that waits
};

} // namespace volley::modules
