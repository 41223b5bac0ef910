// The summary's Go-style quoting (util/go_quote.hpp, strconv.Quote): any bytes give a double-
// quoted, valid UTF-8 string without control characters, and text that needs no escaping comes
// back unchanged between the quotes.

#include <string>

#include "fuzz_check.hpp"
#include "util/go_quote.hpp"
#include "util/utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = volley::fuzz::as_text(data, size);
    std::string q = volley::go_quote(text);
    FUZZ_CHECK(q.size() >= 2 && q.front() == '"' && q.back() == '"');
    FUZZ_CHECK(volley::is_valid_utf8(q));
    bool plain = true;
    for (char c : q) {
        auto u = static_cast<unsigned char>(c);
        FUZZ_CHECK(u >= 0x20 && u != 0x7f);
    }
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        plain = plain && u >= 0x20 && u < 0x7f && c != '"' && c != '\\';
    }
    if (plain) {
        FUZZ_CHECK(q == "\"" + std::string(text) + "\"");
    }
    return 0;
}
