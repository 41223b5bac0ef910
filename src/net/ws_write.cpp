// WsClient's write side: masked frames from the owning coroutine, one at a time, and k6's close.

#include <algorithm>

#include <boost/asio/write.hpp>

#include "net/ws_error_code.hpp"
#include "net/ws_session.hpp"

namespace volley::net::detail {

namespace asio = boost::asio;

namespace {

constexpr std::string_view kCloseSent = "websocket: close sent";

} // namespace

std::string Session::write_message(Opcode op, std::string_view data, Yield yield) {
    return write_frame(op, data, false, yield);
}

std::string Session::write_control(Opcode op, std::string_view payload, Yield yield) {
    if (payload.size() > kMaxControlPayload) {
        write_error_code_ = ws_error::kControlPayloadSize;
        return "websocket: invalid control frame";
    }
    return write_frame(op, payload, true, yield);
}

std::string Session::close(std::uint16_t code, std::string_view reason, Yield yield) {
    if (close_sent_ || !open_) {
        write_error_code_ = ws_error::kWriteAfterClose;
        return std::string(kCloseSent);
    }
    char payload[kMaxControlPayload];
    std::size_t n = 0;
    if (code != kCloseNoStatus) { // gorilla's FormatCloseMessage: 1005 is an empty payload
        payload[0] = static_cast<char>(code >> 8);
        payload[1] = static_cast<char>(code & 0xff);
        n = 2 + reason.copy(payload + 2, kMaxControlPayload - 2);
    }
    std::string err = write_frame(Opcode::kClose, std::string_view(payload, n), true, yield);
    close_sent_ = true;
    close_transport(); // k6 does not wait for the peer's close frame (k6-behaviour.md Q7)
    return err;
}

std::string Session::write_frame(Opcode op, std::string_view payload, bool control, Yield yield) {
    if (close_sent_) {
        write_error_code_ = ws_error::kWriteAfterClose;
        return std::string(kCloseSent);
    }
    if (!open_ || transport_closed_) {
        write_error_code_ = ws_error::of_io({}, stop_cause());
        return io_error_text("write", endpoints(), {}, stop_cause());
    }
    bool compress = compression_ && !control;
    if (compress) {
        zbuf_.clear();
        if (!deflate_->compress(payload, zbuf_)) {
            write_error_code_ = ws_error::kGeneric;
            return "websocket: compression failed";
        }
        payload = std::string_view(reinterpret_cast<const char*>(zbuf_.data()), zbuf_.size());
    }
    std::size_t need = kMaxFrameHeader + payload.size();
    if (wbuf_.size() < need) {
        wbuf_.resize(need);
    }
    if (observer_ != nullptr) {
        observer_->on_frame(FrameInfo{true,
                                      false,
                                      static_cast<std::uint8_t>(op),
                                      true,
                                      compress,
                                      true,
                                      payload.size(),
                                      payload,
                                      {}});
    }
    std::uint32_t mask = random_mask();
    std::size_t hs = write_frame_header(wbuf_.data(), op, true, compress, payload.size(), mask);
    copy_masked(wbuf_.data() + hs, reinterpret_cast<const std::uint8_t*>(payload.data()),
                payload.size(), mask);
    if (control) {
        arm_deadline(kControlWriteTimeout);
    }
    boost::system::error_code ec = send_bytes(hs + payload.size(), yield);
    if (control) {
        disarm_deadline();
    }
    shrink_write_buffer(hs + payload.size());
    return ec ? write_error(ec) : std::string();
}

boost::system::error_code Session::send_bytes(std::size_t n, Yield yield) {
    boost::system::error_code ec;
    std::size_t done = 0;
    if (!tls_) {
        // Most frames fit the socket buffer: one send() here saves a suspension of the
        // coroutine and a trip through the scheduler. What does not fit goes async (and stays
        // cancellable by an interrupt).
        done = plain_.write_some(asio::buffer(wbuf_.data(), n), ec);
        if (done == n || (ec && ec != asio::error::would_block)) {
            return ec;
        }
        ec.clear();
    }
    with_stream([&](auto& s) {
        asio::async_write(s, asio::buffer(wbuf_.data() + done, n - done), yield[ec]);
    });
    return ec;
}

std::string Session::write_error(const boost::system::error_code& ec) {
    if (ec.category() == asio::error::get_ssl_category() && stop_cause() == StopCause::kNone) {
        std::string text = tls_error_text(nullptr, ec);
        write_error_code_ = ws_error::of_tls_text(text);
        return text;
    }
    write_error_code_ = ws_error::of_io(ec, stop_cause());
    return io_error_text("write", endpoints(), ec, stop_cause());
}

void Session::shrink_write_buffer(std::size_t frame_bytes) {
    write_shrink_.note(frame_bytes);
    if (write_shrink_.release(wbuf_.capacity())) {
        std::vector<std::uint8_t>().swap(wbuf_);
    }
    if (write_shrink_.release(zbuf_.capacity())) {
        std::vector<std::uint8_t>().swap(zbuf_);
    }
}

} // namespace volley::net::detail
