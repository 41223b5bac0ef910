// Ported from Go's net/http/cookiejar/jar_test.go (the jarTest tables). Go runs them
// with a two-rule test public suffix list; k6's jars have none (cookiejar.New(nil)), so the
// cases where the list decides are given their nil-list outcome and marked "nil PSL".

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "net/cookie_jar.hpp"

namespace volley::net {
namespace {

constexpr std::int64_t kNsPerSec = 1'000'000'000;
// jar_test.go's tNow: 2013-01-01 12:00:00 UTC (a Tuesday).
constexpr std::int64_t kTNow = 1357041600 * kNsPerSec;
constexpr std::int64_t kStepNs = 1001 * 1'000'000; // each step of a jarTest is 1001 ms later

// expiresIn(delta): "expires=" + (tNow + delta s).Format(time.RFC1123).
std::string expires_in(int delta) {
    int secs = delta < 0 ? 60 + delta : delta;
    std::string hm = delta < 0 ? "11:59:" : "12:00:";
    std::string ss = (secs < 10 ? "0" : "") + std::to_string(secs);
    return "expires=Tue, 01 Jan 2013 " + hm + ss + " UTC";
}

struct TestUrl {
    bool http = false; // http or https: Go's jar ignores every other scheme
    JarUrl url;
};

// The parts of Go's url.Parse the jar reads: scheme, u.Host (%25 decoded) and u.Path.
TestUrl parse_url(std::string_view s) {
    auto sep = s.find("://");
    std::string_view scheme = s.substr(0, sep);
    std::string_view rest = s.substr(sep + 3);
    auto slash = rest.find('/');
    TestUrl out;
    out.http = scheme == "http" || scheme == "https";
    out.url.https = scheme == "https";
    out.url.host = std::string(rest.substr(0, slash));
    if (auto pct = out.url.host.find("%25"); pct != std::string::npos) {
        out.url.host.replace(pct, 3, "%");
    }
    out.url.path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
    return out;
}

struct Query {
    std::string to_url;
    std::string want; // cookies as c.String() renders them, space separated, in order
};

struct JarTest {
    std::string description;
    std::string from_url;
    std::vector<std::string> set_cookies;
    std::string content; // every unexpired cookie, "name=value" sorted
    std::vector<Query> queries;
};

// jarTest.run: set the cookies at tNow, check the content at +1001 ms, then query n at
// +(n+2)*1001 ms.
void run_jar_test(CookieJar& jar, const JarTest& test) {
    SCOPED_TRACE(test.description);
    std::int64_t now = kTNow;
    std::vector<SetCookie> cookies;
    for (const auto& line : test.set_cookies) {
        auto c = parse_set_cookie(line);
        ASSERT_TRUE(c.has_value()) << line;
        cookies.push_back(*c);
    }
    TestUrl from = parse_url(test.from_url);
    ASSERT_TRUE(from.http);
    jar.set_cookies(from.url, cookies, now);
    now += kStepNs;

    std::vector<std::string> content;
    for (const JarCookie& c : jar.stored(now)) {
        bool quote = c.quoted || c.value.find_first_of(" ,") != std::string::npos;
        content.push_back(c.name + "=" + (quote ? "\"" + c.value + "\"" : c.value));
    }
    std::sort(content.begin(), content.end());
    std::string got;
    for (const auto& c : content) {
        got += (got.empty() ? "" : " ") + c;
    }
    EXPECT_EQ(got, test.content) << "content";

    for (std::size_t i = 0; i < test.queries.size(); ++i) {
        now += kStepNs;
        TestUrl to = parse_url(test.queries[i].to_url);
        std::string sent;
        if (to.http) {
            for (const auto& pair : jar.cookies(to.url, now)) {
                sent += (sent.empty() ? "" : " ") + cookie_header({pair});
            }
        }
        EXPECT_EQ(sent, test.queries[i].want) << "query #" << i << " " << test.queries[i].to_url;
    }
}

// basicsTests: each on a fresh jar.
const std::vector<JarTest> kBasicsTests = {
    {"Retrieval of a plain host cookie.",
     "http://www.host.test/",
     {"A=a"},
     "A=a",
     {{"http://www.host.test", "A=a"},
      {"http://www.host.test/", "A=a"},
      {"http://www.host.test/some/path", "A=a"},
      {"https://www.host.test", "A=a"},
      {"https://www.host.test/", "A=a"},
      {"https://www.host.test/some/path", "A=a"},
      {"ftp://www.host.test", ""},
      {"ftp://www.host.test/", ""},
      {"ftp://www.host.test/some/path", ""},
      {"http://www.other.org", ""},
      {"http://sibling.host.test", ""},
      {"http://deep.www.host.test", ""}}},
    {"Secure cookies are not returned to http.",
     "http://www.host.test/",
     {"A=a; secure"},
     "A=a",
     {{"http://www.host.test", ""},
      {"http://www.host.test/", ""},
      {"http://www.host.test/some/path", ""},
      {"https://www.host.test", "A=a"},
      {"https://www.host.test/", "A=a"},
      {"https://www.host.test/some/path", "A=a"}}},
    {"Explicit path.",
     "http://www.host.test/",
     {"A=a; path=/some/path"},
     "A=a",
     {{"http://www.host.test", ""},
      {"http://www.host.test/", ""},
      {"http://www.host.test/some", ""},
      {"http://www.host.test/some/", ""},
      {"http://www.host.test/some/path", "A=a"},
      {"http://www.host.test/some/paths", ""},
      {"http://www.host.test/some/path/foo", "A=a"},
      {"http://www.host.test/some/path/foo/", "A=a"}}},
    {"Implicit path #1: path is a directory.",
     "http://www.host.test/some/path/",
     {"A=a"},
     "A=a",
     {{"http://www.host.test", ""},
      {"http://www.host.test/", ""},
      {"http://www.host.test/some", ""},
      {"http://www.host.test/some/", ""},
      {"http://www.host.test/some/path", "A=a"},
      {"http://www.host.test/some/paths", ""},
      {"http://www.host.test/some/path/foo", "A=a"},
      {"http://www.host.test/some/path/foo/", "A=a"}}},
    {"Implicit path #2: path is not a directory.",
     "http://www.host.test/some/path/index.html",
     {"A=a"},
     "A=a",
     {{"http://www.host.test", ""},
      {"http://www.host.test/", ""},
      {"http://www.host.test/some", ""},
      {"http://www.host.test/some/", ""},
      {"http://www.host.test/some/path", "A=a"},
      {"http://www.host.test/some/paths", ""},
      {"http://www.host.test/some/path/foo", "A=a"},
      {"http://www.host.test/some/path/foo/", "A=a"}}},
    {"Implicit path #3: no path in URL at all.",
     "http://www.host.test",
     {"A=a"},
     "A=a",
     {{"http://www.host.test", "A=a"},
      {"http://www.host.test/", "A=a"},
      {"http://www.host.test/some/path", "A=a"}}},
    {"Cookies are sorted by path length.",
     "http://www.host.test/",
     {"A=a; path=/foo/bar", "B=b; path=/foo/bar/baz/qux", "C=c; path=/foo/bar/baz",
      "D=d; path=/foo"},
     "A=a B=b C=c D=d",
     {{"http://www.host.test/foo/bar/baz/qux", "B=b C=c A=a D=d"},
      {"http://www.host.test/foo/bar/baz/", "C=c A=a D=d"},
      {"http://www.host.test/foo/bar", "A=a D=d"}}},
    {"Creation time determines sorting on same length paths.",
     "http://www.host.test/",
     {"A=a; path=/foo/bar", "X=x; path=/foo/bar", "Y=y; path=/foo/bar/baz/qux",
      "B=b; path=/foo/bar/baz/qux", "C=c; path=/foo/bar/baz", "W=w; path=/foo/bar/baz",
      "Z=z; path=/foo", "D=d; path=/foo"},
     "A=a B=b C=c D=d W=w X=x Y=y Z=z",
     {{"http://www.host.test/foo/bar/baz/qux", "Y=y B=b C=c W=w A=a X=x Z=z D=d"},
      {"http://www.host.test/foo/bar/baz/", "C=c W=w A=a X=x Z=z D=d"},
      {"http://www.host.test/foo/bar", "A=a X=x Z=z D=d"}}},
    {"Sorting of same-name cookies.",
     "http://www.host.test/",
     {"A=1; path=/", "A=2; path=/path", "A=3; path=/quux", "A=4; path=/path/foo",
      "A=5; domain=.host.test; path=/path", "A=6; domain=.host.test; path=/quux",
      "A=7; domain=.host.test; path=/path/foo"},
     "A=1 A=2 A=3 A=4 A=5 A=6 A=7",
     {{"http://www.host.test/path", "A=2 A=5 A=1"},
      {"http://www.host.test/path/foo", "A=4 A=7 A=2 A=5 A=1"}}},
    // nil PSL: Go's "Disallow domain cookie on public suffix." keeps only a=1.
    {"Domain cookie on a public suffix is kept without a public suffix list.",
     "http://www.bbc.co.uk",
     {"a=1", "b=2; domain=co.uk"},
     "a=1 b=2",
     {{"http://www.bbc.co.uk", "a=1 b=2"}, {"http://other.co.uk", "b=2"}}},
    {"Host cookie on IP.", "http://192.168.0.10", {"a=1"}, "a=1", {{"http://192.168.0.10", "a=1"}}},
    {"Domain cookies on IP.",
     "http://192.168.0.10",
     {"a=1; domain=192.168.0.10", "b=2; domain=172.31.9.9", "c=3; domain=.192.168.0.10"},
     "a=1",
     {{"http://192.168.0.10", "a=1"},
      {"http://172.31.9.9", ""},
      {"http://www.fancy.192.168.0.10", ""}}},
    {"Port is ignored #1.",
     "http://www.host.test/",
     {"a=1"},
     "a=1",
     {{"http://www.host.test", "a=1"}, {"http://www.host.test:8080/", "a=1"}}},
    {"Port is ignored #2.",
     "http://www.host.test:8080/",
     {"a=1"},
     "a=1",
     {{"http://www.host.test", "a=1"},
      {"http://www.host.test:8080/", "a=1"},
      {"http://www.host.test:1234/", "a=1"}}},
    {"IPv6 zone is not treated as a host.",
     "https://example.com/",
     {"a=1"},
     "a=1",
     {{"https://[::1%25.example.com]:80/", ""}}},
    // Go returns cookie-1 with Quoted set and its c.String() quotes it; k6 copies only Name and
    // Value into the request, so the value goes out unquoted.
    {"Retrieval of cookies with quoted values",
     "http://www.host.test/",
     {R"(cookie-1="quoted")", R"(cookie-2="quoted with spaces")",
      R"(cookie-3="quoted,with,commas")", "cookie-4= ,"},
     R"(cookie-1="quoted" cookie-2="quoted with spaces" cookie-3="quoted,with,commas" cookie-4=" ,")",
     {{"http://www.host.test",
       R"(cookie-1=quoted cookie-2="quoted with spaces" cookie-3="quoted,with,commas" cookie-4=" ,")"}}},
};

TEST(CookieJar, Basics) {
    for (const auto& test : kBasicsTests) {
        CookieJar jar;
        run_jar_test(jar, test);
    }
}

// updateAndDeleteTests: all on one jar.
const std::vector<JarTest> kUpdateAndDeleteTests = {
    {"Set initial cookies.",
     "http://www.host.test",
     {"a=1", "b=2; secure", "c=3; httponly", "d=4; secure; httponly"},
     "a=1 b=2 c=3 d=4",
     {{"http://www.host.test", "a=1 c=3"}, {"https://www.host.test", "a=1 b=2 c=3 d=4"}}},
    {"Update value via http.",
     "http://www.host.test",
     {"a=w", "b=x; secure", "c=y; httponly", "d=z; secure; httponly"},
     "a=w b=x c=y d=z",
     {{"http://www.host.test", "a=w c=y"}, {"https://www.host.test", "a=w b=x c=y d=z"}}},
    {"Clear Secure flag from an http.",
     "http://www.host.test/",
     {"b=xx", "d=zz; httponly"},
     "a=w b=xx c=y d=zz",
     {{"http://www.host.test", "a=w b=xx c=y d=zz"}}},
    {"Delete all.",
     "http://www.host.test/",
     {"a=1; max-Age=-1", "b=2; " + expires_in(-10), "c=2; max-age=-1; " + expires_in(-10),
      "d=4; max-age=-1; " + expires_in(10)},
     "",
     {{"http://www.host.test", ""}}},
    {"Refill #1.",
     "http://www.host.test",
     {"A=1", "A=2; path=/foo", "A=3; domain=.host.test", "A=4; path=/foo; domain=.host.test"},
     "A=1 A=2 A=3 A=4",
     {{"http://www.host.test/foo", "A=2 A=4 A=1 A=3"}}},
    {"Refill #2.",
     "http://www.google.com",
     {"A=6", "A=7; path=/foo", "A=8; domain=.google.com", "A=9; path=/foo; domain=.google.com"},
     "A=1 A=2 A=3 A=4 A=6 A=7 A=8 A=9",
     {{"http://www.host.test/foo", "A=2 A=4 A=1 A=3"},
      {"http://www.google.com/foo", "A=7 A=9 A=6 A=8"}}},
    {"Delete A7.",
     "http://www.google.com",
     {"A=; path=/foo; max-age=-1"},
     "A=1 A=2 A=3 A=4 A=6 A=8 A=9",
     {{"http://www.host.test/foo", "A=2 A=4 A=1 A=3"},
      {"http://www.google.com/foo", "A=9 A=6 A=8"}}},
    {"Delete A4.",
     "http://www.host.test",
     {"A=; path=/foo; domain=host.test; max-age=-1"},
     "A=1 A=2 A=3 A=6 A=8 A=9",
     {{"http://www.host.test/foo", "A=2 A=1 A=3"}, {"http://www.google.com/foo", "A=9 A=6 A=8"}}},
    {"Delete A6.",
     "http://www.google.com",
     {"A=; max-age=-1"},
     "A=1 A=2 A=3 A=8 A=9",
     {{"http://www.host.test/foo", "A=2 A=1 A=3"}, {"http://www.google.com/foo", "A=9 A=8"}}},
    {"Delete A3.",
     "http://www.host.test",
     {"A=; domain=host.test; max-age=-1"},
     "A=1 A=2 A=8 A=9",
     {{"http://www.host.test/foo", "A=2 A=1"}, {"http://www.google.com/foo", "A=9 A=8"}}},
    {"No cross-domain delete.",
     "http://www.host.test",
     {"A=; domain=google.com; max-age=-1", "A=; path=/foo; domain=google.com; max-age=-1"},
     "A=1 A=2 A=8 A=9",
     {{"http://www.host.test/foo", "A=2 A=1"}, {"http://www.google.com/foo", "A=9 A=8"}}},
    {"Delete A8 and A9.",
     "http://www.google.com",
     {"A=; domain=google.com; max-age=-1", "A=; path=/foo; domain=google.com; max-age=-1"},
     "A=1 A=2",
     {{"http://www.host.test/foo", "A=2 A=1"}, {"http://www.google.com/foo", ""}}},
};

TEST(CookieJar, UpdateAndDelete) {
    CookieJar jar;
    for (const auto& test : kUpdateAndDeleteTests) {
        run_jar_test(jar, test);
    }
}

TEST(CookieJar, Expiration) {
    CookieJar jar;
    run_jar_test(jar, {"Expiration.",
                       "http://www.host.test",
                       {"a=1", "b=2; max-age=3", "c=3; " + expires_in(3), "d=4; max-age=5",
                        "e=5; " + expires_in(5), "f=6; max-age=100"},
                       "a=1 b=2 c=3 d=4 e=5 f=6",
                       {{"http://www.host.test", "a=1 b=2 c=3 d=4 e=5 f=6"},
                        {"http://www.host.test", "a=1 d=4 e=5 f=6"},
                        {"http://www.host.test", "a=1 d=4 e=5 f=6"},
                        {"http://www.host.test", "a=1 f=6"},
                        {"http://www.host.test", "a=1 f=6"}}});
}

// chromiumBasicsTests: each on a fresh jar.
const std::vector<JarTest> kChromiumBasicsTests = {
    {"DomainWithTrailingDotTest.",
     "http://www.google.com/",
     {"a=1; domain=.www.google.com.", "b=2; domain=.www.google.com.."},
     "",
     {{"http://www.google.com", ""}}},
    {"ValidSubdomainTest #1.",
     "http://a.b.c.d.com",
     {"a=1; domain=.a.b.c.d.com", "b=2; domain=.b.c.d.com", "c=3; domain=.c.d.com",
      "d=4; domain=.d.com"},
     "a=1 b=2 c=3 d=4",
     {{"http://a.b.c.d.com", "a=1 b=2 c=3 d=4"},
      {"http://b.c.d.com", "b=2 c=3 d=4"},
      {"http://c.d.com", "c=3 d=4"},
      {"http://d.com", "d=4"}}},
    {"ValidSubdomainTest #2.",
     "http://a.b.c.d.com",
     {"a=1; domain=.a.b.c.d.com", "b=2; domain=.b.c.d.com", "c=3; domain=.c.d.com",
      "d=4; domain=.d.com", "X=bcd; domain=.b.c.d.com", "X=cd; domain=.c.d.com"},
     "X=bcd X=cd a=1 b=2 c=3 d=4",
     {{"http://b.c.d.com", "b=2 c=3 d=4 X=bcd X=cd"}, {"http://c.d.com", "c=3 d=4 X=cd"}}},
    {"InvalidDomainTest #1.",
     "http://foo.bar.com",
     {"a=1; domain=.yo.foo.bar.com", "b=2; domain=.foo.com", "c=3; domain=.bar.foo.com",
      "d=4; domain=.foo.bar.com.net", "e=5; domain=ar.com", "f=6; domain=.", "g=7; domain=/",
      "h=8; domain=http://foo.bar.com", "i=9; domain=..foo.bar.com", "j=10; domain=..bar.com",
      "k=11; domain=.foo.bar.com?blah", "l=12; domain=.foo.bar.com/blah",
      "m=12; domain=.foo.bar.com:80",
      "n=14; domain=.foo.bar.com:", "o=15; domain=.foo.bar.com#sup"},
     "",
     {{"http://foo.bar.com", ""}}},
    {"InvalidDomainTest #2.",
     "http://foo.com.com",
     {"a=1; domain=.foo.com.com.com"},
     "",
     {{"http://foo.bar.com", ""}}},
    {"DomainWithoutLeadingDotTest #1.",
     "http://manage.hosted.filefront.com",
     {"a=1; domain=filefront.com"},
     "a=1",
     {{"http://www.filefront.com", "a=1"}}},
    {"DomainWithoutLeadingDotTest #2.",
     "http://www.google.com",
     {"a=1; domain=www.google.com"},
     "a=1",
     {{"http://www.google.com", "a=1"},
      {"http://sub.www.google.com", "a=1"},
      {"http://something-else.com", ""}}},
    {"CaseInsensitiveDomainTest.",
     "http://www.google.com",
     {"a=1; domain=.GOOGLE.COM", "b=2; domain=.www.gOOgLE.coM"},
     "a=1 b=2",
     {{"http://www.google.com", "a=1 b=2"}}},
    {"TestIpAddress #1.",
     "http://1.2.3.4/foo",
     {"a=1; path=/"},
     "a=1",
     {{"http://1.2.3.4/foo", "a=1"}}},
    {"TestIpAddress #2.",
     "http://1.2.3.4/foo",
     {"a=1; domain=.1.2.3.4", "b=2; domain=.3.4"},
     "",
     {{"http://1.2.3.4/foo", ""}}},
    {"TestIpAddress #3.",
     "http://1.2.3.4/foo",
     {"a=1; domain=1.2.3.3"},
     "",
     {{"http://1.2.3.4/foo", ""}}},
    {"TestIpAddress #4.",
     "http://1.2.3.4/foo",
     {"a=1; domain=1.2.3.4"},
     "a=1",
     {{"http://1.2.3.4/foo", "a=1"}}},
    {"TestNonDottedAndTLD #2.",
     "http://com./index.html",
     {"a=1"},
     "a=1",
     {{"http://com./index.html", "a=1"}, {"http://no-cookies.com./index.html", ""}}},
    // nil PSL: Go's test list rejects both domains of #3, #4 and #5; without a list they are kept.
    {"TestNonDottedAndTLD #3 (nil PSL).",
     "http://a.b",
     {"a=1; domain=.b", "b=2; domain=b"},
     "a=1 b=2",
     {{"http://bar.foo", ""}, {"http://a.b", "a=1 b=2"}}},
    {"TestNonDottedAndTLD #4 (nil PSL).",
     "http://google.com",
     {"a=1; domain=.com", "b=2; domain=com"},
     "a=1 b=2",
     {{"http://google.com", "a=1 b=2"}}},
    {"TestNonDottedAndTLD #5 (nil PSL).",
     "http://google.co.uk",
     {"a=1; domain=.co.uk", "b=2; domain=.uk"},
     "a=1 b=2",
     {{"http://google.co.uk", "a=1 b=2"}, {"http://else.co.com", ""}, {"http://else.uk", ""}}},
    {"TestHostEndsWithDot.",
     "http://www.google.com",
     {"a=1", "b=2; domain=.www.google.com."},
     "a=1",
     {{"http://www.google.com", "a=1"}}},
    {"PathTest",
     "http://www.google.izzle",
     {"a=1; path=/wee"},
     "a=1",
     {{"http://www.google.izzle/wee", "a=1"},
      {"http://www.google.izzle/wee/", "a=1"},
      {"http://www.google.izzle/wee/war", "a=1"},
      {"http://www.google.izzle/wee/war/more/more", "a=1"},
      {"http://www.google.izzle/weehee", ""},
      {"http://www.google.izzle/", ""}}},
};

TEST(CookieJar, ChromiumBasics) {
    for (const auto& test : kChromiumBasicsTests) {
        CookieJar jar;
        run_jar_test(jar, test);
    }
}

// chromiumDomainTests: all on one jar. A test without cookies only queries (Go's SetCookies
// returns at once for an empty list).
const std::vector<JarTest> kChromiumDomainTests = {
    {"Fill #1.", "http://www.google.izzle", {"A=B"}, "A=B", {{"http://www.google.izzle", "A=B"}}},
    {"Fill #2.",
     "http://www.google.izzle",
     {"C=D; domain=.google.izzle"},
     "A=B C=D",
     {{"http://www.google.izzle", "A=B C=D"}}},
    {"Verify A is a host cookie and not accessible from subdomain.",
     "http://unused.nil",
     {},
     "A=B C=D",
     {{"http://foo.www.google.izzle", "C=D"}}},
    {"Verify domain cookies are found on proper domain.",
     "http://www.google.izzle",
     {"E=F; domain=.www.google.izzle"},
     "A=B C=D E=F",
     {{"http://www.google.izzle", "A=B C=D E=F"}}},
    {"Leading dots in domain attributes are optional.",
     "http://www.google.izzle",
     {"G=H; domain=www.google.izzle"},
     "A=B C=D E=F G=H",
     {{"http://www.google.izzle", "A=B C=D E=F G=H"}}},
    {"Verify domain enforcement works #1.",
     "http://www.google.izzle",
     {"K=L; domain=.bar.www.google.izzle"},
     "A=B C=D E=F G=H",
     {{"http://bar.www.google.izzle", "C=D E=F G=H"}}},
    {"Verify domain enforcement works #2.",
     "http://unused.nil",
     {},
     "A=B C=D E=F G=H",
     {{"http://www.google.izzle", "A=B C=D E=F G=H"}}},
};

TEST(CookieJar, ChromiumDomain) {
    CookieJar jar;
    for (const auto& test : kChromiumDomainTests) {
        run_jar_test(jar, test);
    }
}

// chromiumDeletionTests: all on one jar.
const std::vector<JarTest> kChromiumDeletionTests = {
    {"Create session cookie a1.",
     "http://www.google.com",
     {"a=1"},
     "a=1",
     {{"http://www.google.com", "a=1"}}},
    {"Delete sc a1 via MaxAge.",
     "http://www.google.com",
     {"a=1; max-age=-1"},
     "",
     {{"http://www.google.com", ""}}},
    {"Create session cookie b2.",
     "http://www.google.com",
     {"b=2"},
     "b=2",
     {{"http://www.google.com", "b=2"}}},
    {"Delete sc b2 via Expires.",
     "http://www.google.com",
     {"b=2; " + expires_in(-10)},
     "",
     {{"http://www.google.com", ""}}},
    {"Create persistent cookie c3.",
     "http://www.google.com",
     {"c=3; max-age=3600"},
     "c=3",
     {{"http://www.google.com", "c=3"}}},
    {"Delete pc c3 via MaxAge.",
     "http://www.google.com",
     {"c=3; max-age=-1"},
     "",
     {{"http://www.google.com", ""}}},
    {"Create persistent cookie d4.",
     "http://www.google.com",
     {"d=4; max-age=3600"},
     "d=4",
     {{"http://www.google.com", "d=4"}}},
    {"Delete pc d4 via Expires.",
     "http://www.google.com",
     {"d=4; " + expires_in(-10)},
     "",
     {{"http://www.google.com", ""}}},
};

TEST(CookieJar, ChromiumDeletion) {
    CookieJar jar;
    for (const auto& test : kChromiumDeletionTests) {
        run_jar_test(jar, test);
    }
}

// domainHandlingTests: each on a fresh jar.
const std::vector<JarTest> kDomainHandlingTests = {
    {"Host cookie",
     "http://www.host.test",
     {"a=1"},
     "a=1",
     {{"http://www.host.test", "a=1"},
      {"http://host.test", ""},
      {"http://bar.host.test", ""},
      {"http://foo.www.host.test", ""},
      {"http://other.test", ""},
      {"http://test", ""}}},
    {"Domain cookie #1",
     "http://www.host.test",
     {"a=1; domain=host.test"},
     "a=1",
     {{"http://www.host.test", "a=1"},
      {"http://host.test", "a=1"},
      {"http://bar.host.test", "a=1"},
      {"http://foo.www.host.test", "a=1"},
      {"http://other.test", ""},
      {"http://test", ""}}},
    {"Domain cookie #2",
     "http://www.host.test",
     {"a=1; domain=.host.test"},
     "a=1",
     {{"http://www.host.test", "a=1"},
      {"http://host.test", "a=1"},
      {"http://bar.host.test", "a=1"},
      {"http://foo.www.host.test", "a=1"},
      {"http://other.test", ""},
      {"http://test", ""}}},
    {"Host cookie on IDNA domain #1",
     "http://www.bücher.test",
     {"a=1"},
     "a=1",
     {{"http://www.bücher.test", "a=1"},
      {"http://www.xn--bcher-kva.test", "a=1"},
      {"http://bücher.test", ""},
      {"http://xn--bcher-kva.test", ""},
      {"http://bar.bücher.test", ""},
      {"http://bar.xn--bcher-kva.test", ""},
      {"http://foo.www.bücher.test", ""},
      {"http://foo.www.xn--bcher-kva.test", ""},
      {"http://other.test", ""},
      {"http://test", ""}}},
    {"Host cookie on IDNA domain #2",
     "http://www.xn--bcher-kva.test",
     {"a=1"},
     "a=1",
     {{"http://www.bücher.test", "a=1"},
      {"http://www.xn--bcher-kva.test", "a=1"},
      {"http://bücher.test", ""},
      {"http://xn--bcher-kva.test", ""},
      {"http://bar.bücher.test", ""},
      {"http://bar.xn--bcher-kva.test", ""},
      {"http://foo.www.bücher.test", ""},
      {"http://foo.www.xn--bcher-kva.test", ""},
      {"http://other.test", ""},
      {"http://test", ""}}},
    {"Domain cookie on IDNA domain #1",
     "http://www.bücher.test",
     {"a=1; domain=xn--bcher-kva.test"},
     "a=1",
     {{"http://www.bücher.test", "a=1"},
      {"http://www.xn--bcher-kva.test", "a=1"},
      {"http://bücher.test", "a=1"},
      {"http://xn--bcher-kva.test", "a=1"},
      {"http://bar.bücher.test", "a=1"},
      {"http://bar.xn--bcher-kva.test", "a=1"},
      {"http://foo.www.bücher.test", "a=1"},
      {"http://foo.www.xn--bcher-kva.test", "a=1"},
      {"http://other.test", ""},
      {"http://test", ""}}},
    {"Domain cookie on IDNA domain #2",
     "http://www.xn--bcher-kva.test",
     {"a=1; domain=xn--bcher-kva.test"},
     "a=1",
     {{"http://www.bücher.test", "a=1"},
      {"http://www.xn--bcher-kva.test", "a=1"},
      {"http://bücher.test", "a=1"},
      {"http://xn--bcher-kva.test", "a=1"},
      {"http://bar.bücher.test", "a=1"},
      {"http://bar.xn--bcher-kva.test", "a=1"},
      {"http://foo.www.bücher.test", "a=1"},
      {"http://foo.www.xn--bcher-kva.test", "a=1"},
      {"http://other.test", ""},
      {"http://test", ""}}},
    {"Host cookie on TLD.",
     "http://com",
     {"a=1"},
     "a=1",
     {{"http://com", "a=1"}, {"http://any.com", ""}, {"http://any.test", ""}}},
    // nil PSL: a domain cookie for "com" (Go's list makes it a host cookie); any.com still does
    // not see it, as its jar key is any.com.
    {"Domain cookie on TLD.",
     "http://com",
     {"a=1; domain=com"},
     "a=1",
     {{"http://com", "a=1"}, {"http://any.com", ""}, {"http://any.test", ""}}},
    {"Host cookie on public suffix.",
     "http://co.uk",
     {"a=1"},
     "a=1",
     {{"http://co.uk", "a=1"},
      {"http://uk", ""},
      {"http://some.co.uk", ""},
      {"http://foo.some.co.uk", ""},
      {"http://any.uk", ""}}},
    // nil PSL: Go's "Domain cookie on public suffix is ignored." stores nothing.
    {"Domain cookie on public suffix is kept (nil PSL).",
     "http://some.co.uk",
     {"a=1; domain=co.uk"},
     "a=1",
     {{"http://co.uk", "a=1"},
      {"http://uk", ""},
      {"http://some.co.uk", "a=1"},
      {"http://foo.some.co.uk", "a=1"},
      {"http://any.uk", ""}}},
};

TEST(CookieJar, DomainHandling) {
    for (const auto& test : kDomainHandlingTests) {
        CookieJar jar;
        run_jar_test(jar, test);
    }
}

// TestIssue19384: degenerate hosts still get their cookies back.
TEST(CookieJar, DegenerateHosts) {
    for (std::string host : {"", ".", "..", "..."}) {
        SCOPED_TRACE(host);
        CookieJar jar;
        JarUrl url{false, host, "/"};
        EXPECT_TRUE(jar.cookies(url, kTNow).empty());
        SetCookie c;
        c.name = "name";
        c.value = "value";
        jar.set_cookies(url, {c}, kTNow);
        auto got = jar.cookies(url, kTNow);
        ASSERT_EQ(got.size(), 1U);
        EXPECT_EQ(got[0].second, "value");
    }
}

} // namespace
} // namespace volley::net
