// --http-debug[=full] (modules/http_debug.hpp) in a real VU against the echo server's HTTP
// routes: one Request and one Response line per round trip (each redirect hop too), sharing a
// request_id, with k6's fields and the dump as Go's, bodies only with `full`.

#include <cstdio>
#include <memory>
#include <sstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "log_capture.hpp"
#include "modules/http_debug.hpp"
#include "run_js.hpp"
#include "util/log.hpp"
#include "wsecho/echo_server.hpp"

namespace volley::test {
namespace {

namespace json = boost::json;
using namespace std::string_literals;

class HttpDebug : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = std::make_unique<wsecho::EchoServer>(wsecho::EchoOptions{});
        server_->start();
    }
    static void TearDownTestSuite() { server_.reset(); }

    // Runs `body` in default() with --http-debug=`mode`; returns the http-debug log lines.
    static std::vector<json::object> run(const std::string& body, const std::string& mode) {
        std::string text;
        {
            LogCapture capture(log::Format::kJson);
            JsOptions opts;
            opts.env["B"] = "http" + server_->url().substr(2);
            opts.settings.http_debug = mode;
            auto r = run_js("import http from 'k6/http';\nconst B = __ENV.B;\n"
                            "export default function () {\n" +
                                body + "\n}\n",
                            opts);
            EXPECT_EQ(r.error, "");
            text = capture.text();
        }
        std::vector<json::object> lines;
        std::istringstream in(text);
        for (std::string line; std::getline(in, line);) {
            auto o = json::parse(line).as_object();
            if (o.contains("source") && o.at("source").as_string() == "http-debug") {
                lines.push_back(std::move(o));
            }
        }
        return lines;
    }

    static std::string str(const json::object& o, const char* key) {
        if (o.contains(key) && o.at(key).is_int64()) { // vu and iter, as k6 logs them
            return std::to_string(o.at(key).as_int64());
        }
        return o.contains(key) ? std::string(o.at(key).as_string()) : std::string("-");
    }

    static inline std::unique_ptr<wsecho::EchoServer> server_;
};

TEST_F(HttpDebug, RequestAndResponseWithBodiesWhenFull) {
    auto lines = run("http.post(B + '/http/bytes?n=3', 'abc', {tags: {name: 'mine'}});", "full");
    ASSERT_EQ(lines.size(), 2u);
    std::string host = server_->url().substr(5); // 127.0.0.1:PORT
    EXPECT_EQ(str(lines[0], "msg"), "Request:\nPOST /http/bytes?n=3 HTTP/1.1\nHost: " + host +
                                        "\nUser-Agent: Grafana k6/1.6.1\nContent-Length: 3\n\n"
                                        "abc\n");
    EXPECT_EQ(str(lines[1], "msg"), "Response:\nHTTP/1.1 200 OK\nContent-Length: 3\n"
                                    "Content-Type: application/octet-stream\n"
                                    "Server: volley-echo\n\n\x00\x01\x02\n"s);
    for (const auto& l : lines) {
        EXPECT_EQ(str(l, "level"), "info");
        EXPECT_TRUE(l.at("vu").is_int64() && l.at("iter").is_int64());
        EXPECT_EQ(str(l, "vu"), "1");
        EXPECT_EQ(str(l, "iter"), "0");
        EXPECT_EQ(str(l, "name"), "mine");
        EXPECT_EQ(str(l, "scenario"), "default");
        EXPECT_EQ(str(l, "request_id").size(), 36u);
    }
    EXPECT_EQ(str(lines[0], "request_id"), str(lines[1], "request_id"));
}

TEST_F(HttpDebug, HeadersOnlyByDefaultAndEveryRedirectHop) {
    auto lines = run("http.get(B + '/http/redirect/1');", "headers");
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(str(lines[0], "msg").rfind("Request:\nGET /http/redirect/1 HTTP/1.1\n", 0), 0u);
    EXPECT_NE(str(lines[1], "msg").find("HTTP/1.1 302 Found\n"), std::string::npos)
        << str(lines[1], "msg");
    EXPECT_EQ(str(lines[2], "msg").rfind("Request:\nGET /http/redirect/0 HTTP/1.1\n", 0), 0u);
    EXPECT_TRUE(str(lines[3], "msg").ends_with("\n\n\n")) << str(lines[3], "msg"); // no body
    EXPECT_EQ(str(lines[3], "msg").find("redirected"), std::string::npos);
    EXPECT_NE(str(lines[0], "request_id"), str(lines[2], "request_id"));
}

TEST_F(HttpDebug, AFailedRequestHasOnlyItsRequestLine) {
    auto lines = run("http.get('http://127.0.0.1:1/');", "headers");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(str(lines[0], "msg").rfind("Request:\nGET / HTTP/1.1\nHost: 127.0.0.1:1\n", 0), 0u);
}

TEST_F(HttpDebug, OffLogsNothing) {
    EXPECT_TRUE(run("http.get(B + '/http/bytes?n=1');", "").empty());
}

TEST(HttpDebugDump, ResponseHeadersAsGoWritesThem) {
    net::HttpResponse r;
    r.proto = "HTTP/1.1";
    r.status_text = "201 Created";
    r.headers = {{"X-B", "2"}, {"Content-Length", "4"}, {"A-First", "1"}};
    r.set_cookies = {"s=1", "t=2"};
    r.body = "body";
    EXPECT_EQ(modules::http::response_dump(r, true),
              "HTTP/1.1 201 Created\nContent-Length: 4\nA-First: 1\nSet-Cookie: s=1\n"
              "Set-Cookie: t=2\nX-B: 2\n\nbody");
    EXPECT_EQ(modules::http::response_dump(r, false).find("body"), std::string::npos);
}

} // namespace
} // namespace volley::test
