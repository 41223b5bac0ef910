#pragma once

// Starts an independent WebSocket peer (tests/net/peers/) as a child process and reads the port
// it prints. The child exits when its stdin closes; the destructor also sends SIGTERM and reaps.

#include <cstdlib>
#include <string>
#include <vector>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace volley::net::testing {

class PeerProcess {
public:
    // Runs argv (argv[0] is a path) with `env` entries added ("NAME=value"). port() is 0 if it
    // failed to start or print a port within 15 s.
    PeerProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
        int in[2];
        int out[2];
        if (pipe(in) != 0 || pipe(out) != 0) {
            return;
        }
        pid_ = fork();
        if (pid_ == 0) {
            dup2(in[0], 0);
            dup2(out[1], 1);
            close(in[1]);
            close(out[0]);
            for (const auto& e : env) {
                putenv(const_cast<char*>(e.c_str()));
            }
            std::vector<char*> args;
            for (const auto& a : argv) {
                args.push_back(const_cast<char*>(a.c_str()));
            }
            args.push_back(nullptr);
            execv(args[0], args.data());
            _exit(127);
        }
        close(in[0]);
        close(out[1]);
        stdin_ = in[1];
        stdout_ = out[0];
        port_ = read_port();
    }

    ~PeerProcess() {
        if (stdin_ >= 0) {
            close(stdin_);
        }
        if (stdout_ >= 0) {
            close(stdout_);
        }
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            int status = 0;
            waitpid(pid_, &status, 0);
        }
    }

    PeerProcess(const PeerProcess&) = delete;
    PeerProcess& operator=(const PeerProcess&) = delete;

    int port() const { return port_; }

private:
    int read_port() {
        std::string line;
        pollfd p{stdout_, POLLIN, 0};
        while (line.find('\n') == std::string::npos && poll(&p, 1, 15000) > 0) {
            char buf[64];
            ssize_t n = read(stdout_, buf, sizeof buf);
            if (n <= 0) {
                return 0;
            }
            line.append(buf, static_cast<std::size_t>(n));
        }
        return std::atoi(line.c_str());
    }

    pid_t pid_ = -1;
    int stdin_ = -1;
    int stdout_ = -1;
    int port_ = 0;
};

} // namespace volley::net::testing
