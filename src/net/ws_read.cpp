// WsClient's read side: a completion-handler loop (no coroutine stack) that parses frames from
// one growable buffer and hands over one event at a time, plus the owner's wait().
//
// Why one event at a time: the event's views point into the read buffer (no copy for a
// single-frame message), and k6's reader also reads at most one message ahead of the loop.

#include <algorithm>

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <fmt/format.h>

#include "net/ws_error_code.hpp"
#include "net/ws_session.hpp"
#include "util/utf8.hpp"

namespace volley::net::detail {

namespace {

// gorilla has no read limit; this only keeps a hostile length field from asking for exabytes.
constexpr std::uint64_t kMaxFrameLength = std::uint64_t{1} << 31;

} // namespace

void Session::start_reading() {
    if (reading_started_ || !open_) {
        return;
    }
    reading_started_ = true;
    pump();
}

void Session::pump() {
    while (reading_started_ && !have_event_ && !event_taken_ && !read_done_ && !read_pending_) {
        if (transport_closed_) {
            read_done_ = true;
            return;
        }
        auto buf = rbuf_.data();
        auto* p = static_cast<std::uint8_t*>(buf.data());
        FrameHeader h;
        bool complete = parse_frame_header(p, buf.size(), h);
        // gorilla judges the first two bytes before it reads the length or the mask, so a bad
        // header is rejected even when the bytes it announces never come.
        if (buf.size() >= 2 && !check_frame(h)) {
            if (observer_ != nullptr) {
                observer_->on_frame(FrameInfo{false,
                                              true,
                                              h.opcode,
                                              h.fin,
                                              h.rsv1,
                                              h.masked,
                                              complete ? h.length : 0,
                                              {},
                                              error_text_});
            }
            return;
        }
        if (!complete) {
            request_read(kMaxFrameHeader);
            return;
        }
        if (has_negative_length(h) || h.length > kMaxFrameLength) {
            set_error_event("websocket: read limit exceeded", false, ws_error::kReadLimit);
            return;
        }
        std::size_t total = h.header_size + static_cast<std::size_t>(h.length);
        if (buf.size() < total) {
            request_read(total);
            return;
        }
        if (observer_ != nullptr) {
            observer_->on_frame(
                FrameInfo{false,
                          false,
                          h.opcode,
                          h.fin,
                          h.rsv1,
                          h.masked,
                          h.length,
                          std::string_view(reinterpret_cast<const char*>(p + h.header_size),
                                           static_cast<std::size_t>(h.length)),
                          {}});
        }
        handle_frame(h, p + h.header_size);
    }
}

void Session::request_read(std::size_t needed) {
    std::size_t have = rbuf_.size();
    // Grow with what actually arrives: a frame header announcing 2 GiB must not make us
    // reserve 2 GiB before a single payload byte came.
    std::size_t want = std::clamp(needed > have ? needed - have : 0, read_chunk_, kMaxReadStep);
    read_pending_ = true;
    read_asked_ = want;
    auto buffers = rbuf_.prepare(want);
    with_stream([&](auto& s) { s.async_read_some(buffers, ReadHandler{this}); });
}

void Session::on_read(const boost::system::error_code& ec, std::size_t n) {
    read_pending_ = false;
    if (read_done_) {
        return;
    }
    if (transport_closed_) { // closed locally: no event, the owner knows
        read_done_ = true;
    } else if (ec == boost::asio::error::eof || ec == boost::asio::ssl::error::stream_truncated) {
        error_text_ = close_error_text(kCloseAbnormal, "unexpected EOF");
        event_ = Event{EventType::kClose, {},    kCloseAbnormal,
                       error_text_,       false, ws_error::kAbnormalClosure};
        have_event_ = true;
        read_done_ = true;
    } else if (ec) {
        if (ec.category() == boost::asio::error::get_ssl_category()) {
            std::string text = tls_error_text(nullptr, ec);
            int code = ws_error::of_tls_text(text);
            set_error_event(std::move(text), false, code);
        } else {
            set_error_event(io_error_text("read", endpoints(), ec, stop_cause()), false,
                            ws_error::of_io(ec, stop_cause()));
        }
    } else {
        rbuf_.commit(n);
        adapt_read_chunk(n);
        pump();
    }
    if (have_event_ || read_done_) {
        resume_waiter(); // last: the owner may run and start the next read
    }
}

void Session::adapt_read_chunk(std::size_t n) {
    if (n == read_asked_ && read_chunk_ < kReadChunkMax) {
        read_chunk_ *= 2;
    } else if (n < read_chunk_ / 4 && read_chunk_ > kReadChunkMin) {
        read_chunk_ /= 2;
    }
}

bool Session::handle_frame(const FrameHeader& h, std::uint8_t* payload) {
    std::size_t total = h.header_size + static_cast<std::size_t>(h.length);
    std::string_view data(reinterpret_cast<const char*>(payload),
                          static_cast<std::size_t>(h.length));
    // check_frame passed in pump(); the event's views point into rbuf_ when keep is true.
    bool keep = h.opcode >= 0x8 ? handle_control(h, data) : handle_data(h, data);
    if (keep) {
        consume_on_release_ = total;
    } else {
        rbuf_.consume(total);
    }
    return keep;
}

// gorilla's advanceFrame checks of a frame's first two bytes, with its texts, joined the same
// way. Pure until it finds a violation, so pump() may run it again while a payload arrives.
bool Session::check_frame(const FrameHeader& h) {
    std::string errors;
    int code = 0; // the first violation's
    auto add = [&errors, &code](std::string_view e, int kind) {
        errors += errors.empty() ? "" : ", ";
        errors += e;
        code = code == 0 ? kind : code;
    };
    bool data_start = h.opcode == 0x1 || h.opcode == 0x2;
    if (h.rsv1 && !(compression_ && data_start)) {
        add("RSV1 set", ws_error::kReservedBits);
    }
    if (h.rsv2) {
        add("RSV2 set", ws_error::kReservedBits);
    }
    if (h.rsv3) {
        add("RSV3 set", ws_error::kReservedBits);
    }
    if (h.opcode >= 0x8 && h.opcode <= 0xA) {
        if (h.length7 > kMaxControlPayload) {
            add("len > 125 for control", ws_error::kBadControlFrame);
        }
        if (!h.fin) {
            add("FIN not set on control", ws_error::kBadControlFrame);
        }
    } else if (data_start && in_message_) {
        add("data before FIN", ws_error::kBadFragmentation);
    } else if (h.opcode == 0x0 && !in_message_) {
        add("continuation after FIN", ws_error::kBadFragmentation);
    } else if (!data_start && h.opcode != 0x0) {
        add(fmt::format("bad opcode {}", h.opcode), ws_error::kBadOpcode);
    }
    if (h.masked) {
        add("bad MASK", ws_error::kMaskedFrame);
    }
    if (errors.empty()) {
        return true;
    }
    set_error_event("websocket: " + errors, true, code, errors);
    return false;
}

bool Session::handle_control(const FrameHeader& h, std::string_view payload) {
    if (h.opcode != static_cast<std::uint8_t>(Opcode::kClose)) {
        set_event(h.opcode == static_cast<std::uint8_t>(Opcode::kPing) ? EventType::kPing
                                                                       : EventType::kPong,
                  payload);
        return true;
    }
    std::uint16_t code = kCloseNoStatus;
    std::string_view reason;
    if (payload.size() >= 2) {
        code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(payload[0]) << 8) |
                                          static_cast<std::uint8_t>(payload[1]));
        if (!is_valid_received_close_code(code)) {
            auto msg = fmt::format("bad close code {}", code);
            set_error_event("websocket: " + msg, true, ws_error::kBadCloseCode, msg);
            return false;
        }
        reason = payload.substr(2);
        if (!is_valid_utf8(reason)) { // close reasons only: gorilla leaves text messages be
            set_error_event("websocket: invalid utf8 payload in close frame", true,
                            ws_error::kBadCloseReason, "invalid utf8 payload in close frame");
            return false;
        }
    }
    error_text_.clear();
    if (code != kCloseNormal && code != kCloseGoingAway) {
        error_text_ = close_error_text(code, reason);
    }
    event_ = Event{EventType::kClose, reason, code, error_text_, false, ws_error::of_close(code)};
    have_event_ = true;
    read_done_ = true;
    return true;
}

