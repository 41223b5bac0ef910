#pragma once

// Internal state of a WsClient (ws_client.hpp has the contracts). Split over ws_connect.cpp
// (handshake), ws_read.cpp (the reader and the event wait) and ws_write.cpp (frames out).
// Reference-counted (not atomically: one thread) so that completion handlers of the reader and
// of deadline timers keep it alive after the WsClient is gone.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "net/counting_stream.hpp"
#include "net/deflate.hpp"
#include "net/frame.hpp"
#include "net/go_errors.hpp"
#include "net/ws_client.hpp"

namespace volley::net::detail {

using PlainStream = CountingStream<TcpSocket>;
using TlsStream = boost::asio::ssl::stream<PlainStream&>;
using Resolver =
    boost::asio::ip::basic_resolver<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

// Buffers above kShrinkAbove are released once empty, so a burst of big messages does not pin
// memory for the rest of the session: at once above kKeepAtMost, else after kSmallStreak
// messages in a row that fitted in kShrinkAbove. A stream of large messages thus reuses its
// buffers instead of allocating and freeing them for each message.
inline constexpr std::size_t kShrinkAbove = std::size_t{64} * 1024;
inline constexpr std::size_t kKeepAtMost = std::size_t{1024} * 1024;
inline constexpr unsigned kSmallStreak = 16;

// The release rule above, for one direction of a session.
class ShrinkHysteresis {
public:
    // One message of `bytes` went through the direction's buffers.
    void note(std::size_t bytes) {
        if (bytes > kShrinkAbove) {
            small_ = 0;
        } else if (small_ < kSmallStreak) {
            ++small_;
        }
    }
    // Whether a buffer of `capacity` bytes is to be released now.
    bool release(std::size_t capacity) const {
        return capacity > kShrinkAbove && (capacity > kKeepAtMost || small_ >= kSmallStreak);
    }

private:
    unsigned small_ = kSmallStreak;
};
// A read asks for at least the session's read chunk: kReadChunkMin at first, so that an idle
// socket holds a small buffer (docs/performance.md, "VU memory"), doubled up to kReadChunkMax
// while reads fill it (a stream of messages), halved again when they come back small.
inline constexpr std::size_t kReadChunkMin = 512;
inline constexpr std::size_t kReadChunkMax = std::size_t{16} * 1024;
inline constexpr std::size_t kMaxReadStep =
    std::size_t{256} * 1024; // largest single buffer growth per read
inline constexpr auto kControlWriteTimeout = std::chrono::seconds(10);

class Session {
public:
    explicit Session(boost::asio::io_context& ioc);
    ~Session();

    // ws_connect.cpp
    HandshakeResult connect(std::string_view url, const HandshakeOptions& options, Yield yield);
    void cancel();

    // ws_write.cpp
    std::string write_message(Opcode op, std::string_view data, Yield yield);
    std::string write_control(Opcode op, std::string_view payload, Yield yield);
    std::string close(std::uint16_t code, std::string_view reason, Yield yield);

    // ws_read.cpp
    void start_reading();
    bool next_event(Event& out);
    bool event_ready();
    std::size_t buffer_bytes() const {
        return rbuf_.capacity() + message_.capacity() + inflated_.capacity() + wbuf_.capacity() +
               zbuf_.capacity();
    }
    WaitResult wait(std::chrono::steady_clock::time_point deadline, Yield yield);
    void wake();
    void set_notify(std::function<void()> fn) { notify_ = std::move(fn); }

    bool open() const { return open_ && !transport_closed_; }
    int write_error_code() const { return write_error_code_; }
    void set_frame_observer(FrameObserver* observer) { observer_ = observer; }
    ByteCounters& counters() { return counters_; }
    void set_fault_plan(FaultPlan* plan) { plain_.set_fault_plan(plan); }

    int refs = 0; // intrusive reference count (WsClient + pending handlers)

private:
    // A read of the reader: completion handler holding a reference.
    struct ReadHandler {
        boost::intrusive_ptr<Session> self;
        void operator()(const boost::system::error_code& ec, std::size_t n) {
            self->on_read(ec, n);
        }
    };

    // ws_connect.cpp
    std::optional<boost::asio::ip::tcp::endpoint>
    resolve(const WsUrl& url, const HandshakeOptions& o, HandshakeResult& r, Yield yield);
    // `ep` unless blacklistIPs forbids it (then the error is in `r`).
    std::optional<boost::asio::ip::tcp::endpoint> allowed(const boost::asio::ip::tcp::endpoint& ep,
                                                          const HandshakeOptions& o,
                                                          HandshakeResult& r);
    bool dial(const boost::asio::ip::tcp::endpoint& ep, const HandshakeOptions& o,
              HandshakeResult& r, Yield yield);
    bool tls_handshake(const WsUrl& url, const HandshakeOptions& o, HandshakeResult& r,
                       Yield yield);
    bool upgrade(const std::string& request, std::string_view key, bool compression,
                 HandshakeResult& r, Yield yield);
    void read_bad_response_body(void* parser, Yield yield);
    void arm_deadline(std::chrono::steady_clock::duration timeout);
    void disarm_deadline();
    void close_transport();
    StopCause stop_cause() const;
    std::string endpoints() const; // "<local>-><remote>" for error texts, "" before the dial

