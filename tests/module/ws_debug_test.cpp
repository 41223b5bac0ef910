// --ws-debug (modules/ws_debug.hpp, docs/insight.md "Frame log") in a real VU against the echo
// server: the lines are read back (JSON log format) and must name every frame in order, with
// its direction, opcode, flags, length and, with =full, its payload; only the selected VUs.

#include <filesystem>
#include <memory>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "modules/ws_debug.hpp"
#include "process.hpp"
#include "run_js.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "wsecho/echo_server.hpp"

namespace volley::test {
namespace {

namespace json = boost::json;

class WsDebug : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = std::make_unique<wsecho::EchoServer>(wsecho::EchoOptions{});
        server_->start();
    }
    static void TearDownTestSuite() { server_.reset(); }
    void SetUp() override {
        dir_ = make_temp_dir("volley-ws-debug");
        log::set_format(log::Format::kJson);
    }
    void TearDown() override {
        log::set_format(log::Format::kText);
        std::filesystem::remove_all(dir_);
    }

    // Runs `body` with a frame log of `mode` for `vus`, and returns its lines.
    std::vector<json::object> run(const std::string& body, const std::string& mode,
                                  modules::VuRanges vus = {}, int vu_count = 1,
                                  const std::string& path = "/") {
        std::string file = dir_ + "/frames.log";
        std::vector<json::object> lines;
        {
            modules::WsDebugLog log(mode, std::move(vus), file);
            JsOptions opts;
            opts.vus = vu_count;
            opts.env["URL"] = server_->url() + path;
            opts.settings.ws_debug = &log;
            auto r = run_js(body, opts);
            EXPECT_EQ(r.error, "");
        }
        std::istringstream in(read_text(file));
        for (std::string line; std::getline(in, line);) {
            lines.push_back(json::parse(line).as_object());
        }
        return lines;
    }

    // A field as text; `vu` and `iter` are JSON numbers, as in k6's logs.
    static std::string field(const json::object& line, const char* name) {
        const json::value* v = line.if_contains(name);
        if (v != nullptr && v->is_int64()) {
            return std::to_string(v->as_int64());
        }
        return v != nullptr ? std::string(v->as_string()) : std::string("-");
    }

    // "dir opcode len" of each line.
    static std::vector<std::string> frames(const std::vector<json::object>& lines) {
        std::vector<std::string> out;
        for (const auto& l : lines) {
            out.push_back(field(l, "dir") + " " + field(l, "opcode") + " " + field(l, "len"));
        }
        return out;
    }

    static inline std::unique_ptr<wsecho::EchoServer> server_;
    std::string dir_;
};

constexpr const char* kExchange = R"(
    import ws from 'k6/ws';
    export default function () {
        ws.connect(__ENV.URL, {}, (s) => {
            s.on('open', () => {
                s.send('hello');
                s.sendBinary(new Uint8Array([0, 1, 255]).buffer);
                s.ping();
            });
            s.on('pong', () => s.close());
        });
    })";

TEST_F(WsDebug, EveryFrameInOrderWithItsHeader) {
    auto lines = run(kExchange, "headers");
    EXPECT_EQ(frames(lines), (std::vector<std::string>{
                                 "sent text 5", "sent binary 3", "sent ping 1", "received text 5",
                                 "received binary 3", "received pong 1", "sent close 2"}));
    for (const auto& l : lines) {
        EXPECT_EQ(field(l, "msg"), "ws frame");
        EXPECT_EQ(field(l, "source"), "ws-debug");
        EXPECT_TRUE(l.at("vu").is_int64());
        EXPECT_EQ(field(l, "vu"), "1");
        EXPECT_EQ(field(l, "iter"), "0");
        EXPECT_EQ(field(l, "socket"), "1");
        EXPECT_EQ(field(l, "fin"), "true");
        EXPECT_EQ(field(l, "rsv1"), "false");
        EXPECT_EQ(field(l, "masked"), field(l, "dir") == "sent" ? "true" : "false");
        EXPECT_EQ(field(l, "payload"), "-"); // headers only
        EXPECT_EQ(field(l, "payload_hex"), "-");
    }
}

TEST_F(WsDebug, FullShowsPayloadsAsTextOrHex) {
    auto lines = run(kExchange, "full");
    ASSERT_EQ(lines.size(), 7U);
    EXPECT_EQ(field(lines[0], "payload"), "hello");
    EXPECT_EQ(field(lines[1], "payload_hex"), "0001ff");
    EXPECT_EQ(field(lines[2], "payload"), "0"); // k6's ping ids
    EXPECT_EQ(field(lines[4], "payload_hex"), "0001ff");
    EXPECT_EQ(field(lines[6], "payload_hex"), "03e9"); // k6/ws's close(): 1001
}

TEST_F(WsDebug, LongPayloadsAreCutOnACharacter) {
    auto lines = run(R"(
        import ws from 'k6/ws';
        export default function () {
            ws.connect(__ENV.URL, {}, (s) => {
                s.on('open', () => s.send('a'.repeat(255) + '\u00e9' + 'b'.repeat(100)));
                s.on('message', () => s.close());
            });
        })",
                     "full");
    ASSERT_GE(lines.size(), 1U);
    EXPECT_EQ(field(lines[0], "len"), "357");
    EXPECT_EQ(field(lines[0], "payload"), std::string(255, 'a')); // é would pass the 256th byte
    EXPECT_EQ(field(lines[0], "payload_more"), "102");
}

TEST_F(WsDebug, OnlyTheSelectedVus) {
    auto lines = run(kExchange, "headers", {{2, 2}}, 3);
    ASSERT_EQ(lines.size(), 7U);
    for (const auto& l : lines) {
        EXPECT_EQ(field(l, "vu"), "2");
    }
}

TEST_F(WsDebug, WebSocketsAndARejectedFrame) {
    auto lines = run(R"(
        import { WebSocket } from 'k6/websockets';
        export default function () {
            const s = new WebSocket(__ENV.URL);
            s.onerror = () => {};
        })",
                     "full", {}, 1, "/garbage?kind=opcode");
    ASSERT_GE(lines.size(), 1U);
    EXPECT_EQ(field(lines[0], "dir"), "received");
    EXPECT_EQ(field(lines[0], "opcode"), "3");
    EXPECT_EQ(field(lines[0], "rejected"), "websocket: bad opcode 3");
    EXPECT_EQ(field(lines[0], "payload"), "-");
    // gorilla's close 1002 for the violation.
    EXPECT_EQ(field(lines.back(), "opcode"), "close");
    EXPECT_EQ(field(lines.back(), "dir"), "sent");
}

TEST(WsDebugSettings, VuRangesAndModes) {
    EXPECT_EQ(modules::parse_vu_ranges("1,3-5"), (modules::VuRanges{{1, 1}, {3, 5}}));
    for (const char* bad : {"", "0", "1,", ",1", "5-3", "a", "1-", "2-x"}) {
        EXPECT_THROW(modules::parse_vu_ranges(bad), UserError) << bad;
    }
    EXPECT_THROW(modules::WsDebugLog("fulll", {}, ""), UserError);
    EXPECT_THROW(modules::WsDebugLog("full", {}, "/nonexistent-dir/x.log"), UserError);
    modules::WsDebugLog all("", {}, "");
    EXPECT_TRUE(all.selects(7));
    modules::WsDebugLog some("headers", {{3, 5}}, "");
    EXPECT_FALSE(some.selects(2));
    EXPECT_TRUE(some.selects(5));
    EXPECT_FALSE(some.full());
}

} // namespace
} // namespace volley::test
