// RemoteWriteOutput against an in-process endpoint on 127.0.0.1: the request k6's client sends
// (method, path, headers, the snappy-compressed protobuf body), the final push at stop(), the
// stale markers, and the banner description.

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include "metrics/registry.hpp"
#include "metrics/tags.hpp"
#include "output/prompb.hpp"
#include "output/remote_write.hpp"
#include "util/error.hpp"

namespace volley::output {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Accepts connections on a free loopback port and answers every request with `status`,
// keeping what it received. Runs on its own thread for at most 20 s.
class Endpoint {
public:
    explicit Endpoint(unsigned status = 204)
        : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)), status_(status) {
        accept();
        thread_ = std::thread([this] { ioc_.run_for(std::chrono::seconds(20)); });
    }
    ~Endpoint() {
        asio::post(ioc_, [this] { ioc_.stop(); });
        thread_.join();
    }
    std::string url() const {
        return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) +
               "/api/v1/write";
    }
    // The requests received so far; call after the output stopped.
    const std::vector<http::request<http::string_body>>& requests() const { return requests_; }

private:
    struct Session {
        explicit Session(tcp::socket s) : stream(std::move(s)) {}
        beast::tcp_stream stream;
        beast::flat_buffer buffer;
        http::request<http::string_body> req;
        http::response<http::empty_body> res;
    };

    void accept() {
        acceptor_.async_accept([this](beast::error_code ec, tcp::socket s) {
            if (ec) {
                return;
            }
            read(std::make_shared<Session>(std::move(s))); // shared: owned by its handlers
            accept();
        });
    }
    void read(const std::shared_ptr<Session>& s) {
        s->req = {};
        http::async_read(s->stream, s->buffer, s->req, [this, s](beast::error_code ec, auto) {
            if (ec) {
                return;
            }
            requests_.push_back(s->req);
            s->res = http::response<http::empty_body>(static_cast<http::status>(status_), 11);
            s->res.keep_alive(true);
            http::async_write(s->stream, s->res, [this, s](beast::error_code wec, auto) {
                if (!wec) {
                    read(s);
                }
            });
        });
    }

    asio::io_context ioc_;
    tcp::acceptor acceptor_;
    unsigned status_;
    std::vector<http::request<http::string_body>> requests_;
    std::thread thread_;
};

class RemoteWriteOutputTest : public ::testing::Test {
protected:
    metrics::Registry registry;
    metrics::TagInterner tags;
    OutputParams params{registry, tags};
    const metrics::Builtins& b = registry.builtins();

    std::vector<metrics::Sample> samples() {
        auto t = tags.intern({{"scenario", "default"}});
        return {{b.iterations, t, 1'700'000'000'000'000'000, 1},
                {b.iterations, t, 1'700'000'000'001'000'000, 1}};
    }
};

TEST_F(RemoteWriteOutputTest, PushesLikeK6sClientAndOnceMoreAtStop) {
    Endpoint endpoint;
    Environment env = {{"K6_PROMETHEUS_RW_SERVER_URL", endpoint.url()},
                       {"K6_PROMETHEUS_RW_PUSH_INTERVAL", "1h"}, // only the final push
                       {"K6_PROMETHEUS_RW_USERNAME", "user"},
                       {"K6_PROMETHEUS_RW_PASSWORD", "pass"}};
    RemoteWriteOutput out(params, env, nullptr, 0);
    EXPECT_EQ(out.description(), "Prometheus remote write (" + endpoint.url() + ")");
    out.start();
    auto batch = samples();
    out.consume(batch);
    out.stop();

    ASSERT_EQ(endpoint.requests().size(), 1u);
    const auto& req = endpoint.requests()[0];
    EXPECT_EQ(req.method(), http::verb::post);
    EXPECT_EQ(req.target(), "/api/v1/write");
    EXPECT_EQ(req[http::field::user_agent], "k6-prometheus-rw-output");
    EXPECT_EQ(req[http::field::content_encoding], "snappy");
    EXPECT_EQ(req[http::field::content_type], "application/x-protobuf");
    EXPECT_EQ(req["X-Prometheus-Remote-Write-Version"], "0.1.0");
    EXPECT_EQ(req[http::field::authorization], "Basic dXNlcjpwYXNz"); // user:pass

    PromTimeSeries expected;
    expected.labels = {{"__name__", "k6_iterations_total"}, {"scenario", "default"}};
    expected.samples = {{2, 1'700'000'000'001}};
    EXPECT_EQ(snappy_uncompress(req.body()), encode_write_request({expected}));
}

// As k6: configured headers (here a bearer token) replace the basic-auth header.
TEST_F(RemoteWriteOutputTest, HeadersAndStaleMarkers) {
    Endpoint endpoint;
    Environment env = {{"K6_PROMETHEUS_RW_SERVER_URL", endpoint.url()},
                       {"K6_PROMETHEUS_RW_PUSH_INTERVAL", "1h"},
                       {"K6_PROMETHEUS_RW_USERNAME", "user"},
                       {"K6_PROMETHEUS_RW_BEARER_TOKEN", "tok"},
                       {"K6_PROMETHEUS_RW_HEADERS_x-my-header", "v"},
                       {"K6_PROMETHEUS_RW_STALE_MARKERS", "true"}};
    RemoteWriteOutput out(params, env, nullptr, 0);
    out.start();
    auto batch = samples();
    out.consume(batch);
    out.stop();
    ASSERT_EQ(endpoint.requests().size(), 2u); // the final push, then the stale markers
    for (const auto& req : endpoint.requests()) {
        EXPECT_EQ(req[http::field::authorization], "Bearer tok");
        EXPECT_EQ(req["X-My-Header"], "v");
    }
    auto body = snappy_uncompress(endpoint.requests()[1].body());
    ASSERT_TRUE(body.has_value());
    // The marker: Prometheus's stale NaN as the sample value (fixed64, little-endian).
    EXPECT_NE(body->find(std::string("\x09\x02\x00\x00\x00\x00\x00\xf0\x7f", 9)),
              std::string::npos);
}

TEST_F(RemoteWriteOutputTest, ConfigurationErrorsAreUserErrors) {
    try {
        RemoteWriteOutput out(params, {{"K6_PROMETHEUS_RW_SIGV4_REGION", "eu-west-1"}}, nullptr, 0);
        FAIL() << "no error";
    } catch (const UserError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "could not create the 'experimental-prometheus-rw' output: sigv4 seems to be "
                  "partially configured. All of K6_PROMETHEUS_RW_SIGV4_REGION, "
                  "K6_PROMETHEUS_RW_SIGV4_ACCESS_KEY, K6_PROMETHEUS_RW_SIGV4_SECRET_KEY must all "
                  "be set. Unset all to bypass sigv4");
        EXPECT_EQ(e.code(), ExitCode::kGeneric);
    }
    EXPECT_THROW(RemoteWriteOutput(params, {{"K6_PROMETHEUS_RW_PUSH_INTERVAL", "0s"}}, nullptr, 0),
                 UserError);
    EXPECT_THROW(RemoteWriteOutput(params,
                                   {{"K6_PROMETHEUS_RW_CLIENT_CERTIFICATE", "/nonexistent.pem"},
                                    {"K6_PROMETHEUS_RW_CLIENT_CERTIFICATE_KEY", "/nonexistent"}},
                                   nullptr, 0),
                 UserError);
}

} // namespace
} // namespace volley::output
