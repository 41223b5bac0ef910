#pragma once

// `volley echo --chaos SEED[:MIX]`: each WebSocket connection misbehaves in one way drawn from a
// seeded mix, the same for the same seed and the same order of connections. Pure; any thread.
//
// MIX is a comma-separated list of NAME or NAME=WEIGHT (default: every misbehaviour, weight 1).
// The names, and what the connection does after reading the upgrade request:
//
//   echo        echo every message
//   reset       echo N messages (N = 1..5), then reset TCP (RST)
//   hang        never answer the handshake
//   status      answer with a status other than 101 (200, 400, 403, 500 or 503)
//   garbage-handshake   answer with bytes that are not HTTP
//   drop        echo N messages (N = 1..5), then close TCP without a close frame
//   garbage     send a protocol violation (a kind of /garbage, see echo_server.hpp)
//   huge-frame  send the header of a 64 MiB binary frame, then nothing
//   invalid-utf8  send a text frame that is not UTF-8, then echo
//   noread      read nothing more (the client's writes back up)
//   flood       send 1 KiB text messages back to back for 2 s, then echo
//   ping-flood  send pings back to back for 2 s, then echo
//   bad-close   send a close frame with an invalid code (999, 1005, 1006 or 1100)
//   half-close  shut down the sending side at once, then read until the client ends
//
// Every connection (plain HTTP ones too) ends within kChaosLifetime of its accept: the server
// closes the socket then, whatever it was doing.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace volley::wsecho {

enum class Misbehaviour {
    kEcho,
    kReset,
    kHang,
    kStatus,
    kGarbageHandshake,
    kDrop,
    kGarbage,
    kHugeFrame,
    kInvalidUtf8,
    kNoRead,
    kFlood,
    kPingFlood,
    kBadClose,
    kHalfClose
};

inline constexpr std::chrono::seconds kChaosLifetime{10};

struct ChaosMix {
    std::uint64_t seed = 0;
    std::vector<std::pair<Misbehaviour, unsigned>> weights; // weight > 0, at least one entry
};

// One connection's draw: the misbehaviour and its parameter (the message count of reset and
// drop, the status of status, the close code of bad-close; the garbage kind's name in `kind`).
struct ChaosPick {
    Misbehaviour what = Misbehaviour::kEcho;
    int n = 0;
    std::string kind;
};

// Parses SEED[:MIX]. Throws UserError (with the list of names as hint) on a bad seed, an unknown
// name, a bad weight or a mix whose weights are all 0.
ChaosMix parse_chaos(std::string_view text);

// The draw of the connection-th accepted connection (0, 1, ...; plain HTTP ones count too)
// under `mix`.
ChaosPick pick_chaos(const ChaosMix& mix, std::uint64_t connection);

std::string_view misbehaviour_name(Misbehaviour m);

// "echo, reset=2, ..." : the mix as the server prints it at start.
std::string describe(const ChaosMix& mix);

} // namespace volley::wsecho
