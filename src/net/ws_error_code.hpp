#pragma once

// Stable codes for WebSocket failures (docs/insight.md, "Error codes"), counted and tagged with
// --insight. Where the failure is one k6 already numbers for HTTP (lib/netext/httpext/
// error_codes.go: DNS, dial, reset, TLS, a 4xx/5xx status as 1000 + status), the number is k6's;
// the 18xx range is WebSocket's own. 0 means no error. Pure functions, any thread.

#include <cstdint>
#include <string_view>

#include <boost/system/error_code.hpp>

#include "net/go_errors.hpp"

namespace volley::net::ws_error {

// not specific
inline constexpr int kGeneric = 1000;
inline constexpr int kInvalidUrl = 1020;
inline constexpr int kTimeout = 1050; // the handshake's timeout passed (not in the TCP dial)
// DNS and dial policy
inline constexpr int kDns = 1100;
inline constexpr int kNoSuchHost = 1101;
inline constexpr int kBlacklistedIp = 1110;
inline constexpr int kBlockedHostname = 1111;
// TCP
inline constexpr int kTcp = 1200; // another read or write error on the connection
inline constexpr int kBrokenPipe = 1201;
inline constexpr int kDialTimeout = 1211;
inline constexpr int kDialRefused = 1212;
inline constexpr int kDialErrno = 1213; // the dial failed with another errno
inline constexpr int kReset = 1220;
inline constexpr int kWriteTimeout = 1230; // a control frame's 10 s write deadline passed
// TLS
inline constexpr int kTls = 1300;
inline constexpr int kTlsNotTls = 1301; // the server does not speak TLS (k6's tlsHeaderErrorCode)
inline constexpr int kTlsAlert = 1302;  // the server sent a TLS alert
inline constexpr int kUnknownAuthority = 1310;
inline constexpr int kHostnameMismatch = 1311;
inline constexpr int kCertExpired = 1312;
// the HTTP upgrade (a status from 400 to 599 gives 1000 + status, as k6's HTTP codes)
inline constexpr int kBadStatus = 1800;         // another status other than 101 (200, 3xx, ...)
inline constexpr int kBadAccept = 1801;         // 101, but Sec-WebSocket-Accept is missing or wrong
inline constexpr int kBadUpgradeHeaders = 1802; // 101 without Upgrade: websocket or Connection
inline constexpr int kBadCompression = 1803;    // invalid permessage-deflate answer
inline constexpr int kMalformedResponse = 1804; // the response is not HTTP
inline constexpr int kHandshakeEof = 1805;      // the server closed before its response ended
inline constexpr int kBadRequestHeader = 1806;  // the script's headers cannot be sent
// protocol violations by the server (RFC 6455)
inline constexpr int kReservedBits = 1811;
inline constexpr int kBadOpcode = 1812;
inline constexpr int kMaskedFrame = 1813;
inline constexpr int kBadControlFrame = 1814; // a control frame over 125 bytes or fragmented
inline constexpr int kBadFragmentation = 1815;
inline constexpr int kBadCloseCode = 1816;
inline constexpr int kBadCloseReason = 1817; // a close reason that is not UTF-8
inline constexpr int kReadLimit = 1818;      // a message over the read limit
inline constexpr int kBadCompressedData = 1819;
// the connection ended: without a close frame, or by a close frame with a code other than
// 1000 and 1001, by the code's class (every code the reader accepts is in one)
inline constexpr int kAbnormalClosure = 1850;  // EOF without a close frame (1006)
inline constexpr int kCloseNoStatus = 1851;    // a close frame without a code (1005)
inline constexpr int kCloseProtocol = 1852;    // 1002, 1003, 1007, 1009, 1010
inline constexpr int kClosePolicy = 1853;      // 1008
inline constexpr int kCloseServerError = 1854; // 1011-1014: internal error, restart, try later
inline constexpr int kCloseLibrary = 1855;     // 3000-3999
inline constexpr int kClosePrivate = 1856;     // 4000-4999
// the script's own writes
inline constexpr int kWriteAfterClose = 1860;    // `websocket: close sent`
inline constexpr int kControlPayloadSize = 1861; // a ping or pong payload over 125 bytes

// The code of an upgrade response with `status` that is not 101.
int of_status(int status);

// The code of a close frame's (or EOF's 1006) close code; 0 for 1000 and 1001. A code the
// reader refuses (999, 1004, 2000, ...) is kBadCloseCode, as the reader reports it.
int of_close(std::uint16_t close_code);

// A read or write error on an open connection (io_error_text's cases).
int of_io(const boost::system::error_code& ec, StopCause cause);

// A failed TLS handshake or TLS record, from tls_error_text's text.
int of_tls_text(std::string_view text);

// The failure's name as docs/insight.md lists it (`dial_refused`), "" for an unknown code.
std::string_view name(int code);

} // namespace volley::net::ws_error
