// k6's uses of its cookie jars (k6 v1.6.1 js/modules/k6/http/cookiejar.go: set, delete, clear)
// on Go's jar, and the Go jar helpers the ported tables in cookie_jar_test.cpp rest on.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "net/cookie_jar.hpp"

namespace volley::net {
namespace {

using cookie_detail::canonical_host;
using cookie_detail::default_path;
using cookie_detail::is_ip;
using cookie_detail::jar_key;

constexpr std::int64_t kNsPerSec = 1'000'000'000;
constexpr std::int64_t kTNow = 1357041600 * kNsPerSec; // 2013-01-01 12:00:00 UTC

TEST(CookieJarDetail, CanonicalHost) {
    const std::vector<std::pair<std::string, std::optional<std::string>>> cases = {
        {"www.example.com", "www.example.com"},
        {"WWW.EXAMPLE.COM", "www.example.com"},
        {"wWw.eXAmple.CoM", "www.example.com"},
        {"www.example.com:80", "www.example.com"},
        {"192.168.0.10", "192.168.0.10"},
        {"192.168.0.5:8080", "192.168.0.5"},
        {"2001:4860:0:2001::68", "2001:4860:0:2001::68"},
        {"[2001:4860:0:::68]:8080", "2001:4860:0:::68"},
        {"www.bücher.de", "www.xn--bcher-kva.de"},
        {"www.example.com.", "www.example.com"},
        {".", ""},
        {"..", "."},
        {"...", ".."},
        {".net", ".net"},
        {".net.", ".net"},
        {"a..", "a."},
        {"b.a..", "b.a."},
        {"weird.stuff...", "weird.stuff.."},
        {"[bad.unmatched.bracket:", std::nullopt},
    };
    for (const auto& [host, want] : cases) {
        EXPECT_EQ(canonical_host(host), want) << host;
    }
}

TEST(CookieJarDetail, JarKeyWithoutPublicSuffixList) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"foo.www.example.com", "example.com"},
        {"www.example.com", "example.com"},
        {"example.com", "example.com"},
        {"com", "com"},
        {"foo.www.bbc.co.uk", "co.uk"},
        {"www.bbc.co.uk", "co.uk"},
        {"bbc.co.uk", "co.uk"},
        {"co.uk", "co.uk"},
        {"uk", "uk"},
        {"192.168.0.5", "192.168.0.5"},
        {"", ""},
        {".", "."},
        {"..", ".."},
        {".net", ".net"},
        {"a.", "a."},
        {"b.a.", "a."},
        {"weird.stuff..", "stuff.."},
    };
    for (const auto& [host, want] : cases) {
        EXPECT_EQ(jar_key(host), want) << host;
    }
}

TEST(CookieJarDetail, IsIP) {
    const std::vector<std::pair<std::string, bool>> cases = {
        {"127.0.0.1", true},        {"1.2.3.4", true},          {"2001:4860:0:2001::68", true},
        {"::1%zone", true},         {"example.com", false},     {"1.1.1.300", false},
        {"www.foo.bar.net", false}, {"123.foo.bar.net", false}, {"01.2.3.4", false},
        {"1.2.3", false},           {"1.2.3.4.5", false},       {"1..2.3", false},
    };
    for (const auto& [host, want] : cases) {
        EXPECT_EQ(is_ip(host), want) << host;
    }
}

TEST(CookieJarDetail, DefaultPath) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"/", "/"},
        {"/abc", "/"},
        {"/abc/", "/abc"},
        {"/abc/xyz", "/abc"},
        {"/abc/xyz/", "/abc/xyz"},
        {"/a/b/c.html", "/a/b"},
        {"", "/"},
        {"strange", "/"},
        {"//", "/"},
        {"/a//b", "/a/"},
        {"/a/./b", "/a/."},
        {"/a/../b", "/a/.."},
    };
    for (const auto& [path, want] : cases) {
        EXPECT_EQ(default_path(path), want) << path;
    }
}

TEST(CookieJarDetail, Punycode) {
    // punycode_test.go cases (RFC 3492 section 7.1 samples among them), as labels of toASCII.
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"bücher", "xn--bcher-kva"},
        {"münchen.de", "xn--mnchen-3ya.de"},
        {"\u00e9", "xn--9ca"},
        {"\u03bb", "xn--wxa"},
        {"\u0644\u064a\u0647\u0645\u0627\u0628\u062a\u0643\u0644\u0645\u0648\u0634\u0639\u0631"
         "\u0628\u064a\u061f",
         "xn--egbpdaj6bu4bxfgehfvwxn"},
        {"\u4ed6\u4eec\u4e3a\u4ec0\u4e48\u4e0d\u8bf4\u4e2d\u6587", "xn--ihqwcrb4cv8a8dqg056pqjye"},
        {"Pro\u010dprost\u011bnemluv\u00ed\u010desky", "xn--Proprostnemluvesky-uyb24dma41a"},
    };
    for (const auto& [in, want] : cases) {
        EXPECT_EQ(cookie_detail::to_ascii(in), want) << in;
    }
}

