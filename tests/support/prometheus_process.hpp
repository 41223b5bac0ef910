#pragma once

// Debian's Prometheus server (/usr/bin/prometheus, installed by scripts/setup) as a separate
// process for end-to-end tests of the remote-write output: a fresh TSDB in a temporary folder,
// the remote-write receiver and native histograms on, listening on a free 127.0.0.1 port.
// Started by the constructor (which waits, 30 s at most, until /-/ready answers 200), stopped
// with SIGTERM by the destructor.

#include <optional>
#include <string>
#include <thread>

#include <boost/json/value.hpp>

namespace volley::test {

class PrometheusProcess {
public:
    static constexpr const char* kBinary = "/usr/bin/prometheus";
    static bool available();

    PrometheusProcess();
    ~PrometheusProcess();
    PrometheusProcess(const PrometheusProcess&) = delete;
    PrometheusProcess& operator=(const PrometheusProcess&) = delete;

    bool ready() const { return ready_; }
    // "http://127.0.0.1:<port>/api/v1/write".
    std::string write_url() const;
    // The `data.result` array of an instant query (/api/v1/query), or nullopt when the request
    // failed or Prometheus answered with an error (10 s at most).
    std::optional<boost::json::value> query(const std::string& promql) const;
    // The first result's value as a number (instant vector or scalar), nullopt when the result
    // is empty or the query failed.
    std::optional<double> query_value(const std::string& promql) const;
    // What Prometheus printed on stderr so far is only known after the destructor; this is its
    // command line, for failure messages.
    const std::string& port() const { return port_; }

private:
    std::string dir_;
    std::string port_;
    int pid_ = 0;
    bool ready_ = false;
    std::thread thread_;
};

// GET http://127.0.0.1:<port><target>: the status (0 when the request failed) and the body.
// 10 s at most.
struct HttpGetResult {
    int status = 0;
    std::string body;
};
HttpGetResult http_get(const std::string& port, const std::string& target);

} // namespace volley::test
