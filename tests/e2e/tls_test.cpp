// wss:// end to end: `volley echo --tls` (a self-signed certificate) and k6's TLS options.

#include <csignal>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "process.hpp"

namespace volley::test {
namespace {

class Tls : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = make_temp_dir("volley-tls");
        auto probe = run_process({"/usr/bin/python3", "-c",
                                  "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); "
                                  "print(s.getsockname()[1])"});
        port_ = probe.out.substr(0, probe.out.find('\n'));
        echo_ = std::thread([this] {
            ProcessOptions o;
            o.timeout = std::chrono::seconds(60);
            o.on_start = [this](int pid) { echo_pid_ = pid; };
            run_process({volley_binary(), "echo", "--tls", "--addr", "127.0.0.1:" + port_}, o);
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    void TearDown() override {
        kill(echo_pid_, SIGINT);
        echo_.join();
        std::filesystem::remove_all(dir_);
    }

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
            {volley_binary(), "run", "--quiet", "-e", "URL=wss://127.0.0.1:" + port_ + "/", path});
    }

    std::string dir_;
    std::string port_;
    int echo_pid_ = 0;
    std::thread echo_;
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
