// The raw floor (`native_client <mode> --engine raw`): the shared bench README's "raw epoll client
// with no JavaScript (one read and one write syscall per message)". Plain non-blocking sockets
// and one level-triggered epoll set on one thread, no Asio, no coroutines, no allocation per
// message, a fixed Sec-WebSocket-Key and no check of the accept value. It measures what this
// machine's kernel charges for the workload, so volley's figures can be read against it.

#include "raw_floor.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "net/url.hpp"
#include "util/time.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace volley::native_client {
namespace {

enum class Phase { kConnecting, kHandshake, kOpen, kClosing };

struct Conn {
    int fd = -1;
    std::uint32_t index = 0; // in Floor::conns; with `gen`, the epoll tag
    std::uint32_t gen = 0;   // bumped per socket, so a stale event of a closed one is skipped
    Phase phase = Phase::kConnecting;
    std::vector<std::uint8_t> in; // bytes read and not yet consumed
};

struct Floor {
    explicit Floor(const NativeOptions& options) : o(options) {}

    const NativeOptions& o;
    sockaddr_in addr{};
    std::string request;
    std::string payload;
    int ep = -1;
    SteadyClock::time_point end;
    std::vector<Conn> conns;
    NativeResult r;
    std::array<std::uint8_t, 65536> buf{};

    void fail(const std::string& text) {
        if (r.errors++ == 0) {
            r.first_error = text;
        }
    }
};

// Writes one masked client frame (payload < 65536 bytes) with a single send().
bool send_frame(int fd, std::uint8_t opcode, const std::uint8_t* data, std::size_t n) {
    std::uint8_t frame[8 + 65536];
    std::size_t h = 0;
    frame[h++] = static_cast<std::uint8_t>(0x80 | opcode);
    if (n < 126) {
        frame[h++] = static_cast<std::uint8_t>(0x80 | n);
    } else {
        frame[h++] = 0x80 | 126;
        frame[h++] = static_cast<std::uint8_t>(n >> 8);
        frame[h++] = static_cast<std::uint8_t>(n & 0xff);
    }
    const std::uint8_t mask[4] = {0x12, 0x34, 0x56, 0x78};
    std::memcpy(frame + h, mask, 4);
    h += 4;
    for (std::size_t i = 0; i < n; ++i) {
        frame[h + i] = data[i] ^ mask[i & 3];
    }
    return send(fd, frame, h + n, MSG_NOSIGNAL) == static_cast<ssize_t>(h + n);
}

epoll_event event_for(const Conn& c, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = (std::uint64_t{c.gen} << 32) | c.index;
    return ev;
}

void open_conn(Floor& f, Conn& c) {
    c.phase = Phase::kConnecting;
    c.in.clear();
    ++c.gen;
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c.fd, reinterpret_cast<const sockaddr*>(&f.addr), sizeof f.addr) != 0 &&
        errno != EINPROGRESS) {
        f.fail(fmt::format("connect: {}", std::strerror(errno)));
    }
    epoll_event ev = event_for(c, EPOLLOUT);
    epoll_ctl(f.ep, EPOLL_CTL_ADD, c.fd, &ev);
}

void close_conn(Floor& f, Conn& c, bool again) {
    close(c.fd); // also leaves the epoll set
    c.fd = -1;
    if (again && SteadyClock::now() < f.end) {
        open_conn(f, c);
    }
}

// The socket became writable after connect(): send the upgrade request, then wait to read.
void on_connected(Floor& f, Conn& c) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0 || send(c.fd, f.request.data(), f.request.size(), MSG_NOSIGNAL) !=
                        static_cast<ssize_t>(f.request.size())) {
        f.fail(fmt::format("connect: {}", std::strerror(err != 0 ? err : errno)));
        close_conn(f, c, f.o.mode == Mode::kChurn);
        return;
    }
    c.phase = Phase::kHandshake;
    epoll_event ev = event_for(c, EPOLLIN);
    epoll_ctl(f.ep, EPOLL_CTL_MOD, c.fd, &ev);
}

// Consumes the 101 response; the first message goes out once it is complete.
bool on_handshake(Floor& f, Conn& c) {
    static constexpr char kEnd[] = "\r\n\r\n";
    auto it = std::search(c.in.begin(), c.in.end(), kEnd, kEnd + 4);
    if (it == c.in.end()) {
        return true;
    }
    if (c.in.size() < 12 || std::memcmp(c.in.data(), "HTTP/1.1 101", 12) != 0) {
        f.fail("handshake: not a 101 response");
        return false;
    }
    c.in.erase(c.in.begin(), it + 4);
    c.phase = Phase::kOpen;
    ++f.r.sessions;
    ++f.r.msgs_sent;
    return send_frame(c.fd, 0x1, reinterpret_cast<const std::uint8_t*>(f.payload.data()),
                      f.payload.size());
}

