#include "wsecho/echo_command.hpp"

#include <charconv>
#include <cstdio>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/system/system_error.hpp>

#include "util/error.hpp"
#include "wsecho/echo_server.hpp"

namespace volley::wsecho {
namespace {

constexpr const char* kUsage =
    "usage: volley echo [--addr 127.0.0.1:8765] [--tls] [--threads N] [--compression] "
    "[--chaos SEED[:MIX]]";

unsigned parse_number(const std::string& text, const std::string& flag, unsigned max) {
    unsigned v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size() || v > max) {
        throw UserError("invalid value \"" + text + "\" for " + flag, kUsage);
    }
    return v;
}

void parse_addr(const std::string& text, EchoOptions& o) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) {
        throw UserError("invalid --addr \"" + text + "\": expected HOST:PORT", kUsage);
    }
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    o.address = host.empty() ? "0.0.0.0" : host;
    o.port = static_cast<std::uint16_t>(parse_number(text.substr(colon + 1), "--addr", 65535));
}

EchoOptions parse_args(const std::vector<std::string>& args) {
    EchoOptions o;
    o.port = 8765;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> const std::string& {
            if (i + 1 >= args.size()) {
                throw UserError("flag needs an argument: " + a, kUsage);
            }
            return args[++i];
        };
        if (a == "--addr") {
            parse_addr(value(), o);
        } else if (a == "--tls") {
            o.tls = true;
        } else if (a == "--compression") {
            o.compression = true;
        } else if (a == "--chaos") {
            o.chaos = parse_chaos(value());
        } else if (a == "--threads") {
            o.threads = parse_number(value(), "--threads", 1024);
        } else {
            throw UserError("unknown flag: " + a, kUsage);
        }
    }
    return o;
}

} // namespace

constexpr const char* kHelp = R"(Runs the built-in WebSocket echo server until SIGINT or SIGTERM.

Flags:
  --addr HOST:PORT     listen there (default 127.0.0.1:8765; port 0: any free port)
  --tls                wss:// with a self-signed certificate made at start
  --threads N          serve on N threads (default 1)
  --compression        accept permessage-deflate
  --chaos SEED[:MIX]   each WebSocket connection misbehaves in one way drawn from MIX, the
                       same for the same SEED and order of connections; MIX is NAME or
                       NAME=WEIGHT, comma-separated (default: all, weight 1), NAME one of
                       echo reset hang status garbage-handshake drop garbage huge-frame
                       invalid-utf8 noread flood ping-flood bad-close half-close.
                       Every connection ends within 10 s.
  -h, --help           this text

Without --chaos the URL path chooses a behaviour (/close/CODE, /reject/STATUS, /reset, ...);
tools/wsecho/echo_server.hpp lists them (docs/cli.md).
)";

int run_echo_command(const std::vector<std::string>& args) {
    for (const auto& a : args) {
        if (a == "-h" || a == "--help") {
            std::printf("%s\n\n%s", kUsage, kHelp);
            return 0;
        }
    }
    EchoServer server(parse_args(args));
    try {
        server.start();
    } catch (const boost::system::system_error& e) {
        throw UserError(std::string("cannot listen: ") + e.what(),
                        "choose another address with --addr HOST:PORT");
    }
    std::printf("volley echo listening on %s\n", server.url().c_str());
    if (const auto& chaos = server.options().chaos) {
        std::printf("chaos seed %llu: %s\n", static_cast<unsigned long long>(chaos->seed),
                    describe(*chaos).c_str());
    }
    std::fflush(stdout);
    boost::asio::io_context signals_ctx;
    boost::asio::signal_set signals(signals_ctx, SIGINT, SIGTERM);
    signals.async_wait([](const boost::system::error_code&, int) {});
    signals_ctx.run();
    server.stop();
    return 0;
}

} // namespace volley::wsecho
