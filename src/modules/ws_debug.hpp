#pragma once

// --ws-debug[=full] (docs/insight.md, "Frame log"): every WebSocket frame of the selected VUs
// (k6/ws and k6/websockets), one log line each, like k6's --http-debug: direction, opcode,
// flags and length, and with =full the payload (`payload` when it is UTF-8, else `payload_hex`),
// cut at kPayloadShown bytes. On stderr, or in a file with --ws-debug-file. Off (the default), a
// frame costs one pointer test.

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "net/ws_client.hpp"
#include "util/log.hpp"

namespace volley::modules {

class VuApi;

inline constexpr std::size_t kPayloadShown = 256;

// VU ids, as `--ws-debug-vus 1,3-5` gives them; empty: every VU.
using VuRanges = std::vector<std::pair<std::uint64_t, std::uint64_t>>;

// Parses `1,3-5`. Throws UserError (exit 255, a usage error) for anything else.
VuRanges parse_vu_ranges(const std::string& text);

// The frame log of a test, shared by every VU. Thread-safe.
class WsDebugLog {
public:
    // `mode`: "" or "headers", or "full". `file`: "" for stderr. Throws UserError (exit 255, a
    // usage error) for another mode or a file that cannot be created.
    WsDebugLog(const std::string& mode, VuRanges vus, const std::string& file);
    ~WsDebugLog();
    WsDebugLog(const WsDebugLog&) = delete;
    WsDebugLog& operator=(const WsDebugLog&) = delete;

    bool selects(std::uint64_t vu) const;
    bool full() const { return full_; }
    std::uint64_t next_socket_id() { return ++sockets_; }
    void write(const log::Fields& fields);

private:
    bool full_ = false;
    VuRanges vus_;
    std::FILE* file_ = nullptr; // null: stderr (through the log's lock)
    std::mutex mutex_;
    std::atomic<std::uint64_t> sockets_{0};
};

// The observer a socket of `vu` gives its client: each line carries the VU, its iteration at
// the frame and the socket's id. Null when --ws-debug is off or does not select the VU.
std::unique_ptr<net::FrameObserver> frame_logger_for(VuApi& vu);

} // namespace volley::modules
