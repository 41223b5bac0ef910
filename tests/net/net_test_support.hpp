#pragma once

// Helpers for the network tests: run a coroutine on a fresh io_context with a bound on its run
// time, and read events from a WsClient.

#include <chrono>
#include <exception>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/spawn.hpp>
#include <gtest/gtest.h>

#include "net/ws_client.hpp"

namespace volley::net::testing {

// Runs `fn` as a coroutine on its own io_context until it returns; the test fails (instead of
// hanging) if it is still running after `limit`.
inline void run_coroutine(const std::function<void(boost::asio::io_context&, Yield)>& fn,
                          std::chrono::seconds limit = std::chrono::seconds(30)) {
    boost::asio::io_context ioc(1);
    bool done = false;
    std::exception_ptr error;
    boost::asio::spawn(
        ioc.get_executor(),
        [&](Yield yield) {
            fn(ioc, yield);
            done = true;
        },
        [&](std::exception_ptr e) { error = e; });
    ioc.run_for(limit);
    if (error) {
        std::rethrow_exception(error);
    }
    EXPECT_TRUE(done) << "the test coroutine did not finish within its bound";
}

// Waits (up to `limit`) for the next event; fails the test and returns false on timeout.
inline bool next(WsClient& c, Event& ev, Yield yield,
                 std::chrono::seconds limit = std::chrono::seconds(10)) {
    c.start_reading();
    auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        if (c.next_event(ev)) {
            return true;
        }
        WaitResult r = c.wait(deadline, yield);
        if (r == WaitResult::kTimeout || r == WaitResult::kClosed) {
            ADD_FAILURE() << "no event (wait result " << static_cast<int>(r) << ")";
            return false;
        }
    }
}

inline std::string str(std::string_view v) {
    return std::string(v);
}

} // namespace volley::net::testing
