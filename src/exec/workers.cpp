#include "exec/workers.hpp"

#include <cstdio>
#include <exception>

#include <boost/asio/spawn.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

#include "util/error.hpp"

namespace volley::exec {

Workers::Workers(std::size_t count) {
    if (count == 0) {
        count = 1;
    }
    for (std::size_t i = 0; i < count; ++i) {
        // One thread runs each context and only it touches the context's sockets and timers;
        // other threads only post to it (interrupts, jobs, stop). So the scheduler and the
        // reactor's registrations stay locked, but not each socket's I/O: no mutex per read or
        // write (docs/performance.md, "CPU per message").
        contexts_.push_back(
            std::make_unique<boost::asio::io_context>(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO));
        guards_.emplace_back(contexts_.back()->get_executor());
    }
    for (std::size_t i = 0; i < count; ++i) {
        threads_.emplace_back([ctx = contexts_[i].get()] { ctx->run(); });
    }
}

Workers::~Workers() {
    stop();
}

void Workers::spawn(std::size_t index, std::function<void(Yield)> fn) {
    auto& ctx = context(index);
    boost::asio::spawn(
        ctx.get_executor(), std::allocator_arg,
        boost::context::protected_fixedsize_stack(kVuStackBytes),
        [fn = std::move(fn)](Yield yield) { fn(yield); },
        [](std::exception_ptr e) {
            if (e) {
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& ex) {
                    std::fprintf(stderr, "volley: internal error: coroutine threw: %s\n",
                                 ex.what());
                }
                VOLLEY_CHECK(!"a VU coroutine let an exception escape");
            }
        });
}

void Workers::stop() {
    for (auto& g : guards_) {
        g.reset();
    }
    for (auto& t : threads_) {
        if (t.joinable()) {
            t.join();
        }
    }
    threads_.clear();
}

} // namespace volley::exec
