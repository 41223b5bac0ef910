#pragma once

// A test suite with one in-process echo server (127.0.0.1, port 0) for all its tests, for module
// tests that run JS against it (run_js.hpp).

#include <string>

#include <gtest/gtest.h>

#include "wsecho/echo_server.hpp"

namespace volley::test {

class EchoSuite : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = new wsecho::EchoServer(wsecho::EchoOptions{});
        server_->start();
    }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
    }

    static std::string ws_base() { return server_->url(); }                 // ws://127.0.0.1:PORT
    static std::string http_base() { return "http" + ws_base().substr(2); } // http://...

    static inline wsecho::EchoServer* server_ = nullptr;
};

} // namespace volley::test
