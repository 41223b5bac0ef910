// k6 durations (config/duration.hpp): any text either parses or gives an error message; a parsed
// duration printed Go's way parses back to itself; JSON values (numbers are milliseconds) too.

#include <boost/json/parse.hpp>

#include "config/duration.hpp"
#include "fuzz_check.hpp"

using namespace volley::config;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = volley::fuzz::as_text(data, size);
    auto d = parse_duration(text);
    if (d) {
        auto again = parse_duration(format_duration(*d));
        FUZZ_CHECK(again && *again == *d);
    } else {
        FUZZ_CHECK(!d.error().message.empty());
    }
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (!ec) {
        auto j = duration_from_json(v);
        FUZZ_CHECK(j || !j.error().message.empty());
    }
    return 0;
}
