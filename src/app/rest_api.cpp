#include "app/rest_api.hpp"

#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

#include "modules/json_path.hpp"
#include "util/error.hpp"

namespace volley::app {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

constexpr const char* kJson = "application/json; charset=utf-8";
constexpr std::size_t kMaxBody = 1 << 20;

// k6's apiError: {"errors":[{"status":"400","title":…,"detail":…}]}.
RestResponse api_error(int code, const std::string& title, const std::string& detail) {
    json::object e{{"status", std::to_string(code)}, {"title", title}, {"detail", detail}};
    return {code, kJson, json::serialize(json::object{{"errors", json::array{e}}}), false};
}

// Go's name of a JSON value's kind in "cannot unmarshal <kind> into …".
const char* go_kind(const json::value& v) {
    switch (v.kind()) {
    case json::kind::object:
        return "object";
    case json::kind::array:
        return "array";
    case json::kind::string:
        return "string";
    case json::kind::bool_:
        return "bool";
    default:
        return "number";
    }
}

std::string cannot_unmarshal(const json::value& v, const std::string& into) {
    return fmt::format("json: cannot unmarshal {} into {}", go_kind(v), into);
}

// What a PATCH asks for: k6's StatusJSONAPI with null.Bool / null.Int fields.
struct Patch {
    std::optional<bool> paused;
    bool stopped = false;
    bool vus_given = false;
};

// Decodes the document as Go's json.Unmarshal would (unknown fields ignored); returns Go's
// error text, or "" with `out` filled.
std::string decode_patch(const std::string& body, Patch& out) {
    std::string syntax = modules::go_json_syntax_error(body);
    if (!syntax.empty()) {
        return syntax;
    }
    json::value doc = json::parse(body);
    if (doc.is_null()) {
        return "";
    }
    if (!doc.is_object()) {
        return cannot_unmarshal(doc, "Go value of type v1.StatusJSONAPI");
    }
    const json::value* data = doc.as_object().if_contains("data");
    if (data == nullptr || data->is_null()) {
        return "";
    }
    if (!data->is_object()) {
        return cannot_unmarshal(*data, "Go struct field StatusJSONAPI.data of type v1.statusData");
    }
    const json::value* attrs = data->as_object().if_contains("attributes");
    if (attrs == nullptr || attrs->is_null()) {
        return "";
    }
    if (!attrs->is_object()) {
        return cannot_unmarshal(*attrs,
                                "Go struct field statusData.data.attributes of type v1.Status");
    }
    for (const auto& [key, v] : attrs->as_object()) {
        if (v.is_null()) {
            continue;
        }
        if (key == "paused") {
            if (!v.is_bool()) {
                return cannot_unmarshal(v, "Go value of type null.Bool");
            }
            out.paused = v.as_bool();
        } else if (key == "stopped" || key == "running" || key == "tainted") {
            if (!v.is_bool()) {
                return cannot_unmarshal(
                    v, fmt::format("Go struct field Status.data.attributes.{} of type bool",
                                   std::string(key)));
            }
            out.stopped = out.stopped || (key == "stopped" && v.as_bool());
        } else if (key == "vus" || key == "vus-max") {
            if (!v.is_int64() && !v.is_uint64()) {
                return cannot_unmarshal(v, "Go value of type null.Int");
            }
            out.vus_given = true;
        }
    }
    return "";
}

RestResponse patch_status(RestControl& control, const std::string& body) {
    Patch patch;
    std::string error = decode_patch(body, patch);
    if (!error.empty()) {
        return api_error(400, "Invalid data", error);
    }
    if (patch.stopped) {
        control.stop();
    } else {
        if (patch.paused) {
            std::string refused = control.set_paused(*patch.paused);
            if (!refused.empty()) {
                return api_error(500, "Pause error", refused);
            }
        }
        if (patch.vus_given) {
            return api_error(500, "Execution config error",
                             "an externally-controlled executor needs to be configured for live "
                             "configuration updates");
        }
    }
    return {200, kJson, status_document(control.status()), false};
}

// One connection: requests in turn until the peer closes or the API stops.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, RestControl& control)
        : socket_(std::move(socket)), control_(control) {}

