// The script's exported `options` (config/merge.hpp): any JSON consolidates into run options or
// throws UserError listing the problems; consolidated options print as JSON that parses.

#include <boost/json/parse.hpp>

#include "config/merge.hpp"
#include "fuzz_check.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

using namespace volley;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool quiet = (log::set_level(log::Level::kOff), true);
    (void)quiet;
    boost::system::error_code ec;
    auto v = boost::json::parse(fuzz::as_text(data, size), ec);
    if (ec) {
        return 0;
    }
    try {
        config::RunOptions o = config::consolidate({}, v, {}, {}, {"default", "other"});
        FUZZ_CHECK(!o.scenarios.empty());
        boost::json::parse(config::to_json(o), ec);
        FUZZ_CHECK(!ec);
    } catch (const UserError& e) {
        FUZZ_CHECK(e.what()[0] != '\0');
    }
    return 0;
}
