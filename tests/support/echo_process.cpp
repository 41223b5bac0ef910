#include "echo_process.hpp"

#include <atomic>
#include <chrono>
#include <csignal>

#include "process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace volley::test {
namespace {

sockaddr_in loopback(int port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

// A port nothing listens on right now (bound to 0, read back, released).
int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a = loopback(0);
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    close(fd);
    return ntohs(a.sin_port);
}

bool accepts(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a = loopback(port);
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(fd);
    return ok;
}

} // namespace

EchoProcess::EchoProcess(std::vector<std::string> extra) {
    int port = free_port();
    port_ = std::to_string(port);
    std::vector<std::string> argv = {volley_binary(), "echo", "--addr", "127.0.0.1:" + port_};
    argv.insert(argv.end(), extra.begin(), extra.end());
    std::atomic<int> pid{0};
    thread_ = std::thread([this, argv, &pid] {
        ProcessOptions o;
        o.timeout = std::chrono::seconds(120);
        o.on_start = [&pid](int p) { pid = p; };
        run_process(argv, o);
    });
    for (int i = 0; i < 100 && !accepts(port); ++i) { // up to 5 s
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    pid_ = pid.load();
}

EchoProcess::~EchoProcess() {
    if (pid_ > 0) {
        kill(pid_, SIGINT);
    }
    thread_.join();
}

std::string EchoProcess::url(const std::string& scheme) const {
    return scheme + "://127.0.0.1:" + port_ + "/";
}

} // namespace volley::test
