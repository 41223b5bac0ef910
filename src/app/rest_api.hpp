#pragma once

// k6's REST API (api/v1), the part that drives a test from outside: `GET /v1/status` and
// `PATCH /v1/status` with k6's JSON:API documents, status codes and error bodies. This is what
// the Grafana k6-operator calls: its starter PATCHes `paused: false` into every runner started
// with `--paused`, and its controller polls `GET /v1/status` until `running` is false.
//
// One thread with its own io_context serves the connections (keep-alive, one request at a
// time each); the test is reached only through RestControl, from that thread.

#include <cstdint>
#include <memory>
#include <string>

namespace volley::app {

// k6's api/v1.Status.
struct RestStatus {
    int status = 0; // k6's lib.ExecutionStatus
    bool paused = false;
    std::uint64_t vus = 0;
    std::uint64_t vus_max = 0;
    bool stopped = false;
    bool running = false;
    bool tainted = false;
};

// What the API may do to the running test. Called on the API's thread.
class RestControl {
public:
    virtual ~RestControl() = default;
    virtual RestStatus status() = 0;
    // k6's Scheduler.SetPaused: "" or its error text.
    virtual std::string set_paused(bool pause) = 0;
    // `stopped: true`: ends the test as k6 does ("test run stopped from REST API", exit 103).
    virtual void stop() = 0;
};

// `status` as k6's JSON:API document: {"data":{"type":"status","id":"default","attributes":…}}.
std::string status_document(const RestStatus& status);

// One HTTP request and what the API answers, without sockets (the unit of the tests).
struct RestResponse {
    int code = 200;
    std::string content_type; // "" = no Content-Type header
    std::string body;
    bool nosniff = false; // Go's 404 page adds X-Content-Type-Options: nosniff
};
RestResponse handle_rest_request(RestControl& control, const std::string& method,
                                 const std::string& target, const std::string& body);

class RestApi {
public:
    // Listens on `address` ("HOST:PORT"; port 0 picks one) now, and serves until destroyed.
    // Throws UserError (exit 106, k6's CannotStartRESTAPI) with k6's text when it cannot.
    RestApi(const std::string& address, RestControl& control);
    ~RestApi();
    RestApi(const RestApi&) = delete;
    RestApi& operator=(const RestApi&) = delete;

    // The bound address, e.g. "127.0.0.1:6565".
    std::string local_address() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace volley::app
