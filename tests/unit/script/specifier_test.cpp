// k6's specifier resolution (internal/loader/loader.go Resolve) and the module cache's layout.

#include <gtest/gtest.h>

#include "script/module_cache.hpp"
#include "script/specifier.hpp"

namespace volley::script {
namespace {

struct Case {
    const char* base;
    const char* specifier;
    const char* name;  // expected module name, or "" when an error is expected
    const char* error; // a part of the expected error
};

TEST(Specifier, ResolvesAsK6Does) {
    const Case cases[] = {
        {"/s/main.js", "k6", "k6", ""},
        {"/s/main.js", "k6/x/foo", "k6/x/foo", ""},
        {"/s/main.js", "./lib.js", "/s/lib.js", ""},
        {"/s/main.js", "../up/lib.js", "/up/lib.js", ""},
        {"/s/main.js", "/abs/lib.js", "/abs/lib.js", ""},
        {"/s/main.js", "file:///abs/x%20y.js", "/abs/x y.js", ""},
        {"/s/main.js", "https://h.io/a/b.js", "https://h.io/a/b.js", ""},
        {"/s/main.js", "https://h.io/a/b.js#frag", "https://h.io/a/b.js", ""},
        {"https://h.io/a/b/c.js", "./d.js", "https://h.io/a/b/d.js", ""},
        {"https://h.io/a/b/c.js", "../d.js", "https://h.io/a/d.js", ""},
        {"https://h.io/a/b/c.js", "/root.js", "https://h.io/root.js", ""},
        {"https://h.io/a/b/c.js", "./d.js?v=2", "https://h.io/a/b/d.js?v=2", ""},
        {"https://h.io/redirect?to=/x", "./w.js", "https://h.io/w.js", ""},
        {"https://h.io:8443/a/c.js", "k6/http", "k6/http", ""},
        {"/s/main.js", "", "", "local or remote path required"},
        {"/s/main.js", "http://h.io/x.js", "",
         "only supported schemes for imports are file and https, http://h.io/x.js has `http`"},
        {"https://h.io/lib/a.js", "file:///etc/x.js", "",
         "origin (https://h.io/lib) not allowed to load local file: file:///etc/x.js"},
        {"/s/main.js", "lodash", "",
         "The moduleSpecifier \"lodash\" couldn't be recognised as something k6 supports."},
        {"/s/main.js", "github.com/a/b", "", "github.com 'special' urls are no longer supported"},
        {"/s/main.js", "cdnjs.com/x", "", "cdnjs.com 'special' urls are no longer supported"},
        {"/s/main.js", "https://h.io/%zz", "", "invalid URL escape"},
    };
    for (const auto& c : cases) {
        Resolved r = resolve_specifier(c.base, c.specifier);
        EXPECT_EQ(r.name, c.name) << c.base << " + " << c.specifier;
        if (*c.error == '\0') {
            EXPECT_TRUE(r.ok()) << c.specifier << ": " << r.error;
        } else {
            EXPECT_NE(r.error.find(c.error), std::string::npos) << c.specifier << ": " << r.error;
        }
    }
}

TEST(Specifier, Kinds) {
    EXPECT_TRUE(is_remote_module("https://h/x.js"));
    EXPECT_FALSE(is_remote_module("/x.js"));
    EXPECT_TRUE(is_builtin_module("k6"));
    EXPECT_TRUE(is_builtin_module("k6/ws"));
    EXPECT_FALSE(is_builtin_module("k6x"));
}

TEST(ModuleCache, PathsAreK6sArchiveLayout) {
    EXPECT_EQ(remote_module_path("https://jslib.k6.io/k6-utils/1.4.0/index.js"),
              "https/jslib.k6.io/k6-utils/1.4.0/index.js");
    EXPECT_EQ(remote_module_path("https://127.0.0.1:8443/a.js?v=1#f"),
              "https/127.0.0.1:8443/a.js?v=1");
    EXPECT_EQ(remote_module_path("https://h/a/../../etc/passwd"), "");
    EXPECT_EQ(remote_module_path("/local.js"), "");
    EXPECT_EQ(remote_module_path("https://h"), "");
}

} // namespace
} // namespace volley::script
