#pragma once

// k6's remote-write client (internal/output/prometheusrw/remote/client.go, with the HTTP settings
// of remotewrite.Config.RemoteConfig): one POST of a snappy-compressed protobuf WriteRequest per
// Store(), 5 s at most for the whole request, any 2xx status is success. Headers as k6 sends
// them: basic auth when a username is set, the configured headers (and the bearer token), then
// User-Agent k6-prometheus-rw-output, Content-Encoding snappy, Content-Type
// application/x-protobuf and X-Prometheus-Remote-Write-Version 0.1.0. TLS: the system roots,
// TLS 1.3 at least (1.2 with tlsMinVersion "1.2"), insecureSkipTLSVerify, a client certificate.
//
// Thread rules: the client belongs to the io_context it is given and is used from one coroutine
// of that io_context at a time.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/system/result.hpp>

#include "output/prompb.hpp"
#include "output/remote_write_config.hpp"
#include "util/coroutine.hpp"

namespace volley::output {

class RemoteWriteClient {
public:
    // k6's defaultTimeout: the whole request (connect, TLS, send, response).
    static constexpr std::chrono::seconds kTimeout{5};

    // Parses the URL and prepares TLS. The error is k6's text (`failed to initialize the
    // Prometheus remote write client: parse "...": ...`, `failed to load the TLS certificate:
    // open ...: no such file or directory`, the sigv4 texts).
    static boost::system::result<std::unique_ptr<RemoteWriteClient>, std::string>
    make(const RemoteWriteConfig& config, boost::asio::io_context& ioc);

    ~RemoteWriteClient();
    RemoteWriteClient(const RemoteWriteClient&) = delete;
    RemoteWriteClient& operator=(const RemoteWriteClient&) = delete;

    // k6's WriteClient.Store: "" on a 2xx response, else k6's error text, e.g.
    // `HTTP POST request failed: Post "http://127.0.0.1:1/api/v1/write": dial tcp 127.0.0.1:1:
    // connect: connection refused` or `got status code: 400 instead expected a 2xx successful
    // status code`. Never throws for failures of the endpoint.
    std::string store(const std::vector<PromTimeSeries>& series, Yield yield);

    // Closes the kept-alive connection (at the end of the test).
    void close();

private:
    struct State;
    explicit RemoteWriteClient(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

} // namespace volley::output
