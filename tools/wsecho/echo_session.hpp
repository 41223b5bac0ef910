#pragma once

// One echo-server connection, run as a stackful coroutine on the io_context that owns the
// socket (echo_server.hpp lists the behaviours). Internal to the echo server.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/ssl/context.hpp>

#include "util/coroutine.hpp"

namespace volley::wsecho {

using TcpSocket =
    boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

struct ChaosMix;

struct SessionConfig {
    boost::asio::ssl::context* tls = nullptr; // server context when TLS is on
    bool compression = false;
    const ChaosMix* chaos = nullptr; // --chaos: each connection misbehaves (chaos.hpp)
};

// Serves one connection (the connection-th accepted, from 0) until it ends. Errors end the
// connection quietly (they are the peer's doing, or the server stopping); never throws except
// Boost.Context's forced unwind.
void run_session(TcpSocket socket, const SessionConfig& config, std::uint64_t connection,
                 Yield yield);

} // namespace volley::wsecho
