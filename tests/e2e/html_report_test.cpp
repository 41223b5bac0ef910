// `--out html=FILE` (docs/insight.md, "HTML report") opened in a real browser: Debian's
// chromium, headless, loads the page, which must log nothing to its console (no script error,
// and its Content-Security-Policy refusing any network load), draw every plot (an SVG polyline
// with points), and give a screenshot with content. The console check is shown to catch an error
// on a page that throws.

#include <cstdlib>
#include <filesystem>
#include <regex>

#include <gtest/gtest.h>

#include "echo_process.hpp"
#include "process.hpp"

namespace volley::test {
namespace {

// Debian's chromium (scripts/setup installs it), or "" when absent.
std::string chromium() {
    for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
        if (std::filesystem::exists(path)) {
            return path;
        }
    }
    return {};
}

struct Browser {
    std::string dom;     // the page's DOM after load (--dump-dom)
    std::string console; // the console lines chromium logged
    std::uintmax_t screenshot_bytes = 0;
};

// Opens `page` in headless chromium twice: once to dump the DOM and log the console, once for a
// screenshot into `png`.
Browser open_in_chromium(const std::string& page, const std::string& png, const std::string& dir) {
    std::vector<std::string> common = {chromium(),
                                       "--headless",
                                       "--no-sandbox",
                                       "--disable-gpu",
                                       "--no-first-run",
                                       "--user-data-dir=" + dir + "/profile",
                                       "--enable-logging=stderr",
                                       "--v=0"};
    ProcessOptions opts;
    opts.timeout = std::chrono::seconds(60);
    auto dump = common;
    dump.push_back("--dump-dom");
    dump.push_back("file://" + page);
    auto r = run_process(dump, opts);
    Browser b;
    b.dom = r.out;
    std::istringstream err(r.err);
    for (std::string line; std::getline(err, line);) {
        if (line.find(":CONSOLE") != std::string::npos) { // [pid:tid:time:INFO:CONSOLE:1] "..."
            b.console += line + "\n";
        }
    }
    auto shot = common;
    shot.push_back("--window-size=1200,1800");
    shot.push_back("--screenshot=" + png);
    shot.push_back("file://" + page);
    run_process(shot, opts);
    if (std::filesystem::exists(png)) {
        b.screenshot_bytes = std::filesystem::file_size(png);
    }
    return b;
}

class HtmlReport : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = make_temp_dir("volley-html");
        ASSERT_FALSE(chromium().empty()) << "chromium not found: run scripts/setup";
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::string dir_;
};

TEST_F(HtmlReport, OpensInChromiumWithEveryPlotDrawn) {
    EchoProcess echo({"--chaos", "5:echo=6,reset,status"});
    write_file(dir_ + "/s.js", R"(
        import ws from 'k6/ws';
        import { check } from 'k6';
        export const options = {
            stages: [{ duration: '2s', target: 6 }, { duration: '2s', target: 6 }],
            thresholds: { ws_connecting: ['p(95)<1000'] },
        };
        export default function () {
            const res = ws.connect(__ENV.URL, {}, (s) => {
                s.on('open', () => {
                    s.setInterval(() => s.send('x'), 50);
                    s.setTimeout(() => s.close(), 400);
                });
            });
            check(res, { 'status is 101': (r) => r && r.status === 101 });
        }
    )");
    std::string page = dir_ + "/report.html";
    auto r = run_process({volley_binary(), "run", "-q", "--insight", "--out", "html=" + page, "-e",
                          "URL=" + echo.url(), dir_ + "/s.js"},
                         {});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("TOTAL RESULTS"), std::string::npos); // the summary is still k6's
    std::string html = read_text(page);
    // Self-contained: nothing to fetch.
    EXPECT_EQ(html.find(" src="), std::string::npos);
    EXPECT_EQ(html.find(" href="), std::string::npos);
    for (const char* part : {"<h2>Thresholds</h2>", "p(95)&lt;1000", "status is 101",
                             "<h2>Options</h2>", "&quot;stages&quot;", "ws_session_duration"}) {
        EXPECT_NE(html.find(part), std::string::npos) << part;
    }

    Browser b = open_in_chromium(page, dir_ + "/shot.png", dir_);
    EXPECT_EQ(b.console, "") << "the page logged to the console";
    // VUs, sessions, messages, ws_connecting, ws_session_duration, errors by code, CPU, lag.
    std::regex drawn(R"re(<polyline points="[0-9.]+,[0-9.]+ [0-9.]+,[0-9.]+)re");
    auto n = std::distance(std::sregex_iterator(b.dom.begin(), b.dom.end(), drawn),
                           std::sregex_iterator());
    EXPECT_GE(n, 12) << b.dom.substr(0, 3000);
    EXPECT_NE(b.dom.find("<svg"), std::string::npos);
    EXPECT_EQ(b.dom.find("no samples"), std::string::npos);
    EXPECT_EQ(b.dom.find("run with --insight"), std::string::npos);
    EXPECT_GT(b.screenshot_bytes, 30'000U); // a blank page of that size is a few kB
}

// Without --insight the page says where errors by code and the generator's load would be.
TEST_F(HtmlReport, WithoutInsightThePageSaysWhatIsMissing) {
    EchoProcess echo;
    write_file(dir_ + "/s.js", R"(
        import ws from 'k6/ws';
        export default function () { ws.connect(__ENV.URL, {}, (s) => s.on('open', () => s.close())); }
    )");
    std::string page = dir_ + "/report.html";
    auto r = run_process({volley_binary(), "run", "-q", "--iterations", "3", "--out",
                          "html=" + page, "-e", "URL=" + echo.url(), dir_ + "/s.js"},
                         {});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string html = read_text(page);
    EXPECT_NE(html.find("run with --insight to count errors by code"), std::string::npos);
    EXPECT_NE(html.find("run with --insight to plot volley"), std::string::npos);
    // A run that fails before its summary still gets a page, with the error.
    write_file(dir_ + "/fails.js", R"(
        export function setup() { throw new Error('no backend'); }
        export default function () {}
    )");
    auto failed = run_process(
        {volley_binary(), "run", "-q", "--out", "html=" + page, dir_ + "/fails.js"}, {});
    EXPECT_EQ(failed.exit_code, 107) << failed.err;
    html = read_text(page);
    EXPECT_NE(html.find("The test ended with an error before its summary: Error: no backend"),
              std::string::npos)
        << html.substr(0, 2000);
    EXPECT_NE(html.find("</html>"), std::string::npos);

    auto bad = run_process({volley_binary(), "run", "--out", "html", dir_ + "/s.js"}, {});
    EXPECT_EQ(bad.exit_code, 255) << bad.err;
    EXPECT_NE(bad.err.find("the html output needs a file name"), std::string::npos) << bad.err;
}

// The console check catches a page that throws.
TEST_F(HtmlReport, ConsoleCheckSeesAnError) {
    write_file(dir_ + "/bad.html",
               "<!DOCTYPE html><html><body><script>throw new Error('boom')</script></body></html>");
    Browser b = open_in_chromium(dir_ + "/bad.html", dir_ + "/bad.png", dir_);
    EXPECT_NE(b.console.find("boom"), std::string::npos) << b.console;
}

} // namespace
} // namespace volley::test
