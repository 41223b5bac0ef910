#include "script/intrinsic_use.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace volley::script {
namespace {

bool is_ident(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$';
}

// Whether `word` occurs in `source` as a whole identifier.
bool has_word(std::string_view source, std::string_view word) {
    for (std::size_t at = source.find(word); at != std::string_view::npos;
         at = source.find(word, at + 1)) {
        const bool starts = at == 0 || !is_ident(source[at - 1]);
        const std::size_t end = at + word.size();
        if (starts && (end == source.size() || !is_ident(source[end]))) {
            return true;
        }
    }
    return false;
}

// After these keywords a `/` starts a regular expression, not a division.
bool keyword_before_regexp(std::string_view word) {
    static constexpr std::array<std::string_view, 14> kWords = {
        "return", "typeof", "case",  "do",     "else",  "in",         "of",
        "void",   "yield",  "await", "delete", "throw", "instanceof", "new"};
    return std::find(kWords.begin(), kWords.end(), word) != kWords.end();
}

// Scans JS source code for a `/` that can start a regular expression literal, skipping
// comments, strings and the text of template literals (their ${...} parts are code).
class RegexpFinder {
public:
    explicit RegexpFinder(std::string_view s) : s_(s) {}

    bool find() {
        while (i_ < s_.size()) {
            char c = s_[i_];
            if (c == '/' && next() == '/') {
                skip_until("\n");
            } else if (c == '/' && next() == '*') {
                i_ += 2;
                skip_until("*/");
            } else if (c == '\'' || c == '"') {
                skip_string(c);
            } else if (c == '`') {
                ++i_;
                skip_template();
            } else if (c == '/') {
                if (regexp_may_start() && closes_on_line()) {
                    return true;
                }
                prev_ = c;
                ++i_;
            } else {
                code_char(c);
            }
        }
        return false;
    }

private:
    char next() const { return i_ + 1 < s_.size() ? s_[i_ + 1] : '\0'; }

    void code_char(char c) {
        if (c == '{') {
            ++depth_;
        } else if (c == '}' && !templates_.empty() && templates_.back() == depth_) {
            templates_.pop_back(); // the end of a template's ${...}: back into its text
            ++i_;
            skip_template();
            return;
        } else if (c == '}') {
            --depth_;
        }
        if (is_ident(c) && (i_ == 0 || !is_ident(s_[i_ - 1]))) {
            word_start_ = i_;
        }
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            prev_ = c;
            if (is_ident(c)) {
                word_end_ = i_ + 1;
            }
        }
        ++i_;
    }

    void skip_until(std::string_view end) {
        std::size_t at = s_.find(end, i_);
        i_ = at == std::string_view::npos ? s_.size() : at + end.size();
    }

    void skip_string(char quote) {
        for (++i_; i_ < s_.size() && s_[i_] != quote && s_[i_] != '\n'; ++i_) {
            if (s_[i_] == '\\') {
                ++i_;
            }
        }
        ++i_;
        prev_ = quote;
    }

    // From inside a template literal's text to its end or to the code of a `${`.
    void skip_template() {
        for (; i_ < s_.size(); ++i_) {
            if (s_[i_] == '\\') {
                ++i_;
            } else if (s_[i_] == '`') {
                ++i_;
                prev_ = '`';
                return;
            } else if (s_[i_] == '$' && next() == '{') {
                i_ += 2;
                ++depth_;
                templates_.push_back(depth_);
                prev_ = '{';
                return;
            }
        }
    }

    // The previous token allows an expression here: punctuation, or a keyword such as return.
    bool regexp_may_start() const {
        if (prev_ == '\0' ||
            !(is_ident(prev_) || prev_ == ']' || prev_ == '\'' || prev_ == '"' || prev_ == '`')) {
            return true;
        }
        return is_ident(prev_) && word_end_ > word_start_ &&
               keyword_before_regexp(s_.substr(word_start_, word_end_ - word_start_));
    }

    // A regular expression literal ends with a `/` on the same line (outside a [...] class).
    bool closes_on_line() const {
        bool in_class = false;
        for (std::size_t j = i_ + 1; j < s_.size() && s_[j] != '\n'; ++j) {
            char c = s_[j];
            if (c == '\\') {
                ++j;
            } else if (c == '[') {
                in_class = true;
            } else if (c == ']') {
                in_class = false;
            } else if (c == '/' && !in_class) {
                return j > i_ + 1;
            }
        }
        return false;
    }

    std::string_view s_;
    std::size_t i_ = 0;
    char prev_ = '\0';           // the last character of code that is not white space
    std::size_t word_start_ = 0; // the last identifier or keyword of code
    std::size_t word_end_ = 0;
    int depth_ = 0;              // braces open in code
    std::vector<int> templates_; // depth_ at each open template ${
};

} // namespace

bool mentions_typed_arrays(std::string_view source) {
    // Plain substring search: a mention in a comment or a string also counts (a false positive
    // only costs the intrinsics' memory). k6/crypto, k6/encoding and the crypto global give
    // ArrayBuffers: "crypto" matches "k6/crypto", "crypto.subtle" and "globalThis.crypto".
    static constexpr std::string_view kWords[] = {
        "ArrayBuffer",  "DataView",     "Int8Array",     "Uint8Array",     "Uint8ClampedArray",
        "Int16Array",   "Uint16Array",  "Int32Array",    "Uint32Array",    "Float16Array",
        "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "binaryMessage",
        "sendBinary",   "open(",        "crypto",        "k6/encoding",
    };
    return std::any_of(std::begin(kWords), std::end(kWords), [&](std::string_view w) {
        return source.find(w) != std::string_view::npos;
    });
}

bool mentions_regexp(std::string_view source) {
    for (std::string_view w : {"RegExp", "match", "matchAll", "search"}) {
        if (has_word(source, w)) {
            return true;
        }
    }
    return RegexpFinder(source).find();
}

bool mentions_map_set(std::string_view source) {
    for (std::string_view w : {"Map", "Set", "WeakMap", "WeakSet"}) {
        if (has_word(source, w)) {
            return true;
        }
    }
    return false;
}

js::Intrinsics intrinsics_used(std::string_view source) {
    js::Intrinsics used;
    used.typed_arrays = mentions_typed_arrays(source);
    used.regexp = mentions_regexp(source);
    used.map_set = mentions_map_set(source);
    return used;
}

} // namespace volley::script
