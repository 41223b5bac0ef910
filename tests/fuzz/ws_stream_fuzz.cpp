// What a WebSocket server sends, end to end through net::WsClient over loopback: the handshake
// response (Beast's parser, gorilla's checks, permessage-deflate negotiation) and then any
// frames (headers, control frames, fragments and their reassembly, inflate). The session must
// end in an event or an error text, never a crash, a hang or a sanitizer report.
//
// Input: byte 0 = flags (bit 0: the client offers compression; bit 1: it sends a message after
// open); then the response head, up to and including the first blank line, in which `@ACCEPT@`
// stands for the right Sec-WebSocket-Accept; then the bytes sent after the head. Without a blank
// line all of it is sent as the "response". The server then shuts down its sending side.

#include <chrono>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/write.hpp>

#include "fuzz_check.hpp"
#include "net/handshake.hpp"
#include "net/ws_client.hpp"

namespace asio = boost::asio;
using namespace volley;
using Tcp = asio::ip::tcp;
using Acceptor = asio::basic_socket_acceptor<Tcp, Executor>;
using Socket = asio::basic_stream_socket<Tcp, Executor>;

namespace {

// The response the server writes: the input's head with @ACCEPT@ filled in for `request`.
std::string response_for(std::string_view input, const std::string& request) {
    std::string out(input);
    constexpr std::string_view kKey = "Sec-WebSocket-Key: ";
    auto at = request.find(kKey);
    auto end = request.find("\r\n", at);
    std::string accept =
        at == std::string::npos
            ? std::string()
            : net::accept_for_key(request.substr(at + kKey.size(), end - at - kKey.size()));
    auto head_end = out.find("\r\n\r\n");
    for (auto p = out.find("@ACCEPT@"); p != std::string::npos && p < head_end;
         p = out.find("@ACCEPT@", p + accept.size())) {
        out.replace(p, 8, accept);
        head_end = out.find("\r\n\r\n");
    }
    return out;
}

void serve(Acceptor& acceptor, std::string_view input, Yield yield) {
    Socket s(acceptor.get_executor());
    boost::system::error_code ec;
    acceptor.async_accept(s, yield[ec]);
    if (ec) {
        return;
    }
    std::string request;
    asio::async_read_until(s, asio::dynamic_buffer(request), "\r\n\r\n", yield[ec]);
    if (ec) {
        return;
    }
    asio::async_write(s, asio::buffer(response_for(input, request)), yield[ec]);
    s.shutdown(Socket::shutdown_send, ec);
    char sink[4096];
    while (!ec) {
        s.async_read_some(asio::buffer(sink), yield[ec]);
    }
}

void client(asio::io_context& ioc, std::uint16_t port, std::uint8_t flags, Yield yield) {
    net::WsClient c(ioc);
    net::HandshakeOptions o;
    o.compression = (flags & 1) != 0;
    o.timeout = std::chrono::seconds(5);
    auto hs = c.connect("ws://127.0.0.1:" + std::to_string(port) + "/", o, yield);
    if (!hs.ok) {
        FUZZ_CHECK(!hs.error.empty());
        return;
    }
    if ((flags & 2) != 0) {
        (void)c.send_text("hello", yield);
    }
    c.start_reading();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (;;) {
        net::Event ev;
        if (c.next_event(ev)) {
            if (ev.terminal()) {
                FUZZ_CHECK(ev.type != net::EventType::kError || !ev.error.empty());
                break;
            }
            if (ev.type == net::EventType::kPing) {
                (void)c.pong(std::string(ev.data), yield);
            }
            continue;
        }
        auto r = c.wait(deadline, yield);
        FUZZ_CHECK(r != net::WaitResult::kTimeout); // the server's EOF must end the session
        if (r == net::WaitResult::kClosed) {
            break;
        }
    }
    (void)c.close(1000, "", yield);
}

// One listener for the whole run: binding a new one per input would soon find every ephemeral
// port held by the TIME_WAIT of earlier inputs (connects to loopback reuse them, binds do not).
struct Loopback {
    asio::io_context ioc{1};
    Acceptor acceptor{ioc.get_executor(), Tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    std::uint16_t port = acceptor.local_endpoint().port();
};

void rethrow(const std::exception_ptr& e) {
    if (e) {
        std::rethrow_exception(e);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0 || size > 1 << 20) {
        return 0;
    }
    static Loopback lb;
    lb.ioc.restart();
    std::string_view input = fuzz::as_text(data + 1, size - 1);
    bool served = false;
    bool done = false;
    asio::spawn(
        lb.ioc.get_executor(),
        [&](Yield y) {
            serve(lb.acceptor, input, y);
            served = true;
        },
        rethrow);
    asio::spawn(
        lb.ioc.get_executor(),
        [&](Yield y) {
            client(lb.ioc, lb.port, data[0], y);
            done = true;
            boost::system::error_code ec;
            lb.acceptor.cancel(ec); // a client that never connected leaves an accept waiting
        },
        rethrow);
    lb.ioc.run_for(std::chrono::seconds(20));
    FUZZ_CHECK(done && served);
    return 0;
}
