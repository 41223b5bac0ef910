#include "net/go_url.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include <fmt/format.h>

#include "util/go_quote.hpp"

namespace volley::net {
namespace {

// Go's url.parse pieces, in the order Go applies them. A step fails with Go's message; parse()
// wraps it as `parse "<url>": <message>`.
using Step = boost::system::result<void, std::string>;

bool is_ctl(char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
}

bool is_hex(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

int unhex(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    return std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
}

bool is_unreserved(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.' ||
           c == '~';
}

// Go's shouldEscape(c, encodeHost) for ASCII.
bool host_should_escape(char c) {
    if (is_unreserved(c)) {
        return false;
    }
    return std::string_view("!$&'()*+,;=:[]<>\"").find(c) == std::string_view::npos;
}

// Go's shouldEscape(c, encodePath).
bool path_should_escape(char c) {
    if (is_unreserved(c)) {
        return false;
    }
    return std::string_view("$&+,/:;=@").find(c) == std::string_view::npos;
}

// Go's unescape() validation for encodePath / encodeHost (the decoded value is not needed).
Step check_escapes(std::string_view s, bool host) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) {
                std::string_view bad = s.substr(i, std::min<std::size_t>(3, s.size() - i));
                return fmt::format("invalid URL escape {}", go_quote(bad));
            }
            if (host && unhex(s[i + 1]) < 8 && s.substr(i, 3) != "%25") {
                return fmt::format("invalid URL escape {}", go_quote(s.substr(i, 3)));
            }
            i += 2;
        } else if (host && static_cast<unsigned char>(c) < 0x80 && host_should_escape(c)) {
            return fmt::format("invalid character {} in host name",
                               go_quote(std::string_view(&c, 1)));
        }
    }
    return {};
}

bool valid_optional_port(std::string_view port) {
    if (port.empty()) {
        return true;
    }
    if (port[0] != ':') {
        return false;
    }
    return std::all_of(port.begin() + 1, port.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct Parts {
    std::string scheme;
    std::string_view user; // user info before '@'
    std::string_view host; // authority without user info
    bool has_user = false;
    std::string_view path; // the path, or the opaque part when `opaque`
    std::string_view query;
    bool force_query = false;
    bool opaque = false;
};

// Go's getScheme.
Step get_scheme(std::string_view raw, Parts& p, std::string_view& rest) {
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (std::isalpha(static_cast<unsigned char>(c)) != 0) {
            continue;
        }
        if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
            if (i == 0) {
                break;
            }
            continue;
        }
        if (c == ':') {
            if (i == 0) {
                return std::string("missing protocol scheme");
            }
            p.scheme.assign(raw.substr(0, i));
            std::transform(p.scheme.begin(), p.scheme.end(), p.scheme.begin(),
                           [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
            rest = raw.substr(i + 1);
            return {};
        }
        break;
    }
    rest = raw;
    return {};
}

// Go's parseHost: port syntax and host characters.
Step parse_host(std::string_view host) {
    if (!host.empty() && host[0] == '[') {
        auto close = host.rfind(']');
        if (close == std::string_view::npos) {
            return std::string("missing ']' in host");
        }
        auto colon_port = host.substr(close + 1);
        if (!valid_optional_port(colon_port)) {
            return fmt::format("invalid port {} after host", go_quote(colon_port));
        }
    } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
        auto colon_port = host.substr(colon);
        if (!valid_optional_port(colon_port)) {
            return fmt::format("invalid port {} after host", go_quote(colon_port));
        }
    }
    return check_escapes(host, true);
}

Step parse_authority(std::string_view authority, Parts& p) {
    auto at = authority.rfind('@');
    p.has_user = at != std::string_view::npos;
    p.user = p.has_user ? authority.substr(0, at) : std::string_view();
    p.host = p.has_user ? authority.substr(at + 1) : authority;
    return parse_host(p.host);
}

// Go's url.parse(rawURL, viaRequest=false), fragment already removed.
Step go_parse(std::string_view raw, Parts& p) {
    if (std::any_of(raw.begin(), raw.end(), is_ctl)) {
        return std::string("net/url: invalid control character in URL");
    }
    std::string_view rest;
    if (auto r = get_scheme(raw, p, rest); !r) {
        return r;
    }
    if (!rest.empty() && rest.back() == '?' && std::count(rest.begin(), rest.end(), '?') == 1) {
        p.force_query = true;
        rest.remove_suffix(1);
    } else if (auto q = rest.find('?'); q != std::string_view::npos) {
        p.query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    if (rest.empty() || rest[0] != '/') {
        if (!p.scheme.empty()) {
            p.opaque = true;
            p.path = rest;
            return {};
        }
        if (rest.substr(0, rest.find('/')).find(':') != std::string_view::npos) {
            return std::string("first path segment in URL cannot contain colon");
        }
    }
    if (rest.substr(0, 2) == "//" && (!p.scheme.empty() || rest.substr(0, 3) != "///")) {
        auto authority = rest.substr(2);
        auto slash = authority.find('/');
        rest = slash == std::string_view::npos ? std::string_view() : authority.substr(slash);
        authority = authority.substr(0, slash);
        if (auto r = parse_authority(authority, p); !r) {
            return r;
        }
    }
    p.path = rest;
    return check_escapes(rest, false);
}

// Go's EscapedPath for a path that passed check_escapes: characters Go's validEncoded accepts
// stay as written (including %XX), anything else is percent-encoded.
std::string escaped_path(std::string_view path) {
    std::string out;
    out.reserve(path.size());
    for (char c : path) {
        bool keep = std::string_view("!$&'()*+,;=:@[]%").find(c) != std::string_view::npos ||
                    (static_cast<unsigned char>(c) < 0x80 && !path_should_escape(c));
        if (keep) {
            out += c;
        } else {
            out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
        }
    }
    return out;
}

// Splits Go's u.Host into host name (brackets removed) and port text (may be empty).
void split_host_port(std::string_view host, std::string_view& name, std::string_view& port) {
    auto colon = host.rfind(':');
    auto bracket = host.rfind(']');
    bool has_port =
        colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket);
    name = has_port ? host.substr(0, colon) : host;
    port = has_port ? host.substr(colon + 1) : std::string_view();
    if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
        name = name.substr(1, name.size() - 2);
    }
}

