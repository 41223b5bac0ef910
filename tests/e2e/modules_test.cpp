// Remote modules end to end: `volley run` importing from a local HTTPS server with its own CA
// (tests/net/peers/module_server.py, trusted through SSL_CERT_FILE as k6 and Go do), serving
// the files of tests/e2e/modules/. k6's resolution, errors and exit codes; each module fetched
// once per test; the module cache; CommonJS.

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "../net/peer_process.hpp"
#include "process.hpp"

namespace volley::test {
namespace {

class RemoteModules : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = make_temp_dir("volley-modules");
        start_server();
    }
    void TearDown() override {
        server_.reset();
        std::filesystem::remove_all(dir_);
    }

    void start_server() {
        server_ = std::make_unique<net::testing::PeerProcess>(
            std::vector<std::string>{
                "/usr/bin/python3",
                std::string(VOLLEY_SOURCE_DIR) + "/tests/net/peers/module_server.py",
                std::string(VOLLEY_SOURCE_DIR) + "/tests/e2e/modules", ca(), log()},
            std::vector<std::string>{});
        ASSERT_NE(server_->port(), 0) << "module_server.py did not start";
        base_ = "https://127.0.0.1:" + std::to_string(server_->port());
    }

    std::string ca() const { return dir_ + "/ca.pem"; }
    std::string log() const { return dir_ + "/requests.log"; }

    // GETs the server saw of `path` (any query).
    int requests(const std::string& path) const {
        std::ifstream in(log());
        int n = 0;
        for (std::string line; std::getline(in, line);) {
            n += line.substr(0, line.find('?')) == path ? 1 : 0;
        }
        return n;
    }

    // Runs `script` (`BASE` replaced by the server's URL) with the test CA trusted.
    ProcessResult run(const std::string& script, std::vector<std::string> flags = {},
                      bool trust = true) {
        std::string text = script;
        for (auto at = text.find("BASE"); at != std::string::npos; at = text.find("BASE")) {
            text.replace(at, 4, base_);
        }
        write_file(dir_ + "/s.js", text);
        std::vector<std::string> argv{volley_binary(), "run", "--quiet"};
        argv.insert(argv.end(), flags.begin(), flags.end());
        argv.push_back(dir_ + "/s.js");
        ProcessOptions o;
        o.env["SSL_CERT_FILE"] = trust ? ca() : "/nonexistent-ca.pem";
        o.env["SSL_CERT_DIR"] = "/nonexistent";
        o.env["VOLLEY_MODULE_CACHE"] = "";
        return run_process(argv, o);
    }

    std::string dir_;
    std::string base_;
    std::unique_ptr<net::testing::PeerProcess> server_;
};

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

constexpr const char* kUtilsScript = R"(
import { check } from 'k6';
import { randomString, randomIntBetween, uuidv4, findBetween, randomItem, loaded }
  from 'BASE/k6-utils/1.4.0/index.js';
import * as utils from 'BASE/k6-utils/1.4.0/index.js';
export const options = { vus: 3, iterations: 6 };
export default function () {
  check(null, {
    'randomString': () => /^[a-z0-9]{12}$/.test(randomString(12)),
    'randomIntBetween': () => { const n = randomIntBetween(3, 5); return n >= 3 && n <= 5; },
    'uuidv4': () => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(uuidv4()),
    'findBetween': () => findBetween('<a>x</a>', '<a>', '</a>') === 'x',
    'randomItem': () => randomItem([7]) === 7,
    'evaluated once per VU': () => loaded === 1,
    'namespace': () => utils.randomString === randomString,
  });
}
)";

TEST_F(RemoteModules, LibraryInTheShapeOfK6UtilsRunsAndIsFetchedOncePerTest) {
    auto r = run(kUtilsScript);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(has(r.out, "checks_succeeded...: 100.00% 42 out of 42")) << r.out;
    // k6 asks for URL?_k6=1 first: one GET per module for the whole test, not one per VU.
    EXPECT_EQ(requests("/k6-utils/1.4.0/index.js"), 1);
    EXPECT_EQ(requests("/k6-utils/1.4.0/random.js"), 1);
}

TEST_F(RemoteModules, NotFoundIsK6sErrorAndExit107) {
    auto r = run("import { x } from 'BASE/lib/missing.js';\nexport default function () {}\n");
    EXPECT_EQ(r.exit_code, 107) << r.err;
    EXPECT_TRUE(has(r.err, "The moduleSpecifier \\\"" + base_ +
                               "/lib/missing.js\\\" couldn't be retrieved from the resolved url "
                               "\\\"" +
                               base_ + "/lib/missing.js\\\". Error : \\\"not found: " + base_ +
                               "/lib/missing.js\\\"\""))
        << r.err;
    EXPECT_EQ(requests("/lib/missing.js"), 2); // with ?_k6=1, then without, as k6 does
}

