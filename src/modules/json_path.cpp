#include "modules/json_path.hpp"

#include <cctype>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "util/go_quote.hpp"

namespace volley::modules {
namespace {

// A recursive-descent check with the texts of Go's encoding/json scanner.
class Checker {
public:
    explicit Checker(std::string_view s) : s_(s) {}

    // Empty on success, else Go's message; `offset` is Go's SyntaxError.Offset.
    std::string run(std::size_t& offset) {
        if (value("looking for beginning of value")) {
            skip_ws();
            if (i_ < s_.size()) {
                fail("after top-level value");
            }
        }
        offset = offset_;
        return error_;
    }

private:
    void skip_ws() {
        while (i_ < s_.size() &&
               (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) {
            ++i_;
        }
    }
    bool eof() {
        if (i_ < s_.size()) {
            return false;
        }
        if (error_.empty()) {
            error_ = "unexpected end of JSON input";
            offset_ = s_.size();
        }
        return true;
    }
    bool fail(std::string_view context) {
        if (error_.empty()) {
            error_ = fmt::format("invalid character {} {}", quote_char(s_[i_]), context);
            offset_ = i_ + 1;
        }
        return false;
    }
    static std::string quote_char(char c) {
        if (c == '\'') {
            return "'\\''";
        }
        if (c == '"') {
            return "'\"'";
        }
        std::string q = go_quote(std::string_view(&c, 1));
        return "'" + q.substr(1, q.size() - 2) + "'";
    }
    bool value(std::string_view context) {
        skip_ws();
        if (eof()) {
            return false;
        }
        char c = s_[i_];
        if (c == '{') {
            return object();
        }
        if (c == '[') {
            return array();
        }
        if (c == '"') {
            return string();
        }
        if (c == '-' || std::isdigit(static_cast<unsigned char>(c)) != 0) {
            return number();
        }
        if (c == 't' || c == 'f' || c == 'n') {
            return literal(c == 't' ? "true" : c == 'f' ? "false" : "null");
        }
        return fail(context);
    }
    bool object() {
        ++i_;
        skip_ws();
        if (eof()) {
            return false;
        }
        if (s_[i_] == '}') {
            ++i_;
            return true;
        }
        for (;;) {
            skip_ws();
            if (eof()) {
                return false;
            }
            if (s_[i_] != '"') {
                return fail("looking for beginning of object key string");
            }
            if (!string()) {
                return false;
            }
            skip_ws();
            if (eof()) {
                return false;
            }
            if (s_[i_] != ':') {
                return fail("after object key");
            }
            ++i_;
            if (!value("looking for beginning of value")) {
                return false;
            }
            skip_ws();
            if (eof()) {
                return false;
            }
            if (s_[i_] == '}') {
                ++i_;
                return true;
            }
            if (s_[i_] != ',') {
                return fail("after object key:value pair");
            }
            ++i_;
        }
    }
    bool array() {
        ++i_;
        skip_ws();
        if (eof()) {
            return false;
        }
        if (s_[i_] == ']') {
            ++i_;
            return true;
        }
        for (;;) {
            if (!value("looking for beginning of value")) {
                return false;
            }
            skip_ws();
            if (eof()) {
                return false;
            }
            if (s_[i_] == ']') {
                ++i_;
                return true;
            }
            if (s_[i_] != ',') {
                return fail("after array element");
            }
            ++i_;
        }
    }
    bool string() {
        ++i_;
        for (;;) {
            if (eof()) {
                return false;
            }
            char c = s_[i_];
            if (c == '"') {
                ++i_;
                return true;
            }
            if (static_cast<unsigned char>(c) < 0x20) {
                return fail("in string literal");
            }
            if (c == '\\') {
                ++i_;
                if (eof()) {
                    return false;
                }
                if (std::string_view("\"\\/bfnrtu").find(s_[i_]) == std::string_view::npos) {
                    return fail("in string escape code");
                }
                if (s_[i_] == 'u') {
                    for (int k = 0; k < 4; ++k) {
                        ++i_;
                        if (eof()) {
                            return false;
                        }
                        if (std::isxdigit(static_cast<unsigned char>(s_[i_])) == 0) {
                            return fail("in \\u hexadecimal character escape");
                        }
                    }
                }
            }
            ++i_;
        }
    }
    bool digits(bool required) {
        std::size_t start = i_;
        while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_])) != 0) {
            ++i_;
        }
        if (i_ == start && required) {
            return eof() ? false : fail("in numeric literal");
        }
        return true;
    }
    bool number() {
        if (s_[i_] == '-') {
            ++i_;
            if (eof()) {
                return false;
            }
            if (std::isdigit(static_cast<unsigned char>(s_[i_])) == 0) {
                return fail("in numeric literal");
            }
        }
        if (s_[i_] == '0') {
            ++i_;
        } else if (!digits(true)) {
            return false;
        }
        if (i_ < s_.size() && s_[i_] == '.') {
            ++i_;
            if (!digits(true)) {
                return false;
            }
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) {
                ++i_;
            }
            if (!digits(true)) {
                return false;
            }
        }
        return true;
    }
    bool literal(std::string_view word) {
        for (std::size_t k = 0; k < word.size(); ++k, ++i_) {
            if (eof()) {
                return false;
            }
            if (s_[i_] != word[k]) {
                return fail(fmt::format("in literal {} (expecting '{}')", word, word[k]));
            }
        }
        return true;
    }

    std::string_view s_;
    std::size_t i_ = 0;
    std::string error_;
    std::size_t offset_ = 0;
};

