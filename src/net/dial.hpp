#pragma once

// The TCP dial shared by the WebSocket and HTTP clients: asio's async_connect with two syscalls
// fewer. Coroutine code of the socket's worker thread.

#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include "net/counting_stream.hpp"
#include "net/go_errors.hpp"
#include "util/coroutine.hpp"

namespace volley::net {

// Opens `sock` for `ep`'s protocol, makes it non-blocking (the clients' direct sends need it;
// asio would set its own flag as well) and connects, waiting on the worker's reactor; the
// result is read with getsockopt(SO_ERROR) alone (asio polls first). Same error codes as asio.
// Closing the socket from elsewhere (a deadline, an interrupt) ends the wait with an error.
// With `source.ip` (--local-ips) the socket is bound to that address first, its port left to
// the connect (IP_BIND_ADDRESS_NO_PORT), so each source address has the whole port range per
// destination; a failed bind sets `source.bind_failed`.
boost::system::error_code dial_nonblocking(TcpSocket& sock,
                                           const boost::asio::ip::tcp::endpoint& ep,
                                           DialSource& source, Yield yield);

// The dialled address as text (the `ip` tag): an IPv4 address without glibc's inet_ntop, whose
// sprintf is slow and takes about a kilobyte of the VU's coroutine stack; IPv6 through asio.
std::string address_text(const boost::asio::ip::address& address);

} // namespace volley::net
