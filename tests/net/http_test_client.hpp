#pragma once

// A small HTTP/1.1 client for the echo server's /http/ routes: one connection, plain or TLS
// (the certificate is not verified), run on a test coroutine (net_test_support.hpp).

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "util/coroutine.hpp"

namespace volley::net::testing {

using TestSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// A response as read: `ec` is the read's error (the parts received so far are in `res`).
struct Received {
    boost::system::error_code ec;
    HttpResponse res;
};

// The text of a request: `method target` with Host, the extra head lines ("Name: value\r\n"...),
// and the body with its Content-Length when not empty.
inline std::string request_text(std::string_view method, std::string_view target,
                                std::string_view head_lines = "", std::string_view body = "") {
    std::string out = std::string(method) + " " + std::string(target) +
                      " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(head_lines);
    if (!body.empty()) {
        out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    return out + "\r\n" + std::string(body);
}

class HttpTestClient {
public:
    HttpTestClient(boost::asio::io_context& ioc, bool tls)
        : ctx_(boost::asio::ssl::context::tls_client),
          stream_(TestSocket(ioc.get_executor()), ctx_), tls_(tls) {
        ctx_.set_verify_mode(boost::asio::ssl::verify_none);
    }

    // Connects to 127.0.0.1:port (and does the TLS handshake); false on failure.
    bool connect(std::uint16_t port, Yield yield) {
        boost::system::error_code ec;
        boost::asio::ip::tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), port);
        stream_.next_layer().async_connect(ep, yield[ec]);
        if (!ec && tls_) {
            stream_.async_handshake(boost::asio::ssl::stream_base::client, yield[ec]);
        }
        return !ec;
    }

    boost::system::error_code write(std::string_view bytes, Yield yield) {
        boost::system::error_code ec;
        on_stream(
            [&](auto& s) { boost::asio::async_write(s, boost::asio::buffer(bytes), yield[ec]); });
        return ec;
    }

    Received read(Yield yield, bool head_request = false) {
        boost::beast::http::response_parser<boost::beast::http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        parser.skip(head_request);
        Received r;
        on_stream(
            [&](auto& s) { boost::beast::http::async_read(s, buffer_, parser, yield[r.ec]); });
        r.res = parser.release();
        return r;
    }

    // Reads until the stream ends; returns what came and sets `ec` to how it ended.
    std::string read_to_end(boost::system::error_code& ec, Yield yield) {
        std::string out(static_cast<const char*>(buffer_.data().data()), buffer_.size());
        buffer_.consume(buffer_.size());
        char chunk[4096];
        for (;;) {
            std::size_t n = 0;
            on_stream(
                [&](auto& s) { n = s.async_read_some(boost::asio::buffer(chunk), yield[ec]); });
            out.append(chunk, n);
            if (ec) {
                return out;
            }
        }
    }

    boost::beast::flat_buffer& buffer() { return buffer_; }

    template <class F> void on_stream(F&& f) {
        if (tls_) {
            f(stream_);
        } else {
            f(stream_.next_layer());
        }
    }

private:
    boost::asio::ssl::context ctx_;
    boost::asio::ssl::stream<TestSocket> stream_;
    bool tls_;
    boost::beast::flat_buffer buffer_;
};

} // namespace volley::net::testing
