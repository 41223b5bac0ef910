#pragma once

// One HTTP/1.1 connection of an HttpClient (internal): the socket, TLS when https, the read
// buffer that may hold the start of the next response, and the steps of a round trip, each
// recording its time in an HttpTrace. Coroutine code of the client's thread.

#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "net/go_errors.hpp"
#include "net/http_client.hpp"

namespace volley::net::detail {

// The moments k6's Tracer records (zero = did not happen).
struct HttpTrace {
    SteadyClock::time_point get_conn{};
    SteadyClock::time_point connect_start{};
    SteadyClock::time_point connect_done{};
    SteadyClock::time_point tls_start{};
    SteadyClock::time_point tls_done{};
    SteadyClock::time_point got_conn{};
    SteadyClock::time_point wrote_request{};
    SteadyClock::time_point first_byte{};

    // k6's Tracer.Done() at `done`.
    HttpTimings timings(SteadyClock::time_point done) const;
};

// Where a round trip failed, so the error can be worded as Go and k6 word it.
enum class HttpPhase { kResolve, kDial, kTls, kWrite, kReadHeader, kReadBody, kDecode };

struct HttpConnection {
    using PlainStream = CountingStream<TcpSocket>;
    using TlsStream = boost::asio::ssl::stream<PlainStream&>;

    HttpConnection(boost::asio::io_context& ioc, std::string pool_key);

    // Resolves the host (or takes its `hosts` entry; blockHostnames and blacklistIPs apply),
    // dials and, for https, handshakes. On failure returns false with `error` set.
    bool open(const HttpRequest& request, const HttpOptions& options, HttpTrace& trace,
              HttpError& error, Yield yield);
    // The endpoint to dial for `host`:`port` (hosts, IP literal, DNS), or false with `error`.
    bool resolve(const std::string& host, std::uint16_t port, const HttpOptions& options,
                 HttpError& error, Yield yield);

    // Writes `wire` (the serialized request). False with `error` on failure.
    bool write(const std::string& wire, HttpTrace& trace, HttpError& error, Yield yield);

    // Reads one response into `out` (headers, then the body unless `read_body` is false or the
    // response has none). `head` is true for HEAD requests. False with `error` on failure
    // (`out.status` is set when the headers had arrived).
    bool read(bool head, bool read_body, HttpResponse& out, HttpTrace& trace, HttpError& error,
              Yield yield);

    // True if the idle connection still looks usable: open, and no unexpected data or EOF
    // waiting on it (Go's transport learns that from its background read).
    bool idle_usable();

    // Closes the socket (cancels what is pending on it).
    void close();

    std::string endpoints() const; // "<local>-><remote>" for Go's error texts
    StopCause stop_cause() const;

    std::string key;       // pool key: scheme://host:port[@dial address]
    ByteCounters counters; // bytes since the client last collected them
    PlainStream plain;
    std::unique_ptr<TlsStream> tls;
    boost::beast::flat_buffer buffer;
    boost::asio::ip::tcp::endpoint local_ep;
    boost::asio::ip::tcp::endpoint remote_ep;
    bool connected = false;
    bool keep_alive = false; // the last response allows reuse
    bool cancelled = false;  // closed by the request's deadline or HttpClient::cancel()
    bool closed = false;
    std::uint64_t generation = 0; // HttpClient::cancel() generation it belongs to
    std::string tls_version;
    std::string tls_cipher_suite;
};

} // namespace volley::net::detail
