// HttpClient: the pool of keep-alive connections and one round trip over it.

#include "net/http_client.hpp"

#include <algorithm>

#include <boost/asio/steady_timer.hpp>

#include "net/dial.hpp"
#include "net/http_connection.hpp"
#include "net/http_errors.hpp"
#include "util/time.hpp"

namespace volley::net {

namespace {

// Go's requestMethodUsuallyLacksBody.
bool usually_lacks_body(std::string_view method) {
    return method == "GET" || method == "HEAD" || method == "DELETE" || method == "OPTIONS" ||
           method == "PROPFIND" || method == "SEARCH";
}

// How Go's transferWriter frames the body of a request built as k6 builds it.
enum class Framing { kNone, kLength, kChunked };

Framing framing_of(const HttpRequest& r) {
    bool post_like = r.method == "POST" || r.method == "PUT" || r.method == "PATCH";
    if (r.body && !r.body->empty()) {
        return Framing::kLength;
    }
    if (r.body && !usually_lacks_body(r.method) && r.method != "CONNECT") {
        return Framing::kChunked; // an empty but present body: length unknown to Go
    }
    return post_like ? Framing::kLength : Framing::kNone;
}

bool excluded(const std::string& name) {
    return name == "Host" || name == "User-Agent" || name == "Content-Length" ||
           name == "Transfer-Encoding" || name == "Trailer";
}

std::string pool_key(const HttpRequest& r, const HttpOptions& o) {
    std::string key = r.url.scheme + "://" + r.url.host;
    if (o.tls != nullptr && r.url.scheme == "https") {
        key += '#';
        key += std::to_string(reinterpret_cast<std::uintptr_t>(o.tls));
    }
    return key;
}

// Go's isReplayable plus its nothing-written rule: a request that failed on a reused connection
// before any response byte came may go again on a fresh one.
bool may_retry(const HttpRequest& r, const detail::HttpTrace& trace) {
    if (trace.first_byte != SteadyClock::time_point{}) {
        return false;
    }
    if (trace.wrote_request == SteadyClock::time_point{}) {
        return true;
    }
    bool idempotent = r.method == "GET" || r.method == "HEAD" || r.method == "OPTIONS" ||
                      r.method == "TRACE" || !header_value(r.headers, "Idempotency-Key").empty() ||
                      !header_value(r.headers, "X-Idempotency-Key").empty();
    return idempotent;
}

} // namespace

std::string serialize_request(const HttpRequest& r, bool keep_alive) {
    std::string out;
    out.reserve(256 + (r.body ? r.body->size() : 0));
    out += r.method;
    out += ' ';
    out += r.url.request_uri();
    out += " HTTP/1.1\r\n";
    append_header(out, "Host", r.host);
    if (!r.user_agent.empty()) {
        append_header(out, "User-Agent", r.user_agent);
    }
    Framing framing = framing_of(r);
    if (framing == Framing::kLength) {
        append_header(out, "Content-Length", std::to_string(r.body ? r.body->size() : 0));
    } else if (framing == Framing::kChunked) {
        append_header(out, "Transfer-Encoding", "chunked");
    }
    std::vector<const std::pair<std::string, std::string>*> sorted;
    sorted.reserve(r.headers.size());
    for (const auto& h : r.headers) {
        if (!excluded(h.first)) {
            sorted.push_back(&h);
        }
    }
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto* a, const auto* b) { return a->first < b->first; });
    for (const auto* h : sorted) {
        append_header(out, h->first, h->second);
    }
    if (!keep_alive) {
        append_header(out, "Connection", "close");
    }
    out += "\r\n";
    if (framing == Framing::kChunked) {
        out += "0\r\n\r\n";
    } else if (r.body) {
        out += *r.body;
    }
    return out;
}

HttpClient::HttpClient(boost::asio::io_context& ioc, std::size_t max_idle_per_host,
                       std::size_t max_idle)
    : ioc_(ioc), max_idle_per_host_(max_idle_per_host), max_idle_(max_idle) {}

