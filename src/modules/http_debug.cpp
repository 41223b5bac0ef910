#include "modules/http_debug.hpp"

#include <algorithm>
#include <map>

#include "modules/digest.hpp"
#include "util/log.hpp"

namespace volley::modules::http {
namespace {

// Go's dumps end lines with CRLF; k6 logs them with LF.
std::string lf_lines(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;
        }
        out += text[i];
    }
    return out;
}

} // namespace

std::string request_dump(const net::HttpRequest& wire, bool keep_alive, bool full) {
    std::string bytes = net::serialize_request(wire, keep_alive);
    if (!full) {
        auto end = bytes.find("\r\n\r\n");
        bytes.resize(end == std::string::npos ? bytes.size() : end + 4);
    }
    return lf_lines(bytes);
}

std::string response_dump(const net::HttpResponse& r, bool full) {
    std::string out = r.proto + " " + r.status_text + "\n";
    std::vector<std::pair<std::string, std::string>> headers;
    for (const auto& [name, value] : r.headers) {
        if (name == "Content-Length" || name == "Transfer-Encoding") {
            out += name + ": " + value + "\n"; // Go's transfer writer goes first
        } else {
            headers.emplace_back(name, value);
        }
    }
    for (const auto& cookie : r.set_cookies) {
        headers.emplace_back("Set-Cookie", cookie);
    }
    std::stable_sort(headers.begin(), headers.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [name, value] : headers) {
        out += name + ": " + value + "\n";
    }
    out += "\n";
    if (full) {
        out += r.body;
    }
    return out;
}

HttpDebugLog::HttpDebugLog(VuApi& vu, const ParsedRequest& req)
    : vu_(vu), req_(req), on_(!vu.settings().http_debug.empty()),
      full_(vu.settings().http_debug == "full") {}

void HttpDebugLog::request(const net::HttpRequest& wire, bool keep_alive) {
    if (on_) {
        id_ = random_uuid(); // one per round trip, as k6's transport wrapper
        write("Request", request_dump(wire, keep_alive, full_));
    }
}

void HttpDebugLog::response(const net::HttpResponse& r) {
    if (on_ && r.status != 0) {
        write("Response", response_dump(r, full_));
    }
}

void HttpDebugLog::write(const std::string& what, const std::string& dump) {
    std::map<std::string, std::string> fields{{"source", "http-debug"},
                                              {"vu", std::to_string(vu_.id())},
                                              {"iter", std::to_string(vu_.iteration())},
                                              {"request_id", id_}};
    for (const metrics::TagMap* tags : {&req_.tags, &vu_.tags()}) {
        for (const auto& [k, v] : *tags) {
            fields.emplace(k, v); // the first wins: k6's fields, then the request's tags
        }
    }
    log::write(log::Level::kInfo, what + ":\n" + dump + "\n",
               log::Fields(fields.begin(), fields.end()));
}

} // namespace volley::modules::http