// k6's jar.set(url, name, value, opts) builds an http.Cookie and calls SetCookies.
TEST(CookieJarK6, SetWithOptions) {
    CookieJar jar;
    JarUrl url{false, "example.com", "/api/cookies"};
    SetCookie plain;
    plain.name = "three";
    plain.value = "3";
    SetCookie scoped;
    scoped.name = "scoped";
    scoped.value = "s";
    scoped.domain = "example.com";
    scoped.path = "/";
    SetCookie secure;
    secure.name = "sec";
    secure.value = "x";
    secure.secure = true;
    jar.set_cookies(url, {plain, scoped, secure}, kTNow);
    // The default path of /api/cookies is /api; the domain cookie reaches subdomains.
    EXPECT_EQ(jar.cookies(url, kTNow),
              (std::vector<std::pair<std::string, std::string>>{{"three", "3"}, {"scoped", "s"}}));
    EXPECT_EQ(jar.cookies({false, "www.example.com", "/"}, kTNow),
              (std::vector<std::pair<std::string, std::string>>{{"scoped", "s"}}));
    EXPECT_EQ(jar.cookies({true, "example.com", "/api"}, kTNow),
              (std::vector<std::pair<std::string, std::string>>{
                  {"three", "3"}, {"sec", "x"}, {"scoped", "s"}}));
}

// k6's jar.delete(url, name): SetCookies(url, {Name: name, MaxAge: -1}) only reaches the cookie
// whose Go id (domain;path;name) is host;defaultPath;name: a cookie under another path, or one
// whose Domain differs from the host, stays.
TEST(CookieJarK6, DeleteReachesOnlyTheHostCookieAtDefaultPath) {
    CookieJar jar;
    JarUrl set_url{false, "www.example.com", "/api/cookies"};
    std::vector<SetCookie> cookies;
    for (auto line : {"one=1", "two=2", "root=r; Path=/", "dom=d; Domain=example.com"}) {
        cookies.push_back(*parse_set_cookie(line));
    }
    jar.set_cookies(set_url, cookies, kTNow);
    for (auto name : {"one", "root", "dom", "missing"}) {
        jar.remove(set_url, name);
    }
    EXPECT_EQ(jar.cookies(set_url, kTNow), (std::vector<std::pair<std::string, std::string>>{
                                               {"two", "2"}, {"dom", "d"}, {"root", "r"}}));
    // A Domain equal to the host shares the host cookie's id, so delete reaches it.
    jar.set_cookies(set_url, {*parse_set_cookie("same=1; Domain=www.example.com")}, kTNow);
    jar.remove(set_url, "same");
    EXPECT_EQ(jar.stored(kTNow).size(), 3U);
}

// k6's jar.clear(url): every cookie Cookies(url) returns is set again with MaxAge -1.
TEST(CookieJarK6, ClearUrlDeletesWhatRemoveWouldDelete) {
    CookieJar jar;
    JarUrl url{true, "Example.COM:8443", "/a/b"};
    std::vector<SetCookie> cookies;
    for (auto line : {"x=1", "y=2; Path=/", "z=3; Max-Age=1"}) {
        cookies.push_back(*parse_set_cookie(line));
    }
    jar.set_cookies(url, cookies, kTNow);
    jar.clear_url(url, kTNow + 2 * kNsPerSec);
    auto left = jar.stored(kTNow + 2 * kNsPerSec);
    ASSERT_EQ(left.size(), 1U); // x is gone, z expired, y has another path
    EXPECT_EQ(left[0].name, "y");
    EXPECT_EQ(left[0].value, "2");
}

TEST(CookieJarK6, ClearEmptiesTheJar) {
    CookieJar jar;
    EXPECT_TRUE(jar.empty());
    jar.set_cookies({false, "a.test", "/"}, {*parse_set_cookie("a=1")}, kTNow);
    EXPECT_FALSE(jar.empty());
    jar.clear();
    EXPECT_TRUE(jar.empty());
    EXPECT_TRUE(jar.cookies({false, "a.test", "/"}, kTNow).empty());
    // Deleting the last cookie of a jar key empties the jar as well.
    jar.set_cookies({false, "a.test", "/"}, {*parse_set_cookie("a=1")}, kTNow);
    jar.remove({false, "a.test", "/"}, "a");
    EXPECT_TRUE(jar.empty());
}

TEST(CookieJarK6, UpdateKeepsCreationOrder) {
    CookieJar jar;
    JarUrl url{false, "h.test", "/"};
    jar.set_cookies(url, {*parse_set_cookie("a=1"), *parse_set_cookie("b=2")}, kTNow);
    jar.set_cookies(url, {*parse_set_cookie("a=3")}, kTNow + kNsPerSec);
    EXPECT_EQ(jar.cookies(url, kTNow + 2 * kNsPerSec),
              (std::vector<std::pair<std::string, std::string>>{{"a", "3"}, {"b", "2"}}));
}

TEST(CookieJarK6, MaxAgeBeyondDurationRangeWrapsLikeGo) {
    // 10^10 s is more than time.Duration can hold: Go's product wraps negative, the entry is
    // stored already expired and the next Cookies call drops it.
    CookieJar jar;
    JarUrl url{false, "h.test", "/"};
    SetCookie c;
    c.name = "big";
    c.value = "v";
    c.max_age = 10'000'000'000;
    jar.set_cookies(url, {c}, kTNow);
    EXPECT_TRUE(jar.cookies(url, kTNow).empty());
    c.max_age = 9'000'000'000; // still fits: 285 years
    jar.set_cookies(url, {c}, kTNow);
    EXPECT_EQ(jar.cookies(url, kTNow).size(), 1U);
}

} // namespace
} // namespace volley::net