    // ws_read.cpp
    void pump();
    void request_read(std::size_t needed);
    void adapt_read_chunk(std::size_t n); // after a read of n bytes
    void on_read(const boost::system::error_code& ec, std::size_t n);
    bool handle_frame(const FrameHeader& h, std::uint8_t* payload);
    bool check_frame(const FrameHeader& h);
    bool handle_control(const FrameHeader& h, std::string_view payload);
    bool handle_data(const FrameHeader& h, std::string_view payload);
    bool finish_message(Opcode op, bool compressed, std::string_view payload);
    void set_event(EventType type, std::string_view data);
    // `code`: ws_error_code.hpp's; `reason`: a protocol error's close reason.
    void set_error_event(std::string text, bool protocol, int code, std::string_view reason = {});
    void release_event();
    void arm_wait_timer(std::chrono::steady_clock::time_point deadline);
    void resume_waiter();

    // ws_write.cpp
    std::string write_frame(Opcode op, std::string_view payload, bool control, Yield yield);
    // Sends wbuf_[0, n): directly when the socket takes it all, else asynchronously.
    boost::system::error_code send_bytes(std::size_t n, Yield yield);
    // The error text of a failed write; sets write_error_code_.
    std::string write_error(const boost::system::error_code& ec);
    void shrink_write_buffer(std::size_t frame_bytes);

    template <class F> auto with_stream(F&& f) {
        if (tls_) {
            return f(*tls_);
        }
        return f(plain_);
    }

    boost::asio::io_context& ioc_;
    ByteCounters counters_;
    PlainStream plain_;
    std::unique_ptr<TlsStream> tls_;
    Resolver* resolver_ = nullptr; // during connect() only
    SteadyTimer timer_;            // handshake/control-write deadline
    std::uint64_t deadline_gen_ = 0;
    bool deadline_armed_ = false;
    bool timed_out_ = false;
    bool cancelled_ = false;

    // The connection's endpoints, kept from the dial and formatted only for an error text.
    boost::asio::ip::tcp::endpoint local_ep_;
    boost::asio::ip::tcp::endpoint remote_ep_;
    bool dialed_ = false;
    bool open_ = false;
    bool transport_closed_ = false;
    bool close_sent_ = false;
    int write_error_code_ = 0;          // the last failed write's (ws_error_code.hpp)
    FrameObserver* observer_ = nullptr; // --ws-debug
    bool compression_ = false;
    std::unique_ptr<PerMessageDeflate> deflate_;

    // Reader state.
    boost::beast::flat_buffer rbuf_;
    std::size_t read_chunk_ = kReadChunkMin;
    std::size_t read_asked_ = 0; // bytes the pending read may fill
    bool reading_started_ = false;
    bool read_pending_ = false;
    bool read_done_ = false;   // a terminal event was produced or the transport closed
    bool have_event_ = false;  // `event_` is ready and not yet taken
    bool event_taken_ = false; // `event_` was taken and is held until the next next_event()
    std::size_t consume_on_release_ = 0;
    Event event_;
    std::string error_text_;  // storage behind event_.error
    std::string reason_;      // storage behind event_.data for protocol errors
    bool in_message_ = false; // a fragmented message is being assembled
    Opcode message_op_ = Opcode::kText;
    bool message_compressed_ = false;
    std::string message_;  // fragments of the message being assembled
    std::string inflated_; // the last decompressed message
    ShrinkHysteresis read_shrink_;

    // Waiter state: the owner's suspended coroutine, resumed directly by the reader's handler
    // (no timer operation or extra trip through the scheduler per event); its own timer only
    // for the deadline, left armed across waits that share it.
    using WaitHandler = boost::asio::async_result<Yield, void()>::handler_type;
    std::optional<WaitHandler> waiter_;
    std::function<void()> notify_; // called instead when nobody waits (see WsClient::set_notify)
    SteadyTimer wait_timer_;
    bool wait_timer_armed_ = false;
    bool wait_expired_ = false;
    bool woken_ = false;

    std::vector<std::uint8_t> wbuf_; // frame being written (header + masked payload)
    std::vector<std::uint8_t> zbuf_; // compressed payload before masking
    ShrinkHysteresis write_shrink_;
};

} // namespace volley::net::detail
