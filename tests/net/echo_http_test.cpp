// The echo server's plain HTTP routes (/http/...), plain and TLS, driven by a small Beast
// client: every route, keep-alive, chunked request bodies, abrupt endings; and /ws/auth.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ssl/error.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <zlib.h>

#include "http_test_client.hpp"
#include "net/ws_client.hpp"
#include "net_test_support.hpp"
#include "wsecho/echo_server.hpp"

namespace volley::net {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;
using testing::HttpTestClient;
using testing::Received;
using testing::request_text;
using testing::run_coroutine;

std::vector<std::string> all_values(const testing::HttpResponse& res, std::string_view name) {
    std::vector<std::string> out;
    for (const auto& f : res) {
        if (boost::beast::iequals(f.name_string(), name)) {
            out.emplace_back(f.value());
        }
    }
    return out;
}

// zlib's uncompress for both wrappers (windowBits 15 + 32 detects gzip or zlib); nullopt-like
// "" with ok == false when the data is not compressed.
std::string inflate(const std::string& data, bool& ok) {
    z_stream z{};
    inflateInit2(&z, 15 + 32);
    std::string out(4096, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    ok = inflate(&z, Z_FINISH) == Z_STREAM_END;
    out.resize(z.total_out);
    inflateEnd(&z);
    return out;
}

class EchoHttp : public ::testing::TestWithParam<bool> {
protected:
    static void SetUpTestSuite() {
        plain_ = std::make_unique<wsecho::EchoServer>(wsecho::EchoOptions{});
        plain_port_ = plain_->start();
        wsecho::EchoOptions o;
        o.tls = true;
        tls_ = std::make_unique<wsecho::EchoServer>(o);
        tls_port_ = tls_->start();
    }
    static void TearDownTestSuite() {
        plain_.reset();
        tls_.reset();
    }

    static bool tls() { return GetParam(); }
    static std::uint16_t port() { return tls() ? tls_port_ : plain_port_; }
    static wsecho::EchoServer& server() { return tls() ? *tls_ : *plain_; }

    // Sends `request` on a new connection and reads one response.
    static Received exchange(const std::string& request, bool head_request = false) {
        Received out;
        run_coroutine([&](auto& ioc, Yield yield) {
            HttpTestClient c(ioc, tls());
            ASSERT_TRUE(c.connect(port(), yield));
            ASSERT_FALSE(c.write(request, yield));
            out = c.read(yield, head_request);
        });
        return out;
    }

    static Received get(const std::string& target) { return exchange(request_text("GET", target)); }

    static json::object json_body(const Received& r) {
        EXPECT_FALSE(r.ec) << r.ec.message();
        EXPECT_EQ(r.res[http::field::content_type], "application/json");
        return json::parse(r.res.body()).as_object();
    }

    static inline std::unique_ptr<wsecho::EchoServer> plain_;
    static inline std::unique_ptr<wsecho::EchoServer> tls_;
    static inline std::uint16_t plain_port_ = 0;
    static inline std::uint16_t tls_port_ = 0;
};

INSTANTIATE_TEST_SUITE_P(PlainAndTls, EchoHttp, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "Tls" : "Plain"; });

TEST_P(EchoHttp, EchoDescribesTheRequest) {
    auto r = exchange(request_text("GET", "/http/echo/a/b?x=1&x=2&y=%20z&e",
                                   "X-One: a\r\nx-dup: 1\r\nX-Dup: 2\r\n"));
    EXPECT_EQ(r.res.result_int(), 200);
    EXPECT_EQ(r.res[http::field::server], "volley-echo");
    auto doc = json_body(r);
    EXPECT_EQ(doc["method"], "GET");
    EXPECT_EQ(doc["target"], "/http/echo/a/b?x=1&x=2&y=%20z&e");
    EXPECT_EQ(doc["path"], "/http/echo/a/b");
    EXPECT_EQ(doc["query"], (json::object{{"x", "1"}, {"y", " z"}, {"e", ""}}));
    EXPECT_EQ(doc["headers"].at("x-one"), "a");
    EXPECT_EQ(doc["headers"].at("x-dup"), "1, 2");
    EXPECT_EQ(doc["headers"].at("host"), "127.0.0.1");
    EXPECT_EQ(doc["raw_headers"],
              (json::array{json::array{"Host", "127.0.0.1"}, json::array{"X-One", "a"},
                           json::array{"x-dup", "1"}, json::array{"X-Dup", "2"}}));
    EXPECT_EQ(doc["body"], "");
    EXPECT_EQ(doc["body_len"], 0);
    EXPECT_EQ(doc["body_hex"], "");
}

TEST_P(EchoHttp, EchoReadsAContentLengthBody) {
    auto r = exchange(request_text("PUT", "/http/echo", "Content-Type: x/y\r\n", "h\xffi!"));
    auto doc = json_body(r);
    EXPECT_EQ(doc["method"], "PUT");
    EXPECT_EQ(doc["body"], "h\xef\xbf\xbdi!");
    EXPECT_EQ(doc["body_len"], 4);
    EXPECT_EQ(doc["body_hex"], "68ff6921");
    EXPECT_EQ(doc["headers"].at("content-length"), "4");
}

TEST_P(EchoHttp, EchoReadsAChunkedBody) {
    auto r = exchange("POST /http/echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n");
    auto doc = json_body(r);
    EXPECT_EQ(doc["body"], "hello world");
    EXPECT_EQ(doc["body_len"], 11);
    EXPECT_EQ(doc["headers"].at("transfer-encoding"), "chunked");
}

TEST_P(EchoHttp, KeepAliveServesRequestsOnOneConnection) {
    auto before = server().accepted();
    run_coroutine([&](auto& ioc, Yield yield) {
        HttpTestClient c(ioc, tls());
        ASSERT_TRUE(c.connect(port(), yield));
        ASSERT_FALSE(c.write(request_text("GET", "/http/echo?n=1"), yield));
        auto first = c.read(yield);
        ASSERT_FALSE(first.ec) << first.ec.message();
        EXPECT_TRUE(first.res.keep_alive());
        EXPECT_EQ(json::parse(first.res.body()).at("query").at("n"), "1");
        // The next two pipelined in one write, one of them chunked.
        ASSERT_FALSE(c.write(request_text("POST", "/http/echo?n=2", "", "body") +
                                 "POST /http/echo?n=3 HTTP/1.1\r\nHost: h\r\n"
                                 "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                             yield));
        auto second = c.read(yield);
        auto third = c.read(yield);
        ASSERT_FALSE(second.ec || third.ec);
        EXPECT_EQ(json::parse(second.res.body()).at("body"), "body");
        EXPECT_EQ(json::parse(third.res.body()).at("body"), "abc");
        EXPECT_EQ(json::parse(third.res.body()).at("query").at("n"), "3");
    });
    EXPECT_EQ(server().accepted() - before, 1u);
}

TEST_P(EchoHttp, ConnectionCloseEndsTheConnection) {
    run_coroutine([&](auto& ioc, Yield yield) {
        HttpTestClient c(ioc, tls());
        ASSERT_TRUE(c.connect(port(), yield));
        ASSERT_FALSE(c.write(request_text("GET", "/http/json", "Connection: close\r\n"), yield));
        auto r = c.read(yield);
        ASSERT_FALSE(r.ec);
        EXPECT_EQ(r.res[http::field::connection], "close");
        EXPECT_FALSE(r.res.keep_alive());
        EXPECT_EQ(c.read(yield).ec, http::error::end_of_stream);
    });
}

TEST_P(EchoHttp, HeadAndExpectContinue) {
    run_coroutine([&](auto& ioc, Yield yield) {
        HttpTestClient c(ioc, tls());
        ASSERT_TRUE(c.connect(port(), yield));
        ASSERT_FALSE(c.write(request_text("HEAD", "/http/bytes?n=10"), yield));
        auto head = c.read(yield, true);
        ASSERT_FALSE(head.ec);
        EXPECT_EQ(head.res[http::field::content_length], "10");
        EXPECT_EQ(head.res.body(), "");
        ASSERT_FALSE(c.write("POST /http/echo HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n"
                             "Expect: 100-continue\r\n\r\n",
                             yield));
        auto interim = c.read(yield);
        EXPECT_EQ(interim.res.result_int(), 100);
        ASSERT_FALSE(c.write("ok", yield));
        auto r = c.read(yield);
        ASSERT_FALSE(r.ec);
        EXPECT_EQ(json::parse(r.res.body()).at("body"), "ok");
    });
}

TEST_P(EchoHttp, StatusRoute) {
    auto created = get("/http/status/201");
    EXPECT_EQ(created.res.result_int(), 201);
    EXPECT_EQ(created.res.body(), "201 Created");
    auto unavailable = get("/http/status/503");
    EXPECT_EQ(unavailable.res.result_int(), 503);
    EXPECT_EQ(unavailable.res.body(), "503 Service Unavailable");
    auto empty = get("/http/status/204");
    EXPECT_FALSE(empty.ec);
    EXPECT_EQ(empty.res.result_int(), 204);
    EXPECT_EQ(empty.res.body(), "");
    EXPECT_EQ(get("/http/status/99").res.result_int(), 400);
}

TEST_P(EchoHttp, HeadersAndSetCookieRoutes) {
    auto h = get("/http/headers?h=X-A:1&h=X-A:2&h=X-B:%20spaced&h=bad");
    EXPECT_EQ(h.res.result_int(), 200);
    EXPECT_EQ(all_values(h.res, "X-A"), (std::vector<std::string>{"1", "2"}));
    EXPECT_EQ(h.res["X-B"], "spaced");
    auto c = get("/http/set-cookie?c=a%3D1%3B%20Path%3D%2F&c=b=2");
    EXPECT_EQ(c.res.result_int(), 200);
    EXPECT_EQ(all_values(c.res, "Set-Cookie"), (std::vector<std::string>{"a=1; Path=/", "b=2"}));
}

TEST_P(EchoHttp, CookiesRoute) {
    auto with = json_body(exchange(request_text("GET", "/http/cookies", "Cookie: a=1; b=x y\r\n")));
    EXPECT_EQ(with, (json::object{{"a", "1"}, {"b", "x y"}, {"raw", "a=1; b=x y"}}));
    auto without = json_body(get("/http/cookies"));
    EXPECT_EQ(without, (json::object{{"raw", nullptr}}));
}

TEST_P(EchoHttp, RedirectRoutes) {
    auto hop = get("/http/redirect/2?code=307&to=/http/json");
    EXPECT_EQ(hop.res.result_int(), 307);
    EXPECT_EQ(hop.res[http::field::location], "/http/redirect/1?code=307&to=/http/json");
    auto last = get("/http/redirect/0?code=307&to=/http/json");
    EXPECT_EQ(last.res.result_int(), 307);
    EXPECT_EQ(last.res[http::field::location], "/http/json");
    EXPECT_EQ(get("/http/redirect/1").res[http::field::location], "/http/redirect/0");
    EXPECT_EQ(get("/http/redirect/1").res.result_int(), 302);
    EXPECT_EQ(json_body(get("/http/redirect/0")), (json::object{{"redirected", true}}));
    std::string origin =
        std::string(tls() ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
    auto abs = get("/http/redirect-abs/1?to=/http/echo");
    EXPECT_EQ(abs.res.result_int(), 302);
    EXPECT_EQ(abs.res[http::field::location], origin + "/http/redirect-abs/0?to=/http/echo");
    EXPECT_EQ(get("/http/redirect-abs/0?to=/http/echo").res[http::field::location],
              origin + "/http/echo");
}

TEST_P(EchoHttp, DelayAndSlowBody) {
    auto start = std::chrono::steady_clock::now();
    auto r = get("/http/delay?ms=200");
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
    EXPECT_EQ(r.res.body(), "delayed");
    run_coroutine([&](auto& ioc, Yield yield) {
        HttpTestClient c(ioc, tls());
        ASSERT_TRUE(c.connect(port(), yield));
        auto t0 = std::chrono::steady_clock::now();
        ASSERT_FALSE(c.write(request_text("GET", "/http/slow-body?ms=300"), yield));
        http::response_parser<http::string_body> p;
        boost::system::error_code ec;
        c.on_stream([&](auto& s) { http::async_read_header(s, c.buffer(), p, yield[ec]); });
        auto t1 = std::chrono::steady_clock::now();
        c.on_stream([&](auto& s) { http::async_read(s, c.buffer(), p, yield[ec]); });
        auto t2 = std::chrono::steady_clock::now();
        ASSERT_FALSE(ec);
        EXPECT_LT(t1 - t0, std::chrono::milliseconds(250));
        EXPECT_GE(t2 - t0, std::chrono::milliseconds(300));
        EXPECT_EQ(p.get().body(), "slow body");
    });
}

TEST_P(EchoHttp, CompressedRoutes) {
    for (std::string kind : {"gzip", "deflate"}) {
        auto r = get("/http/" + kind);
        EXPECT_EQ(r.res[http::field::content_encoding], kind);
        EXPECT_EQ(r.res[http::field::content_type], "application/json");
        bool ok = false;
        EXPECT_EQ(inflate(r.res.body(), ok), R"({"compressed":")" + kind + R"(","ok":true})");
        EXPECT_TRUE(ok) << kind;
        EXPECT_EQ(static_cast<unsigned char>(r.res.body()[0]), kind == "gzip" ? 0x1f : 0x78);
        auto bad = get("/http/" + kind + "?bad=1");
        EXPECT_EQ(bad.res[http::field::content_encoding], kind);
        inflate(bad.res.body(), ok);
        EXPECT_FALSE(ok) << kind;
    }
    EXPECT_EQ(get("/http/br").res.result_int(), 404);
}

TEST_P(EchoHttp, JsonAndBytesRoutes) {
    auto doc = get("/http/json");
    EXPECT_EQ(doc.res[http::field::content_type], "application/json");
    EXPECT_EQ(doc.res.body(), R"({"a":1,"b":{"c":[1,2,3]},"s":"x"})");
    auto invalid = get("/http/json?invalid=1");
    EXPECT_EQ(invalid.res[http::field::content_type], "application/json");
    EXPECT_EQ(invalid.res.body(), R"({"a":)");
    auto bytes = get("/http/bytes?n=300");
    EXPECT_EQ(bytes.res[http::field::content_type], "application/octet-stream");
    ASSERT_EQ(bytes.res.body().size(), 300u);
    EXPECT_EQ(static_cast<unsigned char>(bytes.res.body()[255]), 255);
    EXPECT_EQ(bytes.res.body()[256], '\0');
    EXPECT_EQ(static_cast<unsigned char>(bytes.res.body()[299]), 43);
    EXPECT_EQ(get("/http/bytes?n=0").res.body(), "");
    EXPECT_EQ(get("/http/nothing-here").res.result_int(), 404);
}

TEST_P(EchoHttp, ChunkedResponseHasThreeChunks) {
    run_coroutine([&](auto& ioc, Yield yield) {
        HttpTestClient c(ioc, tls());
        ASSERT_TRUE(c.connect(port(), yield));
        ASSERT_FALSE(c.write(request_text("GET", "/http/chunked", "Connection: close\r\n"), yield));
        boost::system::error_code ec;
        std::string raw = c.read_to_end(ec, yield);
        EXPECT_NE(raw.find("\r\nTransfer-Encoding: chunked\r\n"), std::string::npos) << raw;
        EXPECT_TRUE(raw.ends_with("\r\n\r\n1\r\na\r\n2\r\nbb\r\n3\r\nccc\r\n0\r\n\r\n")) << raw;
    });
}

TEST_P(EchoHttp, DropSendsATruncatedBody) {
    auto r = get("/http/drop");
    EXPECT_EQ(r.ec, http::error::partial_message) << r.ec.message();
    EXPECT_EQ(r.res.result_int(), 200);
    EXPECT_EQ(r.res[http::field::content_length], "100");
    EXPECT_EQ(r.res.body(), "0123456789");
}

TEST_P(EchoHttp, CloseEndsWithoutAnswer) {
    auto r = exchange(request_text("POST", "/http/close", "", "data"));
    EXPECT_EQ(r.ec, http::error::end_of_stream) << r.ec.message();
}

TEST_P(EchoHttp, ResetResetsTheConnection) {
    auto r = get("/http/reset");
    EXPECT_EQ(r.ec, boost::asio::error::connection_reset) << r.ec.message();
}

TEST_P(EchoHttp, BasicAuthRoute) {
    // "ann:pw 1" in base64
    auto ok = exchange(request_text("GET", "/http/basic-auth/ann/pw%201",
                                    "Authorization: Basic YW5uOnB3IDE=\r\n"));
    EXPECT_EQ(ok.res.result_int(), 200);
    EXPECT_EQ(json_body(ok), (json::object{{"authenticated", true}, {"user", "ann"}}));
    auto wrong = exchange(
        request_text("GET", "/http/basic-auth/ann/other", "Authorization: Basic YW5uOnB3IDE=\r\n"));
    EXPECT_EQ(wrong.res.result_int(), 401);
    EXPECT_EQ(wrong.res[http::field::www_authenticate], R"(Basic realm="volley")");
    EXPECT_EQ(get("/http/basic-auth/ann/pw").res.result_int(), 401);
}

TEST_P(EchoHttp, LoginRoute) {
    auto ok = exchange(request_text("POST", "/http/login", "Content-Type: application/json\r\n",
                                    R"({"user": "ann", "password": "secret"})"));
    EXPECT_EQ(ok.res.result_int(), 200);
    EXPECT_EQ(json_body(ok), (json::object{{"token", "tok-ann"}}));
    EXPECT_EQ(ok.res[http::field::set_cookie], "session=sess-ann; Path=/; HttpOnly");
    auto bad = exchange(
        request_text("POST", "/http/login", "", R"({"user": "ann", "password": "guess"})"));
    EXPECT_EQ(bad.res.result_int(), 401);
    EXPECT_EQ(json_body(bad), (json::object{{"error", "bad credentials"}}));
    EXPECT_EQ(exchange(request_text("POST", "/http/login", "", "{")).res.result_int(), 401);
    EXPECT_EQ(get("/http/login").res.result_int(), 405);
}

TEST_P(EchoHttp, NonUpgradeOutsideHttpIsStill426) {
    auto r = get("/somewhere");
    EXPECT_EQ(r.res.result_int(), 426);
    EXPECT_EQ(r.res.body(), "rejected with 426\n");
}

// /ws/auth, the WebSocket half of the login-then-WebSocket example (plain; the handshake is the
// same code over TLS).
class WsAuth : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = std::make_unique<wsecho::EchoServer>(wsecho::EchoOptions{});
        server_->start();
    }
    static void TearDownTestSuite() { server_.reset(); }

    // Connects to /ws/auth with `headers`; on success reads the greeting and one echo.
    static void expect_greeting(const Headers& headers, const std::string& greeting) {
        run_coroutine([&](auto& ioc, Yield yield) {
            WsClient c(ioc);
            HandshakeOptions o;
            o.headers = headers;
            auto hs = c.connect(server_->url() + "/ws/auth", o, yield);
            ASSERT_TRUE(hs.ok) << hs.error;
            Event ev;
            ASSERT_TRUE(testing::next(c, ev, yield));
            EXPECT_EQ(ev.type, EventType::kText);
            EXPECT_EQ(testing::str(ev.data), greeting);
            EXPECT_EQ(c.send_text("echo me", yield), "");
            ASSERT_TRUE(testing::next(c, ev, yield));
            EXPECT_EQ(testing::str(ev.data), "echo me");
            c.close(1000, "", yield);
        });
    }

    static inline std::unique_ptr<wsecho::EchoServer> server_;
};

TEST_F(WsAuth, AcceptsTheLoginCookieOrToken) {
    expect_greeting({{"Cookie", "other=1; session=sess-ann"}}, "hello ann");
    expect_greeting({{"Authorization", "Bearer tok-bob"}}, "hello bob");
}

TEST_F(WsAuth, RefusesWithoutACredential) {
    for (const Headers& h : {Headers{}, Headers{{"Cookie", "session=nope"}},
                             Headers{{"Authorization", "Bearer xyz"}}}) {
        run_coroutine([&](auto& ioc, Yield yield) {
            WsClient c(ioc);
            HandshakeOptions o;
            o.headers = h;
            auto hs = c.connect(server_->url() + "/ws/auth", o, yield);
            EXPECT_FALSE(hs.ok);
            EXPECT_EQ(hs.status, 401);
            EXPECT_EQ(hs.body, "rejected with 401\n");
        });
    }
}

} // namespace
} // namespace volley::net
