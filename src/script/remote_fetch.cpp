#include "script/remote_fetch.hpp"

#include <chrono>

#include <boost/asio/io_context.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

#include "net/go_url.hpp"
#include "net/headers.hpp"
#include "net/http_client.hpp"
#include "util/coroutine.hpp"
#include "util/log.hpp"
#include "util/time.hpp"

namespace volley::script {
namespace {

constexpr int kMaxRedirects = 10; // Go's http.Client default
constexpr auto kFetchTimeout = std::chrono::minutes(1);

bool is_redirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// One GET with Go's client semantics; the body, or Go's error text.
FetchedModule get(net::HttpClient& client, const std::string& raw_url, Yield yield) {
    auto parsed = net::parse_go_url(raw_url);
    if (!parsed) {
        return {"", parsed.error()};
    }
    net::GoUrl url = *parsed;
    const auto deadline = SteadyClock::now() + kFetchTimeout;
    for (int hop = 0;; ++hop) {
        if (url.scheme != "https" && url.scheme != "http") {
            return {"", "Get \"" + url.string() + "\": unsupported protocol scheme \"" +
                            url.scheme + "\""};
        }
        net::HttpRequest req;
        req.method = "GET";
        req.url = url;
        req.host = url.host;
        req.user_agent = "Go-http-client/1.1";
        net::HttpOptions opts;
        opts.deadline = deadline;
        net::HttpResponse res = client.round_trip(req, opts, yield);
        if (res.error) {
            return {"", "Get \"" + url.string() + "\": " + res.error.detail};
        }
        if (!is_redirect(res.status)) {
            if (res.status == 404) {
                return {"", "not found: " + raw_url};
            }
            if (res.status != 200) {
                return {"",
                        "wrong status code (" + std::to_string(res.status) + ") for: " + raw_url};
            }
            if (res.body.size() > kMaxRemoteModuleBytes) {
                return {"", "the module is larger than " +
                                std::to_string(kMaxRemoteModuleBytes >> 20) + " MiB"};
            }
            return {std::move(res.body), ""};
        }
        std::string location(net::header_value(res.headers, "Location"));
        if (location.empty()) {
            return {"", "wrong status code (" + std::to_string(res.status) + ") for: " + raw_url};
        }
        if (hop + 1 >= kMaxRedirects) {
            return {"", "Get \"" + url.string() + "\": stopped after 10 redirects"};
        }
        auto ref = net::parse_go_url(location);
        if (!ref) {
            return {"", "Get \"" + url.string() + "\": failed to parse Location header \"" +
                            location + "\": " + ref.error()};
        }
        url = net::resolve_reference(url, *ref);
    }
}

FetchedModule fetch_once(const std::string& url) {
    boost::asio::io_context io;
    net::HttpClient client(io);
    FetchedModule out;
    boost::asio::spawn(
        io.get_executor(), std::allocator_arg,
        boost::context::protected_fixedsize_stack(std::size_t{256} * 1024),
        [&](Yield yield) { out = get(client, url, yield); },
        [](const std::exception_ptr& e) {
            if (e) {
                std::rethrow_exception(e);
            }
        });
    io.run();
    return out;
}

std::string with_k6_query(const std::string& url) {
    auto hash = url.find('#');
    std::string base = url.substr(0, hash);
    base += base.find('?') == std::string::npos ? "?_k6=1" : "&_k6=1";
    return base;
}

} // namespace

FetchedModule fetch_remote_module(const std::string& url) {
    log::write(log::Level::kDebug, "Fetching source...", {{"url", url}});
    const auto start = SteadyClock::now();
    FetchedModule got = fetch_once(with_k6_query(url));
    if (!got.ok()) {
        // Some servers act weird around unknown query arguments: k6 tries again without.
        got = fetch_once(url);
    }
    if (got.ok()) {
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start);
        log::write(log::Level::kDebug, "Fetched!",
                   {{"url", url},
                    {"t", std::to_string(ms.count()) + "ms"},
                    {"len", std::to_string(got.body.size())}});
    }
    return got;
}

} // namespace volley::script
