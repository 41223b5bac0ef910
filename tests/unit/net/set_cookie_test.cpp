// Ported from Go's net/http/cookie_test.go (readSetCookiesTests, TestParseSetCookie,
// addCookieTests, TestCookieSanitizeValue), plus the corners of Max-Age and Expires parsing.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "net/set_cookie.hpp"

namespace volley::net {
namespace {

// addCookieTests and the k6 view of sanitizeCookieValue (Quoted is never set by k6).
TEST(SetCookieHeader, AddCookieSequence) {
    EXPECT_EQ(cookie_header({}), "");
    EXPECT_EQ(cookie_header({{"cookie-1", "v$1"}}), "cookie-1=v$1");
    EXPECT_EQ(cookie_header({{"cookie-1", "v$1"}, {"cookie-2", "v$2"}, {"cookie-3", "v$3"}}),
              "cookie-1=v$1; cookie-2=v$2; cookie-3=v$3");
    const std::vector<std::pair<std::string, std::string>> values = {
        {"foo", "foo"},
        {"foo;bar", "foobar"},
        {"foo\\bar", "foobar"},
        {"foo\"bar", "foobar"},
        {std::string("\x00\x7e\x7f\x80", 4), "~"},
        {"a z", "\"a z\""},
        {" z", "\" z\""},
        {"a ", "\"a \""},
        {"a,z", "\"a,z\""},
        {",z", "\",z\""},
        {"a,", "\"a,\""},
        {"", ""},
        {"\"withquotes\"", "withquotes"},
    };
    for (const auto& [in, want] : values) {
        EXPECT_EQ(cookie_header({{"n", in}}), "n=" + want) << in;
    }
    EXPECT_EQ(cookie_header({{"a\nb\rc", "v"}}), "a-b-c=v");
}

struct ParseCase {
    std::string line;
    std::optional<SetCookie> want;
};

SetCookie cookie(std::string name, std::string value) {
    SetCookie c;
    c.name = std::move(name);
    c.value = std::move(value);
    return c;
}

SetCookie with(SetCookie c, void (*edit)(SetCookie&)) {
    edit(c);
    return c;
}

void expect_cookie(const SetCookie& got, const SetCookie& want) {
    EXPECT_EQ(got.name, want.name);
    EXPECT_EQ(got.value, want.value);
    EXPECT_EQ(got.quoted, want.quoted);
    EXPECT_EQ(got.path, want.path);
    EXPECT_EQ(got.domain, want.domain);
    EXPECT_EQ(got.expires_unix_s, want.expires_unix_s);
    EXPECT_EQ(got.max_age, want.max_age);
    EXPECT_EQ(got.secure, want.secure);
    EXPECT_EQ(got.http_only, want.http_only);
    EXPECT_EQ(got.same_site, want.same_site);
    EXPECT_EQ(got.partitioned, want.partitioned);
    EXPECT_EQ(got.raw_expires, want.raw_expires);
}

// readSetCookiesTests and TestParseSetCookie.
TEST(SetCookieParse, GoReadSetCookiesCases) {
    auto quoted = [](std::string name, std::string value) {
        SetCookie c = cookie(std::move(name), std::move(value));
        c.quoted = true;
        return c;
    };
    const std::vector<ParseCase> cases = {
        {"Cookie-1=v$1", cookie("Cookie-1", "v$1")},
        {"NID=99=YsDT5i3E-CXax-; expires=Wed, 23-Nov-2011 01:05:03 GMT; path=/; "
         "domain=.google.ch; HttpOnly",
         with(cookie("NID", "99=YsDT5i3E-CXax-"),
              [](SetCookie& c) {
                  c.path = "/";
                  c.domain = ".google.ch";
                  c.http_only = true;
                  c.expires_unix_s = 1322010303;
                  c.raw_expires = "Wed, 23-Nov-2011 01:05:03 GMT";
              })},
        {".ASPXAUTH=7E3AA; expires=Wed, 07-Mar-2012 14:25:06 GMT; path=/; HttpOnly",
         with(cookie(".ASPXAUTH", "7E3AA"),
              [](SetCookie& c) {
                  c.path = "/";
                  c.expires_unix_s = 1331130306;
                  c.raw_expires = "Wed, 07-Mar-2012 14:25:06 GMT";
                  c.http_only = true;
              })},
        {"ASP.NET_SessionId=foo; path=/; HttpOnly", with(cookie("ASP.NET_SessionId", "foo"),
                                                         [](SetCookie& c) {
                                                             c.path = "/";
                                                             c.http_only = true;
                                                         })},
        {"samesitedefault=foo; SameSite",
         with(cookie("samesitedefault", "foo"), [](SetCookie& c) { c.same_site = "Default"; })},
        {"samesiteinvalidisdefault=foo; SameSite=invalid",
         with(cookie("samesiteinvalidisdefault", "foo"),
              [](SetCookie& c) { c.same_site = "Default"; })},
        {"samesitelax=foo; SameSite=Lax",
         with(cookie("samesitelax", "foo"), [](SetCookie& c) { c.same_site = "Lax"; })},
        {"samesitestrict=foo; SameSite=Strict",
         with(cookie("samesitestrict", "foo"), [](SetCookie& c) { c.same_site = "Strict"; })},
        {"samesitenone=foo; SameSite=None",
         with(cookie("samesitenone", "foo"), [](SetCookie& c) { c.same_site = "None"; })},
        {"special-1=a z", cookie("special-1", "a z")},
        {R"(special-2=" z")", quoted("special-2", " z")},
        {R"(special-3="a ")", quoted("special-3", "a ")},
        {R"(special-4=" ")", quoted("special-4", " ")},
        {"special-5=a,z", cookie("special-5", "a,z")},
        {R"(special-6=",z")", quoted("special-6", ",z")},
        {"special-7=a,", cookie("special-7", "a,")},
        {R"(special-8=",")", quoted("special-8", ",")},
        {R"(special-9 =",")", quoted("special-9", ",")},
        {R"(cookie="quoted")", quoted("cookie", "quoted")},
        {"", std::nullopt},
        {"equal-not-found", std::nullopt},
        {"=v1", std::nullopt},
        {"k1=\\", std::nullopt},
    };
    for (const auto& tc : cases) {
        SCOPED_TRACE(tc.line);
        auto got = parse_set_cookie(tc.line);
        ASSERT_EQ(got.has_value(), tc.want.has_value());
        if (got) {
            expect_cookie(*got, *tc.want);
        }
    }
}

// TestSetCookieDoubleQuotes: quotes are stripped from the value only, never from an attribute.
TEST(SetCookieParse, DoubleQuotedAttributeIsIgnored) {
    EXPECT_EQ(parse_set_cookie("quoted0=none; max-age=30")->max_age, 30);
    auto c1 = parse_set_cookie(R"(quoted1="cookieValue"; max-age=31)");
    EXPECT_EQ(c1->value, "cookieValue");
    EXPECT_TRUE(c1->quoted);
    EXPECT_EQ(c1->max_age, 31);
    EXPECT_EQ(parse_set_cookie(R"(quoted2=cookieAV; max-age="32")")->max_age, 0);
    auto c3 = parse_set_cookie(R"(quoted3="both"; max-age="33")");
    EXPECT_EQ(c3->value, "both");
    EXPECT_EQ(c3->max_age, 0);
}

TEST(SetCookieParse, MaxAgeForms) {
    const std::vector<std::pair<std::string, std::int64_t>> cases = {
        {"30", 30},
        {"0", -1},
        {"-5", -1},
        {"00", -1},
        {"+7", 7},
        {"-0", -1},
        {"05", 0},
        {"", 0},
        {"x", 0},
        {"1e3", 0},
        {"99999999999999999999", 0},
        {"9223372036854775807", 9223372036854775807},
    };
    for (const auto& [attr, want] : cases) {
        auto c = parse_set_cookie("a=b; Max-Age=" + attr);
        ASSERT_TRUE(c.has_value()) << attr;
        EXPECT_EQ(c->max_age, want) << attr;
    }
    // A later malformed Max-Age leaves the earlier one in place.
    EXPECT_EQ(parse_set_cookie("a=b; max-age=10; max-age=x")->max_age, 10);
}

TEST(SetCookieParse, ExpiresForms) {
    const std::vector<std::pair<std::string, std::optional<std::int64_t>>> cases = {
        {"Sun, 06 Nov 1994 08:49:37 GMT", 784111777},
        {"sun, 06 nov 1994 08:49:37 GMT", 784111777},   // names match case-insensitively
        {"Mon, 06 Nov 1994 08:49:37 UTC", 784111777},   // the weekday is not checked
        {"Sun, 06-Nov-1994 08:49:37 GMT", 784111777},   // the dashed variant
        {"Sun,  06  Nov 1994 08:49:37 PST", 784111777}, // runs of spaces; zone read as UTC
        {"Sun, 06 Nov 1994 8:49:37 GMT", 784111777},    // one-digit hour
        {"Sun, 06 Nov 1994 08:49:37.123 GMT", 784111777},
        {"Sun, 06 Nov 1994 08:49:37 GMT+1", 784111777}, // Go keeps the instant
        {"Tue, 29 Feb 2000 00:00:00 GMT", 951782400},
        {"Fri, 31 Dec 9999 23:59:59 GMT", 253402300799},
        {"Sun, 6 Nov 1994 08:49:37 GMT", std::nullopt},  // the day needs two digits
        {"Sun, 06 Nov 94 08:49:37 GMT", std::nullopt},   // and the year four
        {"Sun, 06 Nov 1994 08:49:37", std::nullopt},     // no zone
        {"Sun, 06 Nov 1994 08:49:37 gmt", std::nullopt}, // zones are upper case
        {"Sun, 06 Nov 1994 08:49:37 GMT x", std::nullopt},
        {"Thu, 29 Feb 2001 00:00:00 GMT", std::nullopt}, // day out of range
        {"Sun, 06 Nov 1994 24:00:00 GMT", std::nullopt},
        {"Sunday, 06-Nov-94 08:49:37 GMT", std::nullopt},
        {"Sun Nov  6 08:49:37 1994", std::nullopt},
    };
    for (const auto& [attr, want] : cases) {
        SCOPED_TRACE(attr);
        auto c = parse_set_cookie("a=b; Expires=" + attr);
        ASSERT_TRUE(c.has_value());
        EXPECT_EQ(c->expires_unix_s, want);
        EXPECT_EQ(c->raw_expires, attr);
    }
    EXPECT_EQ(parse_rfc1123_time("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    EXPECT_EQ(parse_rfc1123_time("Sun, 06-Nov-1994 08:49:37 GMT"), std::nullopt);
}

TEST(SetCookieParse, AttributesAndNames) {
    auto c = parse_set_cookie(" id=a3fWa ; Secure; HttpOnly; Partitioned; SameSite=lax;;"
                              " Path=/docs; Domain=Example.com; Unknown=1 ");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->name, "id");
    EXPECT_EQ(c->value, "a3fWa"); // the name=value part is trimmed
    EXPECT_TRUE(c->secure);
    EXPECT_TRUE(c->http_only);
    EXPECT_TRUE(c->partitioned);
    EXPECT_EQ(c->same_site, "Lax");
    EXPECT_EQ(c->path, "/docs");
    EXPECT_EQ(c->domain, "Example.com");
    // Attribute names are not trimmed before the '=', and values keep their spaces.
    auto spaced = parse_set_cookie("a=b; path =/x; domain= d.test");
    EXPECT_EQ(spaced->path, "");
    EXPECT_EQ(spaced->domain, " d.test");
    // Names must be tokens; values may not hold '"' inside, ';' (never reaches here), '\\' or CTLs.
    EXPECT_FALSE(parse_set_cookie("a b=c").has_value());
    EXPECT_FALSE(parse_set_cookie("\xc3\xa9=c").has_value());
    EXPECT_FALSE(parse_set_cookie("a=b\"c").has_value());
    EXPECT_FALSE(parse_set_cookie("a=\x01").has_value());
    EXPECT_FALSE(parse_set_cookie("a=\"").has_value()); // one quote is not a quoted value
    EXPECT_EQ(parse_set_cookie("a=").value().value, "");
    EXPECT_FALSE(parse_set_cookie("  ").has_value());
    EXPECT_FALSE(parse_set_cookie("; a=b").has_value());
}

} // namespace
} // namespace volley::net
