// URLs as scripts give them (net/url.hpp for ws.connect, net/go_url.hpp for k6/http): any text
// parses or gives an error text; a parsed Go URL prints, resolves against a base and builds a
// request URI without failing, and a ws URL's port is in range.

#include "fuzz_check.hpp"
#include "net/go_url.hpp"
#include "net/url.hpp"

using namespace volley::net;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = volley::fuzz::as_text(data, size);
    auto ws = parse_ws_url(text);
    FUZZ_CHECK(ws || !ws.error().empty());
    auto go = parse_go_url(text);
    if (!go) {
        FUZZ_CHECK(!go.error().empty());
        return 0;
    }
    static const GoUrl base = *parse_go_url("http://user@example.com:8080/a/b/c?q=1#f");
    GoUrl joined = resolve_reference(base, *go);
    (void)joined.string();
    (void)joined.request_uri();
    (void)go->string();
    return 0;
}
