#include "net/headers.hpp"

#include <algorithm>
#include <cctype>

namespace volley::net {
namespace {

bool is_token_byte(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

} // namespace

std::string canonical_header_key(std::string_view name) {
    if (!std::all_of(name.begin(), name.end(), is_token_byte)) {
        return std::string(name);
    }
    std::string out(name);
    bool upper = true;
    for (char& c : out) {
        if (upper && c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        } else if (!upper && c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
        upper = c == '-';
    }
    return out;
}

bool valid_header_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), is_token_byte);
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
    out += name;
    out += ": ";
    std::size_t at = out.size();
    out += value;
    std::replace_if(
        out.begin() + static_cast<std::ptrdiff_t>(at), out.end(),
        [](char c) { return c == '\r' || c == '\n'; }, ' ');
    out += "\r\n";
}

void set_header(Headers& headers, std::string_view name, std::string value) {
    std::string key = canonical_header_key(name);
    auto it =
        std::find_if(headers.begin(), headers.end(), [&](const auto& p) { return p.first == key; });
    if (it != headers.end()) {
        it->second = std::move(value);
    } else {
        headers.emplace_back(std::move(key), std::move(value));
    }
}

void remove_header(Headers& headers, std::string_view name) {
    std::string key = canonical_header_key(name);
    std::erase_if(headers, [&](const auto& p) { return p.first == key; });
}

Headers canonical_response_headers(const Headers& raw) {
    Headers out;
    for (const auto& [name, value] : raw) {
        std::string key = canonical_header_key(name);
        auto it =
            std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == key; });
        if (it == out.end()) {
            out.emplace_back(std::move(key), value);
        } else {
            it->second += ", ";
            it->second += value;
        }
    }
    return out;
}

std::string_view header_value(const Headers& headers, std::string_view name) {
    for (const auto& [key, value] : headers) {
        if (key == name) {
            return value;
        }
    }
    return {};
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

} // namespace volley::net
