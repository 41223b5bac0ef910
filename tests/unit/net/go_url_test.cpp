// Go's net/url: Parse, URL.String(), RequestURI() and ResolveReference() (net/go_url.hpp), with
// cases from Go's url_test.go.

#include <string>

#include <gtest/gtest.h>

#include "net/go_url.hpp"

namespace volley::net {
namespace {

GoUrl parse(const std::string& raw) {
    auto u = parse_go_url(raw);
    EXPECT_TRUE(u) << raw << ": " << (u ? "" : u.error());
    return u ? *u : GoUrl{};
}

std::string error_of(const std::string& raw) {
    auto u = parse_go_url(raw);
    return u ? "no error" : u.error();
}

TEST(GoUrl, ParsesTheParts) {
    GoUrl u = parse("http://user:pass@Example.com:8080/a%20b/c?x=1&y#frag");
    EXPECT_EQ(u.scheme, "http");
    EXPECT_TRUE(u.has_user);
    EXPECT_EQ(u.user, "user:pass");
    EXPECT_EQ(u.host, "Example.com:8080");
    EXPECT_EQ(u.hostname, "Example.com");
    EXPECT_EQ(u.port, "8080");
    EXPECT_EQ(u.path, "/a%20b/c");
    EXPECT_EQ(u.raw_query, "x=1&y");
    EXPECT_EQ(u.fragment, "frag");
    EXPECT_EQ(u.request_uri(), "/a%20b/c?x=1&y");
    GoUrl v6 = parse("https://[::1]:443");
    EXPECT_EQ(v6.hostname, "::1");
    EXPECT_EQ(v6.request_uri(), "/");
}

TEST(GoUrl, StringsAsGoDoes) {
    for (const char* raw :
         {"http://www.google.com", "http://www.google.com/", "http://a/b?q", "http://a/b?",
          "http://user@a/", "mailto:x@y.com", "/rel/x?y", "http://a/b c", "HTTP://a/"}) {
        GoUrl u = parse(raw);
        std::string want = raw;
        if (want == "http://a/b c") {
            want = "http://a/b%20c";
        } else if (want == "HTTP://a/") {
            want = "http://a/";
        }
        EXPECT_EQ(u.string(), want) << raw;
    }
}

TEST(GoUrl, ErrorsAreGos) {
    EXPECT_EQ(error_of("://x"), "parse \"://x\": missing protocol scheme");
    EXPECT_EQ(error_of("http://a b/"),
              "parse \"http://a b/\": invalid character \" \" in host name");
    EXPECT_EQ(error_of("http://a:x/"), "parse \"http://a:x/\": invalid port \":x\" after host");
    EXPECT_EQ(error_of("http://a/%zz"), "parse \"http://a/%zz\": invalid URL escape \"%zz\"");
    EXPECT_EQ(error_of("http://a/\x01"),
              "parse \"http://a/\\x01\": net/url: invalid control character in URL");
}

// Go's resolveReferenceTests (RFC 3986 §5.4 and Go's own).
TEST(GoUrl, ResolvesReferencesLikeGo) {
    struct Case {
        const char* base;
        const char* ref;
        const char* want;
    };
    const Case cases[] = {
        {"http://foo.com?a=b", "https://bar.com/", "https://bar.com/"},
        {"http://foo.com/", "https://bar.com/?a=b", "https://bar.com/?a=b"},
        {"http://foo.com/bar", "mailto:foo@example.com", "mailto:foo@example.com"},
        {"http://foo.com/bar", "/baz", "http://foo.com/baz"},
        {"http://foo.com/bar?a=b#f", "/baz", "http://foo.com/baz"},
        {"http://foo.com/bar?a=b", "/baz?c=d", "http://foo.com/baz?c=d"},
        {"http://foo.com/bar/", "baz", "http://foo.com/bar/baz"},
        {"http://foo.com/bar", "baz", "http://foo.com/baz"},
        {"http://foo.com/a/b/c", "../d", "http://foo.com/a/d"},
        {"http://foo.com/a/b/c", "./d", "http://foo.com/a/b/d"},
        {"http://foo.com/a/b/c", "../../../../d", "http://foo.com/d"},
        {"http://foo.com/a/b/c", ".", "http://foo.com/a/b/"},
        {"http://foo.com/a/b/c", "..", "http://foo.com/a/"},
        {"http://foo.com/bar", "//baz.com/x", "http://baz.com/x"},
        {"http://foo.com/bar?q", "", "http://foo.com/bar?q"},
        {"http://foo.com/bar?q", "?x", "http://foo.com/bar?x"},
        {"http://foo.com/bar", "#frag", "http://foo.com/bar#frag"},
        {"http://a/b/c/d;p?q", "g;x?y#s", "http://a/b/c/g;x?y#s"},
        {"http://a/b/c/d;p?q", "../../g", "http://a/g"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(resolve_reference(parse(c.base), parse(c.ref)).string(), c.want)
            << c.base << " + " << c.ref;
    }
}

} // namespace
} // namespace volley::net
