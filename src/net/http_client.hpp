#pragma once

// The HTTP/1.1 client behind k6/http (k6-behaviour.md §6): one round trip at a time per call,
// over a per-VU pool of keep-alive connections (plain and TLS), timed like k6's httptrace
// Tracer, with k6's error codes and Go's error texts. No JS, no metrics: the module emits the
// samples. Redirects and cookies are the module's job (each hop is one round trip).
//
// Thread rules: a client belongs to one worker thread and is used from coroutines of that
// thread (one VU's coroutine, or the sub-coroutines of its http.batch).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "net/counting_stream.hpp"
#include "net/dial_policy.hpp"
#include "net/dns_resolver.hpp"
#include "net/go_url.hpp"
#include "net/headers.hpp"
#include "net/tls.hpp"
#include "util/coroutine.hpp"
#include "util/time.hpp"

namespace volley::net {

// One request as it goes on the wire. The caller has applied Go's Header.Set semantics.
struct HttpRequest {
    std::string method;              // sent as given
    GoUrl url;                       // absolute http:// or https:// URL
    std::string host;                // the Host header (the URL's host unless overridden)
    std::string user_agent;          // "" = no User-Agent header
    Headers headers;                 // other headers, canonical names (Content-Length ignored)
    std::optional<std::string> body; // nullopt: no body at all (Go's Body == nil)
};

// What a failed round trip reports: k6's error_code and error text (res.error), and Go's
// error text (logged in "Request Failed" warnings, thrown with the `throw` option).
struct HttpError {
    int code = 0;         // k6 error_code, e.g. 1212; 0 when there is no error
    std::string message;  // k6's short text, e.g. `dial: connection refused`
    std::string detail;   // Go's text, e.g. `dial tcp 127.0.0.1:1: connect: connection refused`
    bool in_body = false; // happened while reading or decoding the body (after Go's Do())
    explicit operator bool() const { return code != 0; }
};

// k6's http_req_* timings of one round trip, in milliseconds (k6's Tracer.Done()).
struct HttpTimings {
    double blocked = 0;
    double connecting = 0;
    double tls_handshaking = 0;
    double sending = 0;
    double waiting = 0;
    double receiving = 0;
    double duration = 0; // sending + waiting + receiving
};

struct HttpResponse {
    int status = 0;                       // 0 when no response was received
    std::string status_text;              // Go's resp.Status: "200 OK"
    std::string proto;                    // "HTTP/1.1"
    Headers headers;                      // canonical names, repeated names joined with ", "
    std::vector<std::string> set_cookies; // every Set-Cookie value, in order
    std::string body;                     // decoded (Content-Encoding undone) unless discarded
    bool body_read = false;               // false when the body was discarded or never came
    std::string remote_ip;                // of the connection used ("" if none)
    std::uint16_t remote_port = 0;
    std::string tls_version;      // "tls1.3" ... ("" over plain HTTP)
    std::string tls_cipher_suite; // Go's name, e.g. TLS_AES_128_GCM_SHA256
    HttpError error;
    HttpTimings timings;
    std::int64_t end_unix_ns = 0; // when the round trip ended (the samples' time)
};

struct HttpOptions {
    const TlsConfig* tls = nullptr; // https: nullptr = TlsConfig::default_config(); must outlive
    SteadyClock::time_point deadline = SteadyClock::time_point::max(); // the whole request
    bool read_body = true;              // false: read and drop it (responseType none)
    bool keep_alive = true;             // false: k6's noConnectionReuse (Connection: close)
    const DialPolicy* policy = nullptr; // hosts, blacklistIPs, blockHostnames; null = none
    std::optional<boost::asio::ip::address> local_ip; // dial from here (--local-ips)
    DnsResolver* dns = nullptr; // the `dns` option's resolver; null = DnsResolver::fallback()
};

// The request's bytes as Go's Request.write puts them on the wire: request line, Host,
// User-Agent, Content-Length or Transfer-Encoding, the other headers sorted by name, then
// Connection: close when keep-alive is off, a blank line and the body.
std::string serialize_request(const HttpRequest& r, bool keep_alive);

namespace detail {
struct HttpConnection;
}

class HttpClient {
public:
    // `max_idle_per_host` and `max_idle` are k6's batchPerHost (6) and batch (20) defaults, which
    // k6 uses as the Go transport's MaxIdleConnsPerHost and MaxIdleConns.
    explicit HttpClient(boost::asio::io_context& ioc, std::size_t max_idle_per_host = 6,
                        std::size_t max_idle = 20);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // One request and its response on a pooled or new connection. Never throws for failures
    // of the peer: they are in the result's `error` (with the status when a response came).
    // A reused connection that turns out to be closed is replaced once, as Go's transport
    // does for a request that can be replayed.
    HttpResponse round_trip(const HttpRequest& request, const HttpOptions& options, Yield yield);

    // Aborts every request in flight (they end with `request timeout`), e.g. when the VU is
    // interrupted. Owner's thread.
    void cancel();

    // Closes the idle connections (k6's noVUConnectionReuse between iterations).
    void close_idle();

    // Bytes moved by this client since the last call (k6's data_sent/data_received).
    ByteCounters take_counters();

private:
    std::unique_ptr<detail::HttpConnection> take_idle(const std::string& key);
    void put_idle(std::unique_ptr<detail::HttpConnection> conn);

    boost::asio::io_context& ioc_;
    std::size_t max_idle_per_host_;
    std::size_t max_idle_;
    std::size_t idle_count_ = 0;
    std::map<std::string, std::vector<std::unique_ptr<detail::HttpConnection>>> idle_;
    std::vector<detail::HttpConnection*> busy_; // connections in a round trip (for cancel())
    ByteCounters counters_;                     // of connections already returned or closed
    std::uint64_t cancel_generation_ = 0;
};

} // namespace volley::net
