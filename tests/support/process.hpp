#pragma once

// Runs a program as a user would (end-to-end tests): captures stdout and stderr and the exit
// code, with a time limit after which the child is killed.

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace volley::test {

// `err` leaves out the note an ASan build prints about makecontext/swapcontext.
struct ProcessResult {
    int exit_code = -1;     // exit status, or 128 + signal when killed by one
    bool timed_out = false; // killed by the time limit
    long max_rss_kib = 0;   // the child's peak resident set (getrusage's ru_maxrss)
    std::string out;
    std::string err;
};

// The child gets the current environment with `env` laid over it; the volley binary also gets
// XDG_CONFIG_HOME set to a folder that does not exist (no user k6 config file), unless `env` sets
// it.
struct ProcessOptions {
    std::chrono::milliseconds timeout{60000};
    std::map<std::string, std::string> env; // added to (and overriding) the current environment
    std::string cwd;                        // working directory ("" = current)
    std::string stdin_data;                 // written to the child's stdin, then closed
    // Called once with the child's pid shortly after it starts (e.g. to send SIGINT later).
    std::function<void(int pid)> on_start;
};

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// The volley binary under test.
std::string volley_binary();

// A fresh temporary directory (removed by the caller if wanted).
std::string make_temp_dir(const std::string& prefix);

// Writes `text` to `path`.
void write_file(const std::string& path, const std::string& text);
std::string read_text(const std::string& path);

// Binds socket `fd` to 127.0.0.1 on a port the kernel picks; returns the port.
int bind_loopback(int fd);

// A loopback port that was free a moment ago (bound to port 0, then released).
int free_loopback_port();

} // namespace volley::test
