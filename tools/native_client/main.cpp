// native_client: the JS-free floor of the pingpong and churn benchmarks (see native_client.hpp).
// Prints a human line on stderr and one JSON object on stdout; exit 2 on a usage error, 1 when
// no connection succeeded.

#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "native_client.hpp"
#include "raw_floor.hpp"

namespace {

constexpr const char* kUsage =
    "usage: native_client pingpong|churn [--url ws://127.0.0.1:8765/] [--conns N] "
    "[--seconds S] [--size BYTES] [--threads T] [--engine net|raw]\n";

} // namespace

int main(int argc, char** argv) {
    namespace nc = volley::native_client;
    std::vector<std::string> args(argv + 1, argv + argc);
    nc::NativeOptions options;
    try {
        options = nc::parse_args(args);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "native_client: %s\n%s", e.what(), kUsage);
        return 2;
    }
    nc::NativeResult r;
    try {
        r = options.engine == nc::Engine::kRaw ? nc::run_raw(options) : nc::run_native(options);
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "native_client: %s\n%s", e.what(), kUsage);
        return 2;
    }
    const double cpu = r.cpu_user_s + r.cpu_sys_s;
    const double msgs = static_cast<double>(r.msgs_sent + r.msgs_received);
    std::fprintf(stderr,
                 "native_client: %llu sent, %llu received, %llu sessions, %llu errors%s%s; "
                 "%.3f s CPU (%.2f µs/msg, %.1f µs/session) in %.3f s\n",
                 static_cast<unsigned long long>(r.msgs_sent),
                 static_cast<unsigned long long>(r.msgs_received),
                 static_cast<unsigned long long>(r.sessions),
                 static_cast<unsigned long long>(r.errors), r.errors ? ", first: " : "",
                 r.first_error.c_str(), cpu, msgs > 0 ? cpu * 1e6 / msgs : 0.0,
                 r.sessions ? cpu * 1e6 / static_cast<double>(r.sessions) : 0.0, r.wall_s);
    std::printf("%s\n", nc::to_json(options, r).c_str());
    return r.sessions > 0 ? 0 : 1;
}
