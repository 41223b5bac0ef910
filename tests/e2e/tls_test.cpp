// wss:// end to end: `volley echo --tls` (a self-signed certificate) and k6's TLS options.

#include <csignal>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "echo_process.hpp"
#include "process.hpp"

namespace volley::test {
namespace {

class Tls : public ::testing::Test {
protected:
    void SetUp() override { dir_ = make_temp_dir("volley-tls"); }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    ProcessResult run(const std::string& options) {
        std::string path = dir_ + "/s.js";
        write_file(path, "import ws from 'k6/ws';\nimport { check } from 'k6';\n"
                         "export const options = " +
                             options + ";\n" + R"(
            export default function () {
                const res = ws.connect(__ENV.URL, function (socket) {
                    socket.on('open', () => socket.send('secure'));
                    socket.on('message', (m) => { check(m, { echoed: (v) => v === 'secure' }); socket.close(); });
                });
                console.log('status=' + res.status + ' error=' + res.error);
            }
        )");
        return run_process(
            {volley_binary(), "run", "--quiet", "-e", "URL=" + echo_.url("wss"), path});
    }

    EchoProcess echo_{{"--tls"}};
    std::string dir_;
};

TEST_F(Tls, InsecureSkipVerifyAndTlsVersion) {
    auto r = run("{ insecureSkipTLSVerify: true, tlsVersion: { min: 'tls1.2', max: 'tls1.3' } }");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("status=101"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("✓ echoed"), std::string::npos) << r.out;
}

TEST_F(Tls, VerificationIsOnByDefault) {
    auto r = run("{}");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("status=0"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("certificate"), std::string::npos) << r.err;
}

TEST_F(Tls, BadTlsVersionIsInvalidConfig) {
    auto r = run("{ tlsVersion: 'tls9' }");
    EXPECT_EQ(r.exit_code, 104) << r.err;
    EXPECT_NE(r.err.find("tlsVersion"), std::string::npos) << r.err;
}

TEST_F(Tls, UnknownCipherSuiteIsInvalidConfig) {
    auto r = run("{ tlsCipherSuites: ['TLS_NOT_A_SUITE'] }");
    EXPECT_EQ(r.exit_code, 104) << r.err;
}

} // namespace
} // namespace volley::test