// k6's checkErrorInJSON: 1-based line and character of Go's offset.
std::pair<int, int> position(std::string_view s, std::size_t offset) {
    int line = 1;
    int character = 0;
    if (offset > 0) {
        --offset;
    }
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : 4;
        if (s[i] == '\n') {
            ++line;
            character = 0;
        } else {
            ++character;
        }
        if (i >= offset) {
            if (s[i] == '\n') {
                character = 1;
            }
            break;
        }
        i += len;
    }
    return {line, character};
}

// One gjson path step over `v`.
const boost::json::value* step(const boost::json::value* v, std::string_view key,
                               boost::json::value& scratch) {
    if (const auto* o = v->if_object()) {
        return o->if_contains(key);
    }
    if (const auto* a = v->if_array()) {
        if (key == "#") {
            scratch = static_cast<std::int64_t>(a->size());
            return &scratch;
        }
        std::size_t index = 0;
        for (char c : key) {
            if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
                return nullptr;
            }
            index = index * 10 + static_cast<std::size_t>(c - '0');
        }
        return !key.empty() && index < a->size() ? &(*a)[index] : nullptr;
    }
    return nullptr;
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> parts(1);
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '\\' && i + 1 < path.size()) {
            parts.back() += path[++i];
        } else if (path[i] == '.') {
            parts.emplace_back();
        } else {
            parts.back() += path[i];
        }
    }
    return parts;
}

std::optional<boost::json::value> walk(const boost::json::value& root,
                                       const std::vector<std::string>& parts, std::size_t from) {
    const boost::json::value* v = &root;
    boost::json::value scratch;
    for (std::size_t i = from; i < parts.size(); ++i) {
        if (parts[i] == "#" && i + 1 < parts.size() && v->is_array()) {
            boost::json::array out;
            for (const auto& el : v->get_array()) {
                if (auto r = walk(el, parts, i + 1)) {
                    out.push_back(std::move(*r));
                }
            }
            return boost::json::value(std::move(out));
        }
        v = step(v, parts[i], scratch);
        if (v == nullptr) {
            return std::nullopt;
        }
    }
    return *v;
}

} // namespace

JsonCheck parse_json_like_go(std::string_view text) {
    std::size_t offset = 0;
    std::string error = Checker(text).run(offset);
    if (error.empty()) {
        return {true, {}};
    }
    auto [line, character] = position(text, offset);
    return {false, fmt::format("cannot parse json due to an error at line {}, character {} , "
                               "error: {}",
                               line, character, error)};
}

std::string go_json_syntax_error(std::string_view text) {
    std::size_t offset = 0;
    return Checker(text).run(offset);
}

JSValue json_select(JSContext* ctx, std::string_view text, std::string_view path) {
    std::size_t offset = 0;
    if (!Checker(text).run(offset).empty()) {
        return JS_UNDEFINED;
    }
    boost::system::error_code ec;
    boost::json::value root = boost::json::parse(text, ec);
    if (ec) {
        return JS_UNDEFINED;
    }
    auto found = walk(root, split_path(path), 0);
    if (!found) {
        return JS_UNDEFINED;
    }
    std::string json = boost::json::serialize(*found);
    return JS_ParseJSON(ctx, json.data(), json.size(), "<json>");
}

} // namespace volley::modules
