#include "modules/http_state.hpp"

#include <cstddef>

#include "modules/vu_api.hpp"

namespace volley::modules {

net::HttpClient& HttpState::client(boost::asio::io_context& io, const ModuleSettings& settings) {
    if (!client_) {
        client_ =
            std::make_unique<net::HttpClient>(io, static_cast<std::size_t>(settings.batch_per_host),
                                              static_cast<std::size_t>(settings.batch));
    }
    return *client_;
}

void HttpState::start_iteration(const ModuleSettings& settings) {
    if (!settings.no_cookies_reset) {
        jar.clear();
    }
    if (client_ && settings.no_vu_connection_reuse) {
        client_->close_idle();
    }
}

void HttpState::cancel() {
    if (client_) {
        client_->cancel();
    }
}

net::HttpClient& VuApi::http_client() {
    return http_state().client(io(), settings());
}

net::CookieJar& VuApi::cookie_jar() {
    return http_state().jar;
}

} // namespace volley::modules