TEST_F(RemoteModules, OtherStatusesAndRedirectsToOtherSchemesAreErrors) {
    auto r = run("import x from 'BASE/status/500/x.js';\nexport default function () {}\n");
    EXPECT_EQ(r.exit_code, 107) << r.err;
    EXPECT_TRUE(has(r.err, "wrong status code (500) for: " + base_ + "/status/500/x.js")) << r.err;
    r = run("import x from 'BASE/redirect?to=ftp://127.0.0.1/x.js';\n"
            "export default function () {}\n");
    EXPECT_EQ(r.exit_code, 107) << r.err;
    EXPECT_TRUE(has(r.err, "unsupported protocol scheme \\\"ftp\\\"")) << r.err;
}

TEST_F(RemoteModules, UntrustedCertificateIsRefusedBeforeAnyRequest) {
    auto r =
        run("import { x } from 'BASE/lib/where.js';\nexport default function () {}\n", {}, false);
    EXPECT_EQ(r.exit_code, 107) << r.err;
    EXPECT_TRUE(has(r.err, "couldn't be retrieved from the resolved url")) << r.err;
    EXPECT_TRUE(has(r.err, "certificate")) << r.err;
    EXPECT_EQ(requests("/lib/where.js"), 0);
}

TEST_F(RemoteModules, RefusedConnectionIsGosError) {
    auto r = run("import x from 'https://127.0.0.1:1/x.js';\nexport default function () {}\n");
    EXPECT_EQ(r.exit_code, 107) << r.err;
    EXPECT_TRUE(has(r.err, "Get \\\"https://127.0.0.1:1/x.js\\\": dial tcp 127.0.0.1:1: connect: "
                           "connection refused"))
        << r.err;
}

TEST_F(RemoteModules, SchemesOtherThanHttpsAndFileAreRefused) {
    auto r = run("import x from 'http://127.0.0.1:1/x.js';\nexport default function () {}\n");
    EXPECT_EQ(r.exit_code, 107) << r.err;
    EXPECT_TRUE(has(r.err, "only supported schemes for imports are file and https, "
                           "http://127.0.0.1:1/x.js has `http`"))
        << r.err;
    r = run("import x from 'lodash';\nexport default function () {}\n");
    EXPECT_EQ(r.exit_code, 107) << r.err;
    EXPECT_TRUE(has(r.err, "The moduleSpecifier \\\"lodash\\\" couldn't be recognised as "
                           "something k6 supports."))
        << r.err;
}

TEST_F(RemoteModules, SyntaxErrorNamesTheUrlAndLine) {
    auto r = run("import { fine } from 'BASE/lib/syntax.js';\nexport default function () {}\n");
    EXPECT_EQ(r.exit_code, 107) << r.err;
    EXPECT_TRUE(has(r.err, base_ + "/lib/syntax.js:2:")) << r.err;
}

TEST_F(RemoteModules, TooLargeModuleIsRefused) {
    auto r = run("import x from 'BASE/big.js';\nexport default function () {}\n");
    EXPECT_EQ(r.exit_code, 107) << r.err;
    EXPECT_TRUE(has(r.err, "the module is larger than 64 MiB")) << r.err;
}

TEST_F(RemoteModules, CyclesRedirectsAndCommonJs) {
    auto r = run(R"(
import { check } from 'k6';
import { both } from 'BASE/lib/cycle-a.js';
import { viaA } from 'BASE/lib/cycle-b.js';
import { where } from 'BASE/redirect?to=/lib/redirected.js';
import cjs, { greet, answer } from 'BASE/lib/cjs.js';
export default function () {
  check(null, {
    'a cycle of remote imports links': () => both() === 'ab' && viaA() === 'a',
    // k6 resolves a redirected module's imports against the URL it was imported by.
    'redirect keeps the original URL as base': () => where === 'where.js at the root',
    'CommonJS default is module.exports': () => cjs.greet('x') === 'hi x' && cjs.answer === 42,
    'CommonJS named exports are its keys': () => greet('y') === 'hi y' && answer === 42,
  });
}
)");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(has(r.out, "checks_succeeded...: 100.00% 4 out of 4")) << r.out;
}

TEST_F(RemoteModules, ModuleCacheRunsOfflineAndNamesWhatIsMissing) {
    const std::string cache = dir_ + "/cache";
    auto r = run(kUtilsScript, {"--module-cache", cache});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string host = base_.substr(std::string("https://").size());
    EXPECT_TRUE(std::filesystem::exists(cache + "/https/" + host + "/k6-utils/1.4.0/index.js"));
    EXPECT_TRUE(std::filesystem::exists(cache + "/https/" + host + "/k6-utils/1.4.0/random.js"));

    server_.reset(); // offline from here on
    r = run(kUtilsScript, {"--module-cache", cache});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(has(r.out, "checks_succeeded...: 100.00% 42 out of 42")) << r.out;

    r = run("import x from 'BASE/lib/where.js';\nexport default function () {}\n",
            {"--module-cache", cache});
    EXPECT_EQ(r.exit_code, 107) << r.err;
    EXPECT_TRUE(has(r.err, base_ + "/lib/where.js")) << r.err;
    EXPECT_TRUE(has(r.err, "not in the module cache " + cache)) << r.err;
}

