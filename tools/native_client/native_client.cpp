#include "native_client.hpp"

#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include <fmt/format.h>

#include "net/ws_client.hpp"
#include "util/time.hpp"

#include <sys/resource.h>

namespace volley::native_client {
namespace {

// One io_context's counters: touched only by that context's thread, summed after the join.
struct Counters {
    std::uint64_t sent = 0;
    std::uint64_t received = 0;
    std::uint64_t sessions = 0;
    std::uint64_t errors = 0;
    std::string first_error;

    void fail(std::string_view text) {
        if (errors++ == 0) {
            first_error = text;
        }
    }
};

// k6's pingpong.js without JS: one message in flight, echoed back as soon as it returns, until
// `end`; then a normal close.
void pingpong_conn(boost::asio::io_context& ioc, const NativeOptions& o,
                   SteadyClock::time_point end, Counters& c, Yield yield) {
    net::WsClient client(ioc);
    auto hs = client.connect(o.url, net::HandshakeOptions{}, yield);
    if (!hs.ok) {
        c.fail(hs.error);
        return;
    }
    ++c.sessions;
    std::string err = client.send_text(std::string(o.size, 'x'), yield);
    ++c.sent;
    client.start_reading();
    while (err.empty()) {
        net::Event ev;
        if (client.next_event(ev)) {
            if (ev.type == net::EventType::kText) {
                ++c.received;
                err = client.send_text(ev.data, yield); // the view lives until next_event()
                ++c.sent;
            } else if (ev.terminal()) {
                err = ev.error.empty() ? "unexpected close" : std::string(ev.error);
            }
            continue;
        }
        auto r = client.wait(end, yield);
        if (r == net::WaitResult::kTimeout) {
            break;
        }
        if (r == net::WaitResult::kClosed) {
            err = "closed";
        }
    }
    if (!err.empty()) {
        c.fail(err);
        return;
    }
    client.close(net::kCloseNormal, "", yield);
}

// Waits for the echo of one message (10 s at most); false on anything else.
bool await_text(net::WsClient& client, Counters& c, Yield yield) {
    const auto deadline = SteadyClock::now() + std::chrono::seconds(10);
    for (;;) {
        net::Event ev;
        if (client.next_event(ev)) {
            if (ev.type == net::EventType::kText) {
                ++c.received;
                return true;
            }
            if (ev.terminal()) {
                c.fail(ev.error.empty() ? "unexpected close" : ev.error);
                return false;
            }
            continue;
        }
        auto r = client.wait(deadline, yield);
        if (r == net::WaitResult::kTimeout || r == net::WaitResult::kClosed) {
            c.fail("no echo");
            return false;
        }
    }
}

// k6's churn.js without JS: connect, send one message, wait for its echo, close; repeat.
void churn_conn(boost::asio::io_context& ioc, const NativeOptions& o, SteadyClock::time_point end,
                Counters& c, Yield yield) {
    while (SteadyClock::now() < end) {
        net::WsClient client(ioc);
        auto hs = client.connect(o.url, net::HandshakeOptions{}, yield);
        if (!hs.ok) {
            c.fail(hs.error);
            continue;
        }
        ++c.sessions;
        std::string err = client.send_text("hello", yield);
        ++c.sent;
        if (!err.empty()) {
            c.fail(err);
            continue;
        }
        client.start_reading();
        if (await_text(client, c, yield)) {
            client.close(net::kCloseNormal, "", yield);
        }
    }
}

double seconds_of(const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

unsigned parse_unsigned(const std::string& flag, const std::string& v) {
    std::size_t pos = 0;
    unsigned long n = std::stoul(v, &pos);
    if (pos != v.size() || n == 0 || n > 1'000'000) {
        throw std::invalid_argument(
            fmt::format("{}: expected a positive integer, got {}", flag, v));
    }
    return static_cast<unsigned>(n);
}

} // namespace

NativeOptions parse_args(const std::vector<std::string>& args) {
    if (args.empty() || (args[0] != "pingpong" && args[0] != "churn")) {
        throw std::invalid_argument("expected a mode: pingpong or churn");
    }
    NativeOptions o;
    o.mode = args[0] == "pingpong" ? Mode::kPingpong : Mode::kChurn;
    o.conns = o.mode == Mode::kPingpong ? 50 : 20;
    for (std::size_t i = 1; i < args.size(); i += 2) {
        const std::string& flag = args[i];
        if (i + 1 >= args.size()) {
            throw std::invalid_argument(fmt::format("{} needs a value", flag));
        }
        const std::string& v = args[i + 1];
        if (flag == "--url") {
            o.url = v;
        } else if (flag == "--conns") {
            o.conns = parse_unsigned(flag, v);
        } else if (flag == "--threads") {
            o.threads = parse_unsigned(flag, v);
        } else if (flag == "--size") {
            o.size = parse_unsigned(flag, v);
        } else if (flag == "--engine") {
            if (v != "net" && v != "raw") {
                throw std::invalid_argument("--engine: expected net or raw, got " + v);
            }
            o.engine = v == "raw" ? Engine::kRaw : Engine::kNet;
        } else if (flag == "--seconds") {
            o.seconds = std::stod(v);
            if (!(o.seconds > 0 && o.seconds < 86400)) {
                throw std::invalid_argument("--seconds: expected a positive number");
            }
        } else {
            throw std::invalid_argument(fmt::format("unknown flag {}", flag));
        }
    }
    return o;
}

NativeResult run_native(const NativeOptions& o) {
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts;
    std::vector<Counters> counters(o.threads);
    for (unsigned t = 0; t < o.threads; ++t) {
        // As volley's workers (exec/workers.cpp): one thread per context, no per-socket lock.
        contexts.push_back(
            std::make_unique<boost::asio::io_context>(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO));
    }
    const auto start = SteadyClock::now();
    const auto end = start + std::chrono::duration_cast<SteadyClock::duration>(
                                 std::chrono::duration<double>(o.seconds));
    for (unsigned i = 0; i < o.conns; ++i) {
        auto& ioc = *contexts[i % o.threads];
        auto& c = counters[i % o.threads];
        auto body = [&ioc, &o, end, &c](Yield yield) {
            if (o.mode == Mode::kPingpong) {
                pingpong_conn(ioc, o, end, c, yield);
            } else {
                churn_conn(ioc, o, end, c, yield);
            }
        };
        // The rethrowing completion: a C++ exception here is a bug, not a peer failure.
        boost::asio::spawn(ioc.get_executor(), std::allocator_arg,
                           boost::context::protected_fixedsize_stack(std::size_t{64} * 1024), body,
                           [](std::exception_ptr e) {
                               if (e) {
                                   std::rethrow_exception(e);
                               }
                           });
    }
    std::vector<std::thread> threads;
    threads.reserve(contexts.size());
    for (auto& ctx : contexts) {
        threads.emplace_back([&ctx] { ctx->run(); });
    }
    for (auto& t : threads) {
        t.join();
    }
    NativeResult r;
    r.wall_s = std::chrono::duration<double>(SteadyClock::now() - start).count();
    for (const auto& c : counters) {
        r.msgs_sent += c.sent;
        r.msgs_received += c.received;
        r.sessions += c.sessions;
        if (r.errors == 0 && c.errors > 0) {
            r.first_error = c.first_error;
        }
        r.errors += c.errors;
    }
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    r.cpu_user_s = seconds_of(ru.ru_utime);
    r.cpu_sys_s = seconds_of(ru.ru_stime);
    r.max_rss_kib = static_cast<std::uint64_t>(ru.ru_maxrss);
    return r;
}

std::string to_json(const NativeOptions& o, const NativeResult& r) {
    std::string err;
    for (char ch : r.first_error) { // enough escaping for error texts
        if (ch == '"' || ch == '\\') {
            err += '\\';
        }
        err += (ch == '\n' || ch == '\r') ? ' ' : ch;
    }
    return fmt::format(
        R"({{"mode":"{}","engine":"{}","conns":{},"threads":{},"seconds":{},"size":{},"msgs_sent":{},)"
        R"("msgs_received":{},"sessions":{},"errors":{},"first_error":"{}","wall_s":{:.3f},)"
        R"("cpu_user_s":{:.3f},"cpu_sys_s":{:.3f},"max_rss_kib":{}}})",
        o.mode == Mode::kPingpong ? "pingpong" : "churn", o.engine == Engine::kRaw ? "raw" : "net",
        o.conns, o.threads, o.seconds, o.size, r.msgs_sent, r.msgs_received, r.sessions, r.errors,
        err, r.wall_s, r.cpu_user_s, r.cpu_sys_s, r.max_rss_kib);
}

} // namespace volley::native_client