GoUrl from_parts(const Parts& p) {
    GoUrl u;
    u.scheme = p.scheme;
    u.opaque = p.opaque;
    u.has_user = p.has_user;
    u.user.assign(p.user);
    u.host.assign(p.host);
    std::string_view name;
    std::string_view port;
    split_host_port(p.host, name, port);
    u.hostname.assign(name);
    u.port.assign(port);
    u.path = p.opaque ? std::string(p.path) : escaped_path(p.path);
    u.raw_query.assign(p.query);
    u.force_query = p.force_query;
    return u;
}

// Go's resolvePath: merges a relative path with its base and removes dot segments.
std::string resolve_path(std::string_view base, std::string_view ref) {
    std::string full;
    if (ref.empty()) {
        full.assign(base);
    } else if (ref.front() != '/') {
        auto slash = base.rfind('/');
        full.assign(base.substr(0, slash == std::string_view::npos ? 0 : slash + 1));
        full.append(ref);
    } else {
        full.assign(ref);
    }
    if (full.empty()) {
        return "";
    }
    std::vector<std::string_view> out;
    std::string_view rest(full);
    std::string_view elem;
    bool more = true;
    while (more) {
        auto slash = rest.find('/');
        more = slash != std::string_view::npos;
        elem = rest.substr(0, slash);
        rest = more ? rest.substr(slash + 1) : std::string_view();
        if (elem == ".") {
            continue;
        }
        if (elem == "..") {
            if (out.size() > 1) {
                out.pop_back();
            }
            continue;
        }
        out.push_back(elem);
    }
    std::string joined;
    for (std::size_t i = 0; i < out.size(); ++i) {
        joined += i == 0 ? "" : "/";
        joined.append(out[i]);
    }
    if (elem == "." || elem == "..") {
        joined += '/'; // a path ending in a dot segment keeps its trailing slash
    }
    if (joined.empty() || joined.front() != '/') {
        joined.insert(joined.begin(), '/');
    }
    return joined;
}

} // namespace

std::string GoUrl::request_uri() const {
    std::string out = opaque ? path : (path.empty() ? "/" : path);
    if (force_query || !raw_query.empty()) {
        out += '?';
        out += raw_query;
    }
    return out;
}

std::string GoUrl::string() const {
    std::string out;
    if (!scheme.empty()) {
        out += scheme;
        out += ':';
    }
    if (opaque) {
        out += path;
    } else {
        if (!scheme.empty() || !host.empty() || has_user) {
            if (!host.empty() || !path.empty() || has_user) {
                out += "//";
            }
            if (has_user) {
                out += user;
                out += '@';
            }
            out += host;
        }
        if (!path.empty() && path.front() != '/' && !host.empty()) {
            out += '/';
        }
        out += path;
    }
    if (force_query || !raw_query.empty()) {
        out += '?';
        out += raw_query;
    }
    if (has_fragment) {
        out += '#';
        out += fragment;
    }
    return out;
}

GoUrlResult parse_go_url(std::string_view raw) {
    auto hash = raw.find('#');
    std::string_view without_fragment = raw.substr(0, hash);
    Parts parts;
    if (auto r = go_parse(without_fragment, parts); !r) {
        return {boost::system::in_place_error,
                fmt::format("parse {}: {}", go_quote(without_fragment), r.error())};
    }
    GoUrl url = from_parts(parts);
    if (hash != std::string_view::npos) {
        std::string_view frag = raw.substr(hash + 1);
        if (auto r = check_escapes(frag, false); !r) {
            return {boost::system::in_place_error,
                    fmt::format("parse {}: {}", go_quote(raw), r.error())};
        }
        url.has_fragment = true;
        url.fragment.assign(frag);
    }
    return url;
}

GoUrl resolve_reference(const GoUrl& base, const GoUrl& ref) {
    GoUrl url = ref;
    if (ref.scheme.empty()) {
        url.scheme = base.scheme;
    }
    if (ref.opaque) {
        return url;
    }
    if (!ref.scheme.empty() || !ref.host.empty() || ref.has_user) {
        url.path = resolve_path(ref.path, "");
        return url;
    }
    url.has_user = base.has_user;
    url.user = base.user;
    url.host = base.host;
    url.hostname = base.hostname;
    url.port = base.port;
    if (ref.path.empty() && !ref.force_query && ref.raw_query.empty()) {
        url.raw_query = base.raw_query;
        url.force_query = base.force_query;
        if (!ref.has_fragment) {
            url.has_fragment = base.has_fragment;
            url.fragment = base.fragment;
        }
    }
    url.path = resolve_path(base.path, ref.path);
    return url;
}

} // namespace volley::net
