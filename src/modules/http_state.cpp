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
    ++cancellations_;
    if (client_) {
        client_->cancel();
    }
    auto hooks = cancel_hooks_; // a hook may remove itself
    for (auto& [id, hook] : hooks) {
        hook();
    }
}

int HttpState::add_cancel_hook(std::function<void()> hook) {
    cancel_hooks_.emplace(next_cancel_hook_, std::move(hook));
    return next_cancel_hook_++;
}

void HttpState::async_ended() {
    if (--async_running_ == 0 && drained_) {
        drained_->notify_later();
    }
}

void HttpState::drain(boost::asio::io_context& io, Yield yield) {
    if (async_running_ == 0) {
        return;
    }
    cancel();
    if (!drained_) {
        drained_ = std::make_unique<Waiter>(io);
    }
    while (async_running_ != 0) {
        drained_->wait(Waiter::Clock::time_point::max(), yield);
    }
}

net::HttpClient& VuApi::http_client() {
    return http_state().client(io(), settings());
}

net::CookieJar& VuApi::cookie_jar() {
    return http_state().jar;
}

} // namespace volley::modules
