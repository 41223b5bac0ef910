#pragma once

// A stream layer that counts every byte read from and written to the layer below it. Placed
// directly on the TCP socket (under TLS), it counts what k6 counts for data_sent/data_received
// (k6-behaviour.md §3.1): the handshake, frame headers, masks and TLS records.

#include <cstddef>
#include <cstdint>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/associator.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/error_code.hpp>

namespace volley::net {

// A TCP socket bound to a worker's io_context with the concrete executor type
// (docs/architecture.md, "Measured choices").
using TcpSocket =
    boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

// Bytes moved on one connection since the last reset. Plain integers: a connection and its
// counters belong to one thread.
struct ByteCounters {
    std::uint64_t sent = 0;     // bytes (data_sent)
    std::uint64_t received = 0; // bytes (data_received)
};

// For tests: makes one read or write of a connection fail with `error` without reaching the
// socket, as Beast's fail_count does, so every failure point of a session can be driven in turn.
// Reads and writes are counted apart (TLS records included), and a test arms the plan at the
// start of a step: how TCP coalesces segments changes how many reads a TLS handshake takes, so
// only counts taken from a step's start are the same on every run. Owned by the test; must
// outlive the stream it is given to. Never set in volley itself.
struct FaultPlan {
    enum class Op { kRead, kWrite };
    boost::system::error_code error = boost::asio::error::connection_reset;
    std::uint64_t reads = 0;  // reads seen so far
    std::uint64_t writes = 0; // writes seen so far
    bool armed = false;
    bool failed = false; // the planned failure happened

    // The `k`-th operation of kind `op` from now (1-based) fails.
    void arm(Op op, std::uint64_t k) {
        op_ = op;
        fail_at_ = (op == Op::kRead ? reads : writes) + k;
        armed = true;
    }

    // Counts one operation; true when it is the one to fail.
    bool fail_now(Op kind) {
        std::uint64_t seen = ++(kind == Op::kRead ? reads : writes);
        if (!armed || failed || kind != op_ || seen != fail_at_) {
            return false;
        }
        failed = true;
        return true;
    }

private:
    Op op_ = Op::kWrite;
    std::uint64_t fail_at_ = 0;
};

namespace detail {

// Completion handler wrapper adding the transferred byte count to a counter. Its associated
// executor, allocator and cancellation slot are those of the wrapped handler.
template <class Handler> struct CountingHandler {
    Handler handler;
    std::uint64_t* counter;

    void operator()(boost::system::error_code ec, std::size_t n) {
        *counter += n;
        std::move(handler)(ec, n);
    }
};

} // namespace detail

// Wraps a stream (by value) and counts bytes into a ByteCounters owned by someone else, which
// must outlive every operation started on this stream. Same thread rules as the wrapped stream.
template <class NextLayer> class CountingStream {
public:
    using executor_type = typename NextLayer::executor_type;
    using next_layer_type = NextLayer;
    using lowest_layer_type = typename NextLayer::lowest_layer_type;

    template <class... Args>
    explicit CountingStream(ByteCounters& counters, Args&&... args)
        : next_(std::forward<Args>(args)...), counters_(&counters) {}

    executor_type get_executor() noexcept { return next_.get_executor(); }
    NextLayer& next_layer() noexcept { return next_; }
    lowest_layer_type& lowest_layer() noexcept { return next_.lowest_layer(); }
    const lowest_layer_type& lowest_layer() const noexcept { return next_.lowest_layer(); }

    // Tests only (see FaultPlan); nullptr turns it off.
    void set_fault_plan(FaultPlan* plan) noexcept { faults_ = plan; }

    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token) {
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this](auto handler, const MutableBuffers& b) {
                using H = std::decay_t<decltype(handler)>;
                if (faults_ != nullptr && faults_->fail_now(FaultPlan::Op::kRead)) {
                    return fail(std::move(handler));
                }
                next_.async_read_some(
                    b, detail::CountingHandler<H>{std::move(handler), &counters_->received});
            },
            token, buffers);
    }

    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token) {
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this](auto handler, const ConstBuffers& b) {
                using H = std::decay_t<decltype(handler)>;
                if (faults_ != nullptr && faults_->fail_now(FaultPlan::Op::kWrite)) {
                    return fail(std::move(handler));
                }
                next_.async_write_some(
                    b, detail::CountingHandler<H>{std::move(handler), &counters_->sent});
            },
            token, buffers);
    }

    // A non-blocking write on the layer below (it must be in non-blocking mode), counted.
    template <class ConstBuffers>
    std::size_t write_some(const ConstBuffers& buffers, boost::system::error_code& ec) {
        if (faults_ != nullptr && faults_->fail_now(FaultPlan::Op::kWrite)) {
            ec = faults_->error;
            return 0;
        }
        std::size_t n = next_.write_some(buffers, ec);
        counters_->sent += n;
        return n;
    }

private:
    template <class Handler> void fail(Handler&& handler) {
        auto ex = boost::asio::get_associated_executor(handler, next_.get_executor());
        boost::asio::post(ex, [h = std::forward<Handler>(handler), ec = faults_->error]() mutable {
            std::move(h)(ec, std::size_t{0});
        });
    }

    NextLayer next_;
    ByteCounters* counters_;
    FaultPlan* faults_ = nullptr;
};

} // namespace volley::net

namespace boost::asio {

// Propagates every association (executor, allocator, cancellation slot) of the wrapped handler.
template <template <typename, typename> class Associator, typename Handler,
          typename DefaultCandidate>
struct associator<Associator, volley::net::detail::CountingHandler<Handler>, DefaultCandidate> {
    using type = typename Associator<Handler, DefaultCandidate>::type;

    static type get(const volley::net::detail::CountingHandler<Handler>& h) noexcept {
        return Associator<Handler, DefaultCandidate>::get(h.handler);
    }

    static auto get(const volley::net::detail::CountingHandler<Handler>& h,
                    const DefaultCandidate& c) noexcept
        -> decltype(Associator<Handler, DefaultCandidate>::get(h.handler, c)) {
        return Associator<Handler, DefaultCandidate>::get(h.handler, c);
    }
};

} // namespace boost::asio
