#include "output/remote_write_client.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "net/go_url.hpp"
#include "net/headers.hpp"
#include "net/http_client.hpp"
#include "net/tls.hpp"
#include "util/go_base64.hpp"
#include "util/go_quote.hpp"
#include "util/time.hpp"

namespace volley::output {
namespace {

// The file's bytes in `out`, or Go's os.ReadFile error text (`open <path>: no such file or
// directory`) in `error`.
bool read_file(const std::string& path, std::string& out, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "open " + path + ": " + go_errno_text(errno);
        return false;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return true;
}

boost::system::result<net::TlsOptions, std::string> tls_options(const RemoteWriteConfig& c) {
    net::TlsOptions o;
    o.insecure_skip_verify = c.insecure_skip_tls_verify;
    o.min_version = c.tls_min_version && *c.tls_min_version == "1.2" ? net::TlsVersion::kTls12
                                                                     : net::TlsVersion::kTls13;
    if (c.client_certificate && c.client_certificate_key) {
        net::ClientCert cert; // no domains: offered to the endpoint whatever its name
        std::string error;
        if (!read_file(*c.client_certificate, cert.cert_pem, error) ||
            !read_file(*c.client_certificate_key, cert.key_pem, error)) {
            return "failed to load the TLS certificate: " + error;
        }
        o.client_certs.push_back(std::move(cert));
    }
    return o;
}

// The headers k6 builds: basic auth, then (replacing them, as k6's `req.Header =
// Headers.Clone()` does) the configured headers with the bearer token, then the protocol's.
net::Headers request_headers(const RemoteWriteConfig& c) {
    net::Headers h;
    if (c.username) {
        h.emplace_back(
            "Authorization",
            "Basic " + base64_encode(*c.username + ":" + c.password.value_or(""), Base64::kStd));
    }
    bool bearer = c.bearer_token && !c.bearer_token->empty();
    if (!c.headers.empty() || bearer) {
        h.clear();
        for (const auto& [k, v] : c.headers) {
            h.emplace_back(net::canonical_header_key(k), v); // Go's Header.Add
        }
        if (bearer) {
            net::set_header(h, "Authorization", "Bearer " + *c.bearer_token);
        }
    }
    net::set_header(h, "Content-Encoding", "snappy");
    net::set_header(h, "Content-Type", "application/x-protobuf");
    net::set_header(h, "X-Prometheus-Remote-Write-Version", "0.1.0");
    return h;
}

} // namespace

struct RemoteWriteClient::State {
    explicit State(boost::asio::io_context& ioc) : http(ioc, 1, 1) {}
    net::HttpClient http;
    net::GoUrl url;
    std::string url_text; // as configured (Go's URL.String() of it)
    std::unique_ptr<net::TlsConfig> tls;
    net::Headers headers;
};

boost::system::result<std::unique_ptr<RemoteWriteClient>, std::string>
RemoteWriteClient::make(const RemoteWriteConfig& config, boost::asio::io_context& ioc) {
    auto state = std::make_unique<State>(ioc);
    auto url = net::parse_go_url(config.server_url);
    if (!url) {
        return "failed to initialize the Prometheus remote write client: " + url.error();
    }
    state->url = std::move(*url);
    state->url_text = state->url.string();
    auto options = tls_options(config);
    if (!options) {
        return options.error();
    }
    auto tls = net::TlsConfig::make(*options);
    if (!tls) {
        return "failed to load the TLS certificate: " + tls.error();
    }
    state->tls = std::move(*tls);
    state->headers = request_headers(config);
    return std::unique_ptr<RemoteWriteClient>(new RemoteWriteClient(std::move(state)));
}

RemoteWriteClient::RemoteWriteClient(std::unique_ptr<State> state) : state_(std::move(state)) {}

RemoteWriteClient::~RemoteWriteClient() = default;

std::string RemoteWriteClient::store(const std::vector<PromTimeSeries>& series, Yield yield) {
    const auto& url = state_->url;
    // Go's url.Error wrapping of what http.Client.Do returns.
    auto failed = [&](const std::string& why) {
        return "HTTP POST request failed: Post " + go_quote(state_->url_text) + ": " + why;
    };
    if (url.scheme != "http" && url.scheme != "https") {
        return failed("unsupported protocol scheme " + go_quote(url.scheme));
    }
    if (url.host.empty()) {
        return failed("http: no Host in request URL");
    }
    net::HttpRequest req;
    req.method = "POST";
    req.url = url;
    req.host = url.host;
    req.user_agent = "k6-prometheus-rw-output";
    req.headers = state_->headers;
    req.body = snappy_compress(encode_write_request(series));
    net::HttpOptions opts;
    opts.tls = state_->tls.get();
    opts.deadline = SteadyClock::now() + kTimeout;
    opts.read_body = false; // k6 reads the body to io.Discard
    net::HttpResponse res = state_->http.round_trip(req, opts, yield);
    if (res.error) {
        // A timeout is Go's Client.Timeout: the context's deadline passed.
        bool timeout = res.error.code == 1050 || res.error.code == 1211;
        if (res.error.in_body) {
            return timeout ? "context deadline exceeded (Client.Timeout or context cancellation "
                             "while reading body)"
                           : res.error.detail;
        }
        return failed(timeout ? "context deadline exceeded (Client.Timeout exceeded while "
                                "awaiting headers)"
                              : res.error.detail);
    }
    if (res.status < 200 || res.status >= 300) {
        return fmt::format("got status code: {} instead expected a 2xx successful status code",
                           res.status);
    }
    return "";
}

void RemoteWriteClient::close() {
    state_->http.close_idle();
}

} // namespace volley::output