// Handles one complete server frame; false ends the connection.
bool on_frame(Floor& f, Conn& c, std::uint8_t opcode, const std::uint8_t* data, std::size_t n) {
    if (opcode == 0x8) {
        return false; // the server's close (reply to ours in churn)
    }
    if (opcode != 0x1 || c.phase != Phase::kOpen) {
        return true;
    }
    ++f.r.msgs_received;
    if (f.o.mode == Mode::kChurn) {
        const std::uint8_t code[2] = {0x03, 0xe8}; // 1000
        c.phase = Phase::kClosing;
        return send_frame(c.fd, 0x8, code, 2);
    }
    if (SteadyClock::now() >= f.end) {
        return false;
    }
    ++f.r.msgs_sent;
    return send_frame(c.fd, 0x1, data, n);
}

// Parses every complete (unmasked, unfragmented) server frame in c.in.
bool on_frames(Floor& f, Conn& c) {
    std::size_t at = 0;
    while (c.in.size() - at >= 2) {
        const std::uint8_t* p = c.in.data() + at;
        std::size_t h = 2;
        std::size_t n = p[1] & 0x7f;
        if (n == 126) {
            if (c.in.size() - at < 4) {
                break;
            }
            n = (std::size_t{p[2]} << 8) | p[3];
            h = 4;
        } else if (n == 127) {
            f.fail("frame: 64-bit length not supported by the raw floor");
            return false;
        }
        if (c.in.size() - at < h + n) {
            break;
        }
        if (!on_frame(f, c, p[0] & 0x0f, p + h, n)) {
            return false;
        }
        at += h + n;
    }
    c.in.erase(c.in.begin(), c.in.begin() + static_cast<std::ptrdiff_t>(at));
    return true;
}

// One read() per readiness event.
void on_readable(Floor& f, Conn& c) {
    ssize_t got = recv(c.fd, f.buf.data(), f.buf.size(), 0);
    if (got <= 0) {
        if (got < 0 && errno == EAGAIN) {
            return;
        }
        if (c.phase != Phase::kClosing) {
            f.fail(got == 0 ? "unexpected EOF" : std::strerror(errno));
        }
        close_conn(f, c, f.o.mode == Mode::kChurn);
        return;
    }
    c.in.insert(c.in.end(), f.buf.data(), f.buf.data() + got);
    bool keep = c.phase == Phase::kHandshake ? on_handshake(f, c) : true;
    if (keep && c.phase != Phase::kHandshake) {
        keep = on_frames(f, c);
    }
    if (!keep) {
        close_conn(f, c, f.o.mode == Mode::kChurn);
    }
}

void init(Floor& f) {
    auto url = net::parse_ws_url(f.o.url);
    if (!url || url->tls || inet_pton(AF_INET, url->host.c_str(), &f.addr.sin_addr) != 1) {
        throw std::invalid_argument("--engine raw needs a ws:// URL with an IPv4 address");
    }
    f.addr.sin_family = AF_INET;
    f.addr.sin_port = htons(url->port);
    f.request = fmt::format("GET {} HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\n"
                            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            "Sec-WebSocket-Version: 13\r\n\r\n",
                            url->target, url->host_header);
    f.payload.assign(f.o.mode == Mode::kChurn ? 5 : f.o.size, 'x');
    if (f.payload.size() > 65535) {
        throw std::invalid_argument("--engine raw: --size must be below 65536");
    }
}

double seconds_of(const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

} // namespace

NativeResult run_raw(const NativeOptions& o) {
    Floor f(o);
    init(f);
    f.ep = epoll_create1(EPOLL_CLOEXEC);
    const auto start = SteadyClock::now();
    f.end = start + std::chrono::duration_cast<SteadyClock::duration>(
                        std::chrono::duration<double>(o.seconds));
    f.conns.resize(o.conns);
    auto& conns = f.conns;
    for (std::uint32_t i = 0; i < o.conns; ++i) {
        conns[i].index = i;
        open_conn(f, conns[i]);
    }
    std::array<epoll_event, 256> events{};
    const auto hard_end = f.end + std::chrono::seconds(10);
    for (;;) {
        std::size_t open = 0;
        for (const auto& c : conns) {
            open += c.fd >= 0 ? 1 : 0;
        }
        if (open == 0 || SteadyClock::now() >= hard_end) {
            break;
        }
        int n = epoll_wait(f.ep, events.data(), static_cast<int>(events.size()), 100);
        for (int i = 0; i < n; ++i) {
            auto& c = conns[events[i].data.u64 & 0xffffffffu];
            if (c.fd < 0 || c.gen != events[i].data.u64 >> 32) {
                continue;
            }
            if (c.phase == Phase::kConnecting) {
                on_connected(f, c);
            } else {
                on_readable(f, c);
            }
        }
        if (SteadyClock::now() >= f.end && o.mode == Mode::kPingpong) {
            for (auto& c : conns) {
                if (c.fd >= 0) {
                    close_conn(f, c, false);
                }
            }
        }
    }
    for (auto& c : conns) {
        if (c.fd >= 0) {
            close(c.fd);
        }
    }
    close(f.ep);
    f.r.wall_s = std::chrono::duration<double>(SteadyClock::now() - start).count();
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    f.r.cpu_user_s = seconds_of(ru.ru_utime);
    f.r.cpu_sys_s = seconds_of(ru.ru_stime);
    f.r.max_rss_kib = static_cast<std::uint64_t>(ru.ru_maxrss);
    return f.r;
}

} // namespace volley::native_client