TEST_F(RemoteModules, UnknownBuiltinsAreNamedTogether) {
    auto r = run("import a from 'k6/zzz';\nimport { b } from 'k6/aaa';\n"
                 "export default function () {}\n");
    EXPECT_EQ(r.exit_code, 107) << r.err;
    EXPECT_TRUE(has(r.err, "unknown modules [\\\"k6/aaa\\\", \\\"k6/zzz\\\"] were tried to be "
                           "loaded, but couldn't"))
        << r.err;
}

TEST_F(RemoteModules, RequireInTheInitContextOnly) {
    write_file(dir_ + "/lib.js", "exports.name = 'lib';\nexports.add = (a, b) => a + b;\n");
    auto r = run(R"(
const lib = require('./lib.js');
const k6 = require('k6');
exports.options = { iterations: 1 };
exports.default = function () {
  k6.check(lib, { 'require of a CommonJS file': (l) => l.name === 'lib' && l.add(1, 2) === 3 });
  try { require('./lib.js'); } catch (e) { console.log('late: ' + e.message); }
};
)");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(has(r.out, "checks_succeeded...: 100.00% 1 out of 1")) << r.out;
    EXPECT_TRUE(has(r.err, "late: the \\\"require\\\" function is only available in the init "
                           "stage"))
        << r.err;
}

TEST_F(RemoteModules, MainScriptFromAnHttpsUrl) {
    ProcessOptions o;
    o.env["SSL_CERT_FILE"] = ca();
    auto r = run_process({volley_binary(), "run", "--quiet", base_ + "/main.js"}, o);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(has(r.out, "checks_succeeded...: 100.00% 2 out of 2")) << r.out;
    EXPECT_EQ(requests("/main.js"), 1);
    r = run_process({volley_binary(), "run", "--quiet", base_ + "/nope.js"}, o);
    EXPECT_EQ(r.exit_code, 107) << r.err;
    EXPECT_TRUE(has(r.err, "not found: " + base_ + "/nope.js")) << r.err;
}

TEST_F(RemoteModules, ArchiveRunsOfflineWithItsModulesFilesAndEnv) {
    write_file(dir_ + "/words.txt", "alpha beta");
    write_file(dir_ + "/s.js", std::string(R"(
import { check } from 'k6';
import { randomString } from 'BASE/k6-utils/1.4.0/index.js';
const words = open('./words.txt').split(' ');
export const options = { vus: 2, iterations: 4 };
export default function () {
  check(null, {
    'remote module': () => randomString(5).length === 5,
    'open()ed file': () => words[1] === 'beta',
    'env from the archive': () => __ENV.WHO === 'archived',
  });
}
)"));
    std::string text = read_text(dir_ + "/s.js");
    text.replace(text.find("BASE"), 4, base_);
    write_file(dir_ + "/s.js", text);
    ProcessOptions o;
    o.env["SSL_CERT_FILE"] = ca();
    const std::string arc = dir_ + "/test.tar";
    auto r = run_process(
        {volley_binary(), "archive", "-e", "WHO=archived", "-u", "3", dir_ + "/s.js", "-O", arc},
        o);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    server_.reset();
    std::filesystem::remove(dir_ + "/words.txt");
    std::filesystem::remove(dir_ + "/s.js");
    r = run_process({volley_binary(), "run", "--quiet", arc});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(has(r.out, "checks_succeeded...: 100.00% 12 out of 12")) << r.out;
    EXPECT_TRUE(has(r.out, "vus_max..............: 3")) << r.out; // -u 3 was archived
}

TEST_F(RemoteModules, RunsAnArchiveMadeByK6) {
    // tests/e2e/fixtures/k6-archive.tar: `k6 archive -e WHO=k6` (k6 v1.6.1) of a script with a
    // local import and an open()ed file (the script is in the archive's `data`).
    auto r = run_process({volley_binary(), "run", "--quiet",
                          std::string(VOLLEY_SOURCE_DIR) + "/tests/e2e/fixtures/k6-archive.tar"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(has(r.out, "checks_succeeded...: 100.00% 8 out of 8")) << r.out;
}

TEST_F(RemoteModules, CorruptArchiveIsAClearError) {
    std::string bytes =
        read_text(std::string(VOLLEY_SOURCE_DIR) + "/tests/e2e/fixtures/k6-archive.tar");
    write_file(dir_ + "/bad.tar", bytes.substr(0, 1536)); // cut inside an entry
    auto r = run_process({volley_binary(), "run", "--quiet", dir_ + "/bad.tar"});
    EXPECT_EQ(r.exit_code, 107) << r.err;
    EXPECT_TRUE(has(r.err, "could not read the archive")) << r.err;
}

} // namespace
} // namespace volley::test