bool Session::handle_data(const FrameHeader& h, std::string_view payload) {
    if (h.opcode != 0x0) {
        auto op = static_cast<Opcode>(h.opcode);
        if (h.fin) {
            return finish_message(op, h.rsv1, payload);
        }
        in_message_ = true;
        message_op_ = op;
        message_compressed_ = h.rsv1;
        message_.assign(payload);
        return false;
    }
    message_.append(payload);
    if (h.fin) {
        in_message_ = false;
        finish_message(message_op_, message_compressed_, message_);
    }
    return false; // the event (if any) points into message_ or inflated_
}

bool Session::finish_message(Opcode op, bool compressed, std::string_view payload) {
    auto type = op == Opcode::kText ? EventType::kText : EventType::kBinary;
    if (!compressed) {
        set_event(type, payload);
        return true;
    }
    if (!deflate_->decompress(payload, inflated_)) {
        set_error_event("flate: corrupt input", false, ws_error::kBadCompressedData);
        return false;
    }
    set_event(type, inflated_);
    return false;
}

void Session::set_event(EventType type, std::string_view data) {
    event_ = Event{type, data, 0, {}, false};
    have_event_ = true;
}

void Session::set_error_event(std::string text, bool protocol, int code, std::string_view reason) {
    error_text_ = std::move(text);
    reason_.assign(reason.substr(0, kMaxControlPayload - 2));
    event_ = Event{EventType::kError, reason_, 0, error_text_, protocol, code};
    have_event_ = true;
    read_done_ = true;
}

