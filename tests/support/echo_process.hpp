#pragma once

// `volley echo` as a separate process on a free 127.0.0.1 port, for end-to-end tests: started by
// the constructor (which waits until it accepts connections), stopped with SIGINT by the
// destructor.

#include <string>
#include <thread>
#include <vector>

namespace volley::test {

class EchoProcess {
public:
    // `extra` are more `volley echo` flags, e.g. {"--tls"}.
    explicit EchoProcess(std::vector<std::string> extra = {});
    ~EchoProcess();
    EchoProcess(const EchoProcess&) = delete;
    EchoProcess& operator=(const EchoProcess&) = delete;

    const std::string& port() const { return port_; }
    // "ws://127.0.0.1:<port>/" (or wss:// with `scheme`).
    std::string url(const std::string& scheme = "ws") const;

private:
    std::string port_;
    int pid_ = 0;
    std::thread thread_;
};

} // namespace volley::test
