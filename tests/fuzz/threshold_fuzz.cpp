// Threshold expressions (metrics/thresholds.hpp): any text parses or throws UserError with a
// message; nothing else escapes.

#include <string>

#include "fuzz_check.hpp"
#include "metrics/thresholds.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(volley::fuzz::as_text(data, size));
    try {
        (void)volley::metrics::parse_threshold_expression(text);
    } catch (const volley::UserError& e) {
        FUZZ_CHECK(e.what()[0] != '\0');
    }
    return 0;
}
