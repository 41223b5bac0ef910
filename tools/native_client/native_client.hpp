#pragma once

// The "native floor" of the benchmarks (docs/performance.md): the pingpong and churn workloads
// of bench/workloads driven straight from C++ through net::WsClient, with no JavaScript, no
// metrics and no scheduler. What volley spends beyond this client is the cost of the JS call,
// event dispatch and metrics.
//
// Threading: run_native() owns its io_contexts and threads and returns when every connection
// coroutine has returned. Each io_context is run by one thread (concurrency hint 1, as volley's
// workers) and owns a disjoint set of connections.

#include <cstdint>
#include <string>
#include <vector>

namespace volley::native_client {

enum class Mode { kPingpong, kChurn };

// kNet: through net::WsClient on Asio coroutines (volley's path minus JS); kRaw: the raw epoll
// floor of raw_floor.hpp (the kernel's share on this machine).
enum class Engine { kNet, kRaw };

struct NativeOptions {
    Mode mode = Mode::kPingpong;
    Engine engine = Engine::kNet;
    std::string url = "ws://127.0.0.1:8765/";
    unsigned conns = 50;   // concurrent connection coroutines
    unsigned threads = 1;  // io_context threads; connections are spread round-robin
    double seconds = 10;   // run time
    std::size_t size = 64; // pingpong payload bytes
};

struct NativeResult {
    std::uint64_t msgs_sent = 0;
    std::uint64_t msgs_received = 0;
    std::uint64_t sessions = 0; // successful handshakes
    std::uint64_t errors = 0;   // failed handshakes, writes or unexpected events
    std::string first_error;    // text of the first error ("" if none)
    double wall_s = 0;          // seconds from the first connect to the last return
    double cpu_user_s = 0;      // this process, whole run (getrusage RUSAGE_SELF)
    double cpu_sys_s = 0;
    std::uint64_t max_rss_kib = 0; // peak RSS of this process
};

// Parses the arguments after the program name: `pingpong|churn [--url U] [--conns N]
// [--seconds S] [--size B] [--threads T] [--engine net|raw]`. Throws std::invalid_argument with a
// message for an unknown mode or flag or a bad value.
NativeOptions parse_args(const std::vector<std::string>& args);

// Runs the workload; bounded by options.seconds plus the time in-flight handshakes take.
NativeResult run_native(const NativeOptions& options);

// One JSON object on one line (the form bench/run reads).
std::string to_json(const NativeOptions& options, const NativeResult& result);

} // namespace volley::native_client
