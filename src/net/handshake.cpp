#include "net/handshake.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include <boost/beast/core/detail/sha1.hpp>
#include <openssl/evp.h>

#include "net/frame.hpp"
#include "net/headers.hpp"
#include "net/ws_error_code.hpp"
#include "util/ascii.hpp"

namespace volley::net {
namespace beast = boost::beast;
namespace {

std::string base64(const unsigned char* data, std::size_t n) {
    std::string out(4 * ((n + 2) / 3), '\0');
    int len =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
    out.resize(static_cast<std::size_t>(len));
    return out;
}

// gorilla's tokenListContainsValue over every value of a header.
bool token_list_contains(std::string_view list, std::string_view token) {
    while (!list.empty()) {
        auto comma = list.find(',');
        if (iequals(trim_ows(list.substr(0, comma)), token)) {
            return true;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        list.remove_prefix(comma + 1);
    }
    return false;
}

bool is_forbidden(std::string_view canonical) {
    return canonical == "Upgrade" || canonical == "Connection" ||
           canonical == "Sec-Websocket-Key" || canonical == "Sec-Websocket-Version" ||
           canonical == "Sec-Websocket-Extensions";
}

using HeaderView = std::pair<std::string_view, std::string_view>;

// The request headers after Go's Header.Set semantics and gorilla's special cases; views into
// the spec, the URL and `user`.
struct RequestHeaders {
    std::string_view host;
    std::string_view user_agent;
    std::vector<HeaderView> sorted; // everything else
};

// The script's headers with canonical names, a later value replacing an earlier one.
Headers user_headers(const RequestSpec& spec) {
    Headers user;
    if (spec.headers == nullptr) {
        return user;
    }
    for (const auto& [name, value] : *spec.headers) {
        set_header(user, name, value); // Header.Set: a later value replaces the earlier one
    }
    return user;
}

boost::system::result<RequestHeaders, std::string>
collect_headers(const WsUrl& url, const RequestSpec& spec, const Headers& user) {
    RequestHeaders h{url.host_header, spec.user_agent, {}};
    h.sorted.reserve(5 + user.size());
    h.sorted = {{"Upgrade", "websocket"},
                {"Connection", "Upgrade"},
                {"Sec-WebSocket-Key", spec.key},
                {"Sec-WebSocket-Version", "13"}};
    if (spec.compression) {
        h.sorted.emplace_back("Sec-WebSocket-Extensions",
                              "permessage-deflate; server_no_context_takeover; "
                              "client_no_context_takeover");
    }
    for (const auto& [key, value] : user) {
        if (is_forbidden(key)) {
            return {boost::system::in_place_error,
                    "websocket: duplicate header not allowed: " + key};
        }
        if (key == "Host") {
            h.host = value;
        } else if (key == "User-Agent") {
            h.user_agent = value;
        } else if (key == "Sec-Websocket-Protocol") {
            h.sorted.emplace_back("Sec-WebSocket-Protocol", value);
        } else {
            h.sorted.emplace_back(key, value);
        }
    }
    std::stable_sort(h.sorted.begin(), h.sorted.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    return h;
}

} // namespace

boost::system::result<std::string, std::string> build_request(const WsUrl& url,
                                                              const RequestSpec& spec) {
    Headers user = user_headers(spec);
    auto headers = collect_headers(url, spec, user);
    if (!headers) {
        return {boost::system::in_place_error, headers.error()};
    }
    std::string req;
    req.reserve(256);
    req += "GET ";
    req += url.target;
    req += " HTTP/1.1\r\n";
    append_header(req, "Host", headers->host);
    if (!headers->user_agent.empty()) {
        append_header(req, "User-Agent", headers->user_agent);
    }
    for (const auto& [name, value] : headers->sorted) {
        append_header(req, name, value);
    }
    req += "\r\n";
    return {boost::system::in_place_value, std::move(req)};
}

std::string make_key() {
    unsigned char raw[16];
    std::uint64_t a = random_u64();
    std::uint64_t b = random_u64();
    std::memcpy(raw, &a, sizeof a);
    std::memcpy(raw + sizeof a, &b, sizeof b);
    return base64(raw, sizeof raw);
}

std::string accept_for_key(std::string_view key) {
    static constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    beast::detail::sha1_context ctx;
    beast::detail::init(ctx);
    beast::detail::update(ctx, key.data(), key.size());
    beast::detail::update(ctx, kGuid.data(), kGuid.size());
    unsigned char digest[beast::detail::sha1_context::digest_size];
    beast::detail::finish(ctx, digest);
    return base64(digest, sizeof digest);
}

namespace {

// Looks for a permessage-deflate offer in Sec-Websocket-Extensions. Returns 0 if absent, 1 if
// present with both no_context_takeover parameters, -1 if present without them.
int deflate_answer(std::string_view extensions) {
    while (!extensions.empty()) {
        auto comma = extensions.find(',');
        std::string_view ext = extensions.substr(0, comma);
        extensions =
            comma == std::string_view::npos ? std::string_view() : extensions.substr(comma + 1);
        auto semi = ext.find(';');
        if (!iequals(trim_ows(ext.substr(0, semi)), "permessage-deflate")) {
            continue;
        }
        bool snct = false;
        bool cnct = false;
        while (semi != std::string_view::npos) {
            ext.remove_prefix(semi + 1);
            semi = ext.find(';');
            std::string_view param = trim_ows(ext.substr(0, semi));
            param = trim_ows(param.substr(0, param.find('=')));
            snct = snct || iequals(param, "server_no_context_takeover");
            cnct = cnct || iequals(param, "client_no_context_takeover");
        }
        return snct && cnct ? 1 : -1;
    }
    return 0;
}

} // namespace

ResponseCheck check_response(int status, const Headers& headers, std::string_view key,
                             bool compression_offered) {
    ResponseCheck check;
    if (status != 101) {
        check.error_code = ws_error::of_status(status);
    } else if (!token_list_contains(header_value(headers, "Upgrade"), "websocket") ||
               !token_list_contains(header_value(headers, "Connection"), "upgrade")) {
        check.error_code = ws_error::kBadUpgradeHeaders;
    } else if (header_value(headers, "Sec-Websocket-Accept") != accept_for_key(key)) {
        check.error_code = ws_error::kBadAccept;
    }
    if (check.error_code != 0) {
        check.error = "websocket: bad handshake";
        return check;
    }
    if (compression_offered) {
        int answer = deflate_answer(header_value(headers, "Sec-Websocket-Extensions"));
        if (answer < 0) {
            check.error = "websocket: invalid compression negotiation";
            check.error_code = ws_error::kBadCompression;
            return check;
        }
        check.compression = answer > 0;
    }
    check.subprotocol = std::string(header_value(headers, "Sec-Websocket-Protocol"));
    check.ok = true;
    return check;
}

} // namespace volley::net
