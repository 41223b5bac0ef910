#include "process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>

#include "util/time.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace volley::test {
namespace {

void exec_child(const std::vector<std::string>& argv, const ProcessOptions& options, int in_fd,
                int out_fd, int err_fd) {
    dup2(in_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    if (argv.front() == volley_binary()) {
        // The developer's own k6 config file (~/.config/k6/config.json) must not reach the tests;
        // a test that wants one sets XDG_CONFIG_HOME itself.
        setenv("XDG_CONFIG_HOME", "/nonexistent/volley-tests", 1);
    }
    for (const auto& [k, v] : options.env) {
        setenv(k.c_str(), v.c_str(), 1);
    }
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) {
        _exit(126);
    }
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
}

// The note an ASan build prints at start-up about coroutines is not the program's output.
void drop_sanitizer_notes(std::string& err) {
    const std::string_view note = "WARNING: ASan doesn't fully support makecontext/swapcontext";
    for (auto at = err.find(note); at != std::string::npos; at = err.find(note)) {
        auto start = err.rfind('\n', at);
        start = start == std::string::npos ? 0 : start + 1;
        auto end = err.find('\n', at);
        err.erase(start, end == std::string::npos ? std::string::npos : end + 1 - start);
    }
}

// Reads both pipes until EOF or the deadline; returns false on timeout.
bool pump(int out_fd, int err_fd, std::string& out, std::string& err,
          SteadyClock::time_point deadline) {
    pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    int open = 2;
    char buf[65536];
    while (open > 0) {
        auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
        if (left.count() <= 0) {
            return false;
        }
        int n = poll(fds, 2, static_cast<int>(left.count()));
        if (n < 0 && errno != EINTR) {
            return false;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
                continue;
            }
            ssize_t r = read(fds[i].fd, buf, sizeof buf);
            if (r > 0) {
                (i == 0 ? out : err).append(buf, static_cast<std::size_t>(r));
            } else if (r == 0 || errno != EINTR) {
                fds[i].fd = -1;
                --open;
            }
        }
    }
    return true;
}

} // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
    int in[2];
    int out[2];
    int err[2];
    if (pipe(in) != 0 || pipe(out) != 0 || pipe(err) != 0) {
        return {};
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(in[1]);
        close(out[0]);
        close(err[0]);
        exec_child(argv, options, in[0], out[1], err[1]);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (!options.stdin_data.empty()) {
        [[maybe_unused]] auto w =
            write(in[1], options.stdin_data.data(), options.stdin_data.size());
    }
    close(in[1]);
    if (options.on_start) {
        options.on_start(pid);
    }
    ProcessResult result;
    bool finished =
        pump(out[0], err[0], result.out, result.err, SteadyClock::now() + options.timeout);
    if (!finished) {
        result.timed_out = true;
        kill(pid, SIGKILL);
    }
    close(out[0]);
    close(err[0]);
    int status = 0;
    struct rusage usage {};
    wait4(pid, &status, 0, &usage);
    result.max_rss_kib = usage.ru_maxrss;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    drop_sanitizer_notes(result.err);
    return result;
}

std::string volley_binary() {
    return VOLLEY_BINARY;
}

std::string make_temp_dir(const std::string& prefix) {
    std::random_device rd;
    auto dir = std::filesystem::temp_directory_path() /
               (prefix + "-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir);
    return dir.string();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

int bind_loopback(int fd) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    return ntohs(a.sin_port);
}

int free_loopback_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int port = bind_loopback(fd);
    close(fd);
    return port;
}

} // namespace volley::test
