#include "prometheus_process.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace volley::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

} // namespace

HttpGetResult http_get(const std::string& port, const std::string& target) {
    HttpGetResult out;
    asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    beast::flat_buffer buffer;
    http::request<http::empty_body> req(http::verb::get, target, 11);
    req.set(http::field::host, "127.0.0.1:" + port);
    http::response<http::string_body> res;
    stream.expires_after(std::chrono::seconds(10)); // every step below, together
    asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"),
                               static_cast<unsigned short>(std::stoi(port)));
    stream.async_connect(ep, [&](beast::error_code ec) {
        if (ec) {
            return;
        }
        http::async_write(stream, req, [&](beast::error_code wec, std::size_t) {
            if (wec) {
                return;
            }
            http::async_read(stream, buffer, res, [&](beast::error_code rec, std::size_t) {
                if (!rec) {
                    out.status = static_cast<int>(res.result_int());
                    out.body = res.body();
                }
            });
        });
    });
    ioc.run();
    return out;
}

bool PrometheusProcess::available() {
    return access(kBinary, X_OK) == 0;
}

PrometheusProcess::PrometheusProcess() {
    dir_ = make_temp_dir("volley-prometheus");
    write_file(dir_ + "/prometheus.yml", "global:\n  scrape_interval: 1h\n");
    port_ = std::to_string(free_loopback_port());
    std::vector<std::string> argv = {kBinary,
                                     "--web.enable-remote-write-receiver",
                                     "--enable-feature=native-histograms",
                                     "--storage.tsdb.path=" + dir_ + "/data",
                                     "--web.listen-address=127.0.0.1:" + port_,
                                     "--config.file=" + dir_ + "/prometheus.yml"};
    std::atomic<int> pid{0};
    thread_ = std::thread([argv, &pid] {
        ProcessOptions o;
        o.timeout = std::chrono::seconds(300);
        o.on_start = [&pid](int p) { pid = p; };
        run_process(argv, o);
    });
    for (int i = 0; i < 300 && !ready_; ++i) { // up to 30 s
        ready_ = http_get(port_, "/-/ready").status == 200;
        if (!ready_) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    pid_ = pid.load();
}

PrometheusProcess::~PrometheusProcess() {
    if (pid_ > 0) {
        kill(pid_, SIGTERM);
    }
    thread_.join();
    std::filesystem::remove_all(dir_);
}

std::string PrometheusProcess::write_url() const {
    return "http://127.0.0.1:" + port_ + "/api/v1/write";
}

std::optional<json::value> PrometheusProcess::query(const std::string& promql) const {
    auto res = http_get(port_, "/api/v1/query?query=" +
                                   boost::urls::encode(promql, boost::urls::unreserved_chars));
    if (res.status != 200) {
        return std::nullopt;
    }
    boost::system::error_code ec;
    json::value v = json::parse(res.body, ec);
    if (ec || !v.is_object() || v.as_object().if_contains("status") == nullptr ||
        v.at("status") != "success") {
        return std::nullopt;
    }
    return v.at("data").at("result");
}

std::optional<double> PrometheusProcess::query_value(const std::string& promql) const {
    auto result = query(promql);
    if (!result) {
        return std::nullopt;
    }
    const json::value* pair = nullptr;
    if (result->is_array()) { // instant vector: [{metric, value: [t, "v"]}]
        if (result->as_array().empty()) {
            return std::nullopt;
        }
        pair = &result->as_array()[0].at("value");
    } else {
        return std::nullopt;
    }
    return std::stod(std::string(pair->as_array()[1].as_string()));
}

} // namespace volley::test
