// `volley echo` argument handling (the serving part is covered by the client tests).

#include <gtest/gtest.h>

#include "util/error.hpp"
#include "wsecho/echo_command.hpp"
#include "wsecho/echo_server.hpp"

namespace volley::wsecho {
namespace {

TEST(EchoCommand, BadFlagsAreUserErrors) {
    EXPECT_THROW(run_echo_command({"--bogus"}), UserError);
    EXPECT_THROW(run_echo_command({"--threads"}), UserError);
    EXPECT_THROW(run_echo_command({"--threads", "x"}), UserError);
    EXPECT_THROW(run_echo_command({"--addr", "nohostport"}), UserError);
    EXPECT_THROW(run_echo_command({"--addr", "127.0.0.1:99999"}), UserError);
}

TEST(EchoCommand, AddressInUseIsAUserError) {
    EchoServer taken(EchoOptions{});
    auto port = taken.start();
    EXPECT_THROW(run_echo_command({"--addr", "127.0.0.1:" + std::to_string(port)}), UserError);
}

TEST(EchoServer, UrlAndRestart) {
    EchoServer s(EchoOptions{"127.0.0.1", 0, 2, true, true, std::nullopt});
    auto port = s.start();
    EXPECT_EQ(s.url(), "wss://127.0.0.1:" + std::to_string(port));
    EXPECT_NE(s.certificate_pem().find("BEGIN CERTIFICATE"), std::string::npos);
    s.stop();
    s.stop();
}

} // namespace
} // namespace volley::wsecho
