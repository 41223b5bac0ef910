#pragma once

// The Asio types every layer uses with a worker thread's io_context, named once. Worker threads
// run one io_context each and everything on them uses its concrete executor type (not
// any_io_executor, whose copies cost; docs/architecture.md, "Measured choices").

#include <chrono>

#include <boost/asio/io_context.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/steady_timer.hpp>

namespace volley {

// The executor of a worker thread's io_context.
using Executor = boost::asio::io_context::executor_type;

// A stackful coroutine on a worker thread (a VU, an echo-server connection, a test's client).
using Yield = boost::asio::basic_yield_context<Executor>;

// A steady-clock timer on a worker thread.
using SteadyTimer = boost::asio::basic_waitable_timer<
    std::chrono::steady_clock, boost::asio::wait_traits<std::chrono::steady_clock>, Executor>;

} // namespace volley