void Session::release_event() {
    event_taken_ = false;
    read_shrink_.note(std::max(consume_on_release_, event_.data.size()));
    if (consume_on_release_ != 0) {
        rbuf_.consume(consume_on_release_);
        consume_on_release_ = 0;
    }
    if (rbuf_.size() == 0 && read_shrink_.release(rbuf_.capacity())) {
        rbuf_.shrink_to_fit();
    }
    if (!in_message_ && read_shrink_.release(message_.capacity())) {
        std::string().swap(message_);
    }
    if (read_shrink_.release(inflated_.capacity())) {
        std::string().swap(inflated_);
    }
}

bool Session::event_ready() {
    if (event_taken_) {
        release_event();
    }
    pump();
    return have_event_;
}

bool Session::next_event(Event& out) {
    if (!event_ready()) {
        return false;
    }
    out = event_;
    have_event_ = false;
    event_taken_ = true;
    return true;
}

WaitResult Session::wait(std::chrono::steady_clock::time_point deadline, Yield yield) {
    for (;;) {
        if (have_event_) {
            return WaitResult::kEvent;
        }
        if (woken_) {
            woken_ = false;
            return WaitResult::kWoken;
        }
        if (transport_closed_) {
            return WaitResult::kClosed;
        }
        // A deadline already past is not compared with the clock here: its timer expires at
        // once (the caller read the clock for its own timers; one read per turn is enough).
        arm_wait_timer(deadline);
        wait_expired_ = false;
        boost::asio::async_initiate<Yield, void()>(
            [this](WaitHandler handler) { waiter_.emplace(std::move(handler)); }, yield);
        if (wait_expired_ && !have_event_ && !woken_) {
            return WaitResult::kTimeout;
        }
    }
}

void Session::arm_wait_timer(std::chrono::steady_clock::time_point deadline) {
    if (deadline == std::chrono::steady_clock::time_point::max() ||
        (wait_timer_armed_ && wait_timer_.expiry() == deadline)) {
        return; // no deadline, or the pending wait already ends there
    }
    wait_timer_armed_ = true;
    wait_timer_.expires_at(deadline); // cancels a wait for another deadline
    wait_timer_.async_wait([self = boost::intrusive_ptr<Session>(this),
                            deadline](const boost::system::error_code& ec) {
        if (ec || self->wait_timer_.expiry() != deadline) {
            return; // replaced by a wait for another deadline
        }
        self->wait_timer_armed_ = false;
        self->wait_expired_ = true;
        self->resume_waiter();
    });
}

void Session::resume_waiter() {
    if (waiter_) {
        WaitHandler handler = std::move(*waiter_);
        waiter_.reset();
        std::move(handler)(); // resumes the owner's coroutine here, on this thread
    } else if (notify_) {
        notify_();
    }
}

void Session::wake() {
    woken_ = true;
    if (waiter_) {
        // Not inline: the caller (an interrupt) must finish before the owner runs again.
        boost::asio::post(ioc_,
                          [self = boost::intrusive_ptr<Session>(this)] { self->resume_waiter(); });
    }
}

} // namespace volley::net::detail
