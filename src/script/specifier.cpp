#include "script/specifier.hpp"

#include <cctype>
#include <filesystem>

#include "net/go_url.hpp"

namespace volley::script {
namespace {

using Result = Resolved;

Result failed(std::string error) {
    return Resolved{"", std::move(error)};
}

Result named(std::string name) {
    return Resolved{std::move(name), ""};
}

bool starts_with(const std::string& s, const char* prefix) {
    return s.rfind(prefix, 0) == 0;
}

// Go's url.PathUnescape, for file:// URLs; invalid escapes are kept as written.
std::string path_unescape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() &&
            std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

// k6's Dir of a remote module as its errors print it: the URL of the folder, no trailing slash.
std::string remote_dir(const std::string& base) {
    auto u = net::parse_go_url(base);
    if (!u) {
        return base;
    }
    net::GoUrl dir = *u;
    dir.path = dir.path.substr(0, dir.path.rfind('/'));
    dir.raw_query.clear();
    dir.force_query = false;
    dir.has_fragment = false;
    return dir.string();
}

Result resolve_relative(const std::string& base, const std::string& spec) {
    if (is_remote_module(base)) {
        auto b = net::parse_go_url(base);
        auto r = net::parse_go_url(spec);
        if (!b) {
            return failed(b.error());
        }
        if (!r) {
            return failed(r.error());
        }
        net::GoUrl resolved = net::resolve_reference(*b, *r);
        resolved.has_fragment = false;
        return named(resolved.string());
    }
    std::filesystem::path p(spec);
    if (p.is_relative()) {
        p = std::filesystem::path(base).parent_path() / p;
    }
    return named(p.lexically_normal().string());
}

Result resolve_url(const std::string& base, const std::string& spec) {
    auto u = net::parse_go_url(spec);
    if (!u) {
        return failed(u.error());
    }
    if (u->scheme != "file" && u->scheme != "https") {
        return failed("only supported schemes for imports are file and https, " + spec + " has `" +
                      u->scheme + "`");
    }
    if (u->scheme == "file") {
        if (is_remote_module(base)) {
            return failed("origin (" + remote_dir(base) +
                          ") not allowed to load local file: " + spec);
        }
        return named(std::filesystem::path(path_unescape(u->path)).lexically_normal().string());
    }
    u->has_fragment = false;
    return named(u->string());
}

} // namespace

bool is_remote_module(const std::string& name) {
    return starts_with(name, "https://");
}

bool is_builtin_module(const std::string& name) {
    return name == "k6" || starts_with(name, "k6/");
}

Result resolve_specifier(const std::string& base, const std::string& spec) {
    if (spec.empty()) {
        return failed("local or remote path required");
    }
    if (is_builtin_module(spec)) {
        return named(spec);
    }
    if (spec[0] == '.' || spec[0] == '/') {
        return resolve_relative(base, spec);
    }
    if (spec.find("://") != std::string::npos) {
        return resolve_url(base, spec);
    }
    if (starts_with(spec, "cdnjs.com")) {
        return failed(
            "cdnjs.com 'special' urls are no longer supported - please use real ones. You can get "
            "yours by going to cdnjs and copy-pasting the full url to the actual JavaScript file");
    }
    if (starts_with(spec, "github.com")) {
        return failed(
            "github.com 'special' urls are no longer supported - please use real ones. You can get "
            "yours by going to github and copy-pasting the full url to the actual raw JavaScript "
            "file");
    }
    return failed("The moduleSpecifier \"" + spec +
                  "\" couldn't be recognised as something k6 supports.");
}

} // namespace volley::script
