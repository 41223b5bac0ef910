#pragma once

// The worker threads: one io_context per thread, share-nothing (style.md rule 19). VUs are
// placed on workers by the scheduler; everything a VU does runs on its worker's io_context.

#include <cstddef>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "exec/vu.hpp"

namespace volley::exec {

class Workers {
public:
    // Starts `count` threads (at least 1), each running its own io_context until stop().
    explicit Workers(std::size_t count);
    ~Workers(); // stop() + join
    Workers(const Workers&) = delete;
    Workers& operator=(const Workers&) = delete;

    std::size_t size() const { return contexts_.size(); }
    boost::asio::io_context& context(std::size_t index) { return *contexts_.at(index); }

    // Spawns a stackful coroutine with a VU-sized, guard-paged stack on worker `index`.
    // `fn` must not let an exception escape (a VOLLEY_CHECK aborts if one does).
    void spawn(std::size_t index, std::function<void(Yield)> fn);

    // Lets the threads return once their io_contexts run out of work, and joins them.
    void stop();

private:
    using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
    std::vector<Guard> guards_;
    std::vector<std::thread> threads_;
};

} // namespace volley::exec