    void read() {
        parser_.emplace();
        parser_->body_limit(kMaxBody);
        http::async_read(socket_, buffer_, *parser_,
                         [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                             self->on_read(ec);
                         });
    }

private:
    void on_read(boost::system::error_code ec) {
        if (ec) {
            return; // closed, or not HTTP: drop the connection
        }
        const auto& req = parser_->get();
        RestResponse r = handle_rest_request(control_, std::string(req.method_string()),
                                             std::string(req.target()), req.body());
        auto res = std::make_shared<http::response<http::string_body>>(
            static_cast<http::status>(r.code), req.version());
        if (!r.content_type.empty()) {
            res->set(http::field::content_type, r.content_type);
        }
        if (r.nosniff) {
            res->set("X-Content-Type-Options", "nosniff");
        }
        res->keep_alive(req.keep_alive());
        res->body() = std::move(r.body);
        res->prepare_payload();
        http::async_write(
            socket_, *res,
            [self = shared_from_this(), res](boost::system::error_code wec, std::size_t) {
                if (!wec && res->keep_alive()) {
                    self->read();
                }
            });
    }

    tcp::socket socket_;
    RestControl& control_;
    boost::beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
};

// Go's net.Listen texts for an address it cannot use.
[[noreturn]] void cannot_listen(const std::string& address, const std::string& why) {
    throw UserError(fmt::format("Error from API server: listen tcp {}: {}", address, why),
                    "give --address a free HOST:PORT, e.g. 127.0.0.1:6565",
                    ExitCode::kCannotStartRestApi);
}

tcp::endpoint resolve(asio::io_context& io, const std::string& address) {
    auto colon = address.rfind(':');
    if (colon == std::string::npos) {
        throw UserError(fmt::format("Error from API server: listen tcp: address {}: missing "
                                    "port in address",
                                    address),
                        "give --address as HOST:PORT", ExitCode::kCannotStartRestApi);
    }
    std::string host = address.substr(0, colon);
    std::string port = address.substr(colon + 1);
    if (host.size() > 1 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    boost::system::error_code ec;
    tcp::resolver resolver(io);
    auto results =
        resolver.resolve(host.empty() ? "0.0.0.0" : host, port, tcp::resolver::numeric_service, ec);
    if (ec || results.empty()) {
        cannot_listen(address, ec ? ec.message() : "no such host");
    }
    return results.begin()->endpoint();
}

} // namespace

std::string status_document(const RestStatus& s) {
    json::object attrs{{"status", s.status},   {"paused", s.paused},   {"vus", s.vus},
                       {"vus-max", s.vus_max}, {"stopped", s.stopped}, {"running", s.running},
                       {"tainted", s.tainted}};
    json::object data{{"type", "status"}, {"id", "default"}, {"attributes", attrs}};
    return json::serialize(json::object{{"data", data}});
}

RestResponse handle_rest_request(RestControl& control, const std::string& method,
                                 const std::string& target, const std::string& body) {
    std::string path = target.substr(0, target.find('?'));
    if (path == "/v1/status") {
        if (method == "GET") {
            return {200, kJson, status_document(control.status()), false};
        }
        if (method == "PATCH") {
            return patch_status(control, body);
        }
        return {405, "", "", false};
    }
    if (path == "/") {
        return {200, "text/plain; charset=utf-8", "ok", false};
    }
    return {404, "text/plain; charset=utf-8", "404 page not found\n", true};
}

struct RestApi::Impl {
    asio::io_context io{1};
    tcp::acceptor acceptor{io};
    RestControl& control;
    std::thread thread;

    explicit Impl(RestControl& c) : control(c) {}

    void accept() {
        acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted) {
                return;
            }
            if (!ec) {
                std::make_shared<Session>(std::move(socket), control)->read();
            }
            accept();
        });
    }
};

RestApi::RestApi(const std::string& address, RestControl& control)
    : impl_(std::make_unique<Impl>(control)) {
    tcp::endpoint endpoint = resolve(impl_->io, address);
    boost::system::error_code ec;
    impl_->acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        impl_->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
        impl_->acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        std::string why =
            ec == asio::error::address_in_use ? "bind: address already in use" : ec.message();
        cannot_listen(address, why);
    }
    impl_->accept();
    impl_->thread = std::thread([this] { impl_->io.run(); });
}

RestApi::~RestApi() {
    impl_->io.stop();
    impl_->thread.join();
}

std::string RestApi::local_address() const {
    auto ep = impl_->acceptor.local_endpoint();
    return fmt::format("{}:{}", ep.address().to_string(), ep.port());
}

} // namespace volley::app