HttpClient::~HttpClient() = default;

std::unique_ptr<detail::HttpConnection> HttpClient::take_idle(const std::string& key) {
    auto it = idle_.find(key);
    while (it != idle_.end() && !it->second.empty()) {
        auto conn = std::move(it->second.back());
        it->second.pop_back();
        --idle_count_;
        if (conn->idle_usable()) {
            return conn;
        }
        conn->close();
        counters_.sent += conn->counters.sent;
        counters_.received += conn->counters.received;
    }
    return nullptr;
}

void HttpClient::put_idle(std::unique_ptr<detail::HttpConnection> conn) {
    auto& list = idle_[conn->key];
    if (list.size() >= max_idle_per_host_ || idle_count_ >= max_idle_) {
        conn->close();
        return;
    }
    list.push_back(std::move(conn));
    ++idle_count_;
}

HttpResponse HttpClient::round_trip(const HttpRequest& request, const HttpOptions& options,
                                    Yield yield) {
    HttpResponse out;
    detail::HttpTrace trace;
    trace.get_conn = SteadyClock::now();
    const std::string wire = serialize_request(request, options.keep_alive);
    const std::string key = pool_key(request, options);
    detail::HttpConnection* current = nullptr;
    SteadyTimer deadline(ioc_.get_executor());
    if (options.deadline != SteadyClock::time_point::max()) {
        deadline.expires_at(options.deadline);
        deadline.async_wait([&current](const boost::system::error_code& ec) {
            if (!ec && current != nullptr) {
                current->cancelled = true;
                current->close();
            }
        });
    }
    std::unique_ptr<detail::HttpConnection> conn;
    for (int attempt = 0;; ++attempt) {
        conn = options.keep_alive ? take_idle(key) : nullptr;
        bool reused = conn != nullptr;
        if (!reused) {
            conn = std::make_unique<detail::HttpConnection>(ioc_, key);
        }
        conn->generation = cancel_generation_;
        current = conn.get();
        busy_.push_back(current);
        bool ok = reused || conn->open(request, options, trace, out.error, yield);
        if (ok) {
            trace.got_conn = SteadyClock::now();
            ok = conn->write(wire, trace, out.error, yield) &&
                 conn->read(request.method == "HEAD", options.read_body, out, trace, out.error,
                            yield);
        }
        std::erase(busy_, current);
        if (ok || !reused || attempt > 0 || conn->cancelled || !may_retry(request, trace)) {
            break;
        }
        conn->close(); // a stale keep-alive connection: once more on a new one
        counters_.sent += conn->counters.sent;
        counters_.received += conn->counters.received;
        out = HttpResponse{};
        trace.wrote_request = SteadyClock::time_point{};
    }
    current = nullptr;
    deadline.cancel();
    auto done = SteadyClock::now();
    out.timings = trace.timings(done);
    out.end_unix_ns = now_unix_ns();
    if (conn->connected) {
        out.remote_ip = address_text(conn->remote_ep.address());
        out.remote_port = conn->remote_ep.port();
        out.tls_version = conn->tls_version;
        out.tls_cipher_suite = conn->tls_cipher_suite;
    }
    counters_.sent += conn->counters.sent;
    counters_.received += conn->counters.received;
    conn->counters = ByteCounters{};
    if (!out.error && conn->keep_alive && options.keep_alive && !conn->closed) {
        put_idle(std::move(conn));
    } else {
        conn->close();
    }
    return out;
}

void HttpClient::cancel() {
    ++cancel_generation_;
    for (auto* conn : busy_) {
        conn->cancelled = true;
        conn->close();
    }
}

void HttpClient::close_idle() {
    for (auto& [key, list] : idle_) {
        for (auto& conn : list) {
            conn->close();
        }
    }
    idle_.clear();
    idle_count_ = 0;
}

ByteCounters HttpClient::take_counters() {
    ByteCounters out = counters_;
    counters_ = ByteCounters{};
    return out;
}

} // namespace volley::net
