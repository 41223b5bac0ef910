#include "wsecho/echo_server.hpp"

#include <cstdio>
#include <exception>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include <fmt/format.h>

#include "wsecho/echo_session.hpp"

namespace volley::wsecho {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

using Acceptor = asio::basic_socket_acceptor<tcp, asio::io_context::executor_type>;
using Guard = asio::executor_work_guard<asio::io_context::executor_type>;

// A session's stack: only touched pages cost memory; the guard page turns an overflow into a
// crash instead of heap corruption.
constexpr std::size_t kSessionStack = std::size_t{256} * 1024;

// Completion of a spawned coroutine: an exception escaping a session or the accept loop is a
// bug of the echo server, reported without taking the process down.
void report_exception(std::exception_ptr e) {
    if (!e) {
        return;
    }
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        std::fprintf(stderr, "volley echo: internal error: %s\n", ex.what());
    }
}

} // namespace

struct EchoServer::Impl {
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    std::vector<Guard> guards;
    std::unique_ptr<Acceptor> acceptor;
    std::unique_ptr<asio::ssl::context> ssl;
    SessionConfig config;
    std::size_t next = 0;

    void accept_loop(std::atomic<std::uint64_t>& accepted, Yield yield) {
        for (;;) {
            auto& target = *contexts[next++ % contexts.size()];
            TcpSocket socket(target.get_executor());
            boost::system::error_code ec;
            acceptor->async_accept(socket, yield[ec]);
            if (ec == asio::error::operation_aborted || !acceptor->is_open()) {
                return;
            }
            if (ec) {
                continue; // e.g. EMFILE: keep serving the connections we have
            }
            std::uint64_t n = accepted.fetch_add(1, std::memory_order_relaxed);
            asio::spawn(
                target.get_executor(), std::allocator_arg,
                boost::context::protected_fixedsize_stack(kSessionStack),
                [this, n, s = std::move(socket)](Yield y) mutable {
                    run_session(std::move(s), config, n, y);
                },
                report_exception);
        }
    }
};

EchoServer::EchoServer(EchoOptions options) : options_(std::move(options)) {
    if (options_.threads == 0) {
        options_.threads = 1;
    }
}

EchoServer::~EchoServer() {
    stop();
}

std::uint16_t EchoServer::start() {
    impl_ = std::make_unique<Impl>();
    for (unsigned i = 0; i < options_.threads; ++i) {
        impl_->contexts.push_back(std::make_unique<asio::io_context>(1));
        impl_->guards.emplace_back(impl_->contexts.back()->get_executor());
    }
    if (options_.tls) {
        cert_ = make_self_signed_certificate();
        impl_->ssl = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
        impl_->ssl->use_certificate_chain(asio::buffer(cert_.cert));
        impl_->ssl->use_private_key(asio::buffer(cert_.key), asio::ssl::context::pem);
        impl_->config.tls = impl_->ssl.get();
    }
    impl_->config.compression = options_.compression;
    impl_->config.chaos = options_.chaos ? &*options_.chaos : nullptr;
    tcp::endpoint ep(asio::ip::make_address(options_.address), options_.port);
    impl_->acceptor = std::make_unique<Acceptor>(impl_->contexts[0]->get_executor());
    impl_->acceptor->open(ep.protocol());
    impl_->acceptor->set_option(asio::socket_base::reuse_address(true));
    impl_->acceptor->bind(ep);
    impl_->acceptor->listen(asio::socket_base::max_listen_connections);
    port_ = impl_->acceptor->local_endpoint().port();
    asio::spawn(
        impl_->contexts[0]->get_executor(),
        [impl = impl_.get(), &accepted = accepted_](Yield y) { impl->accept_loop(accepted, y); },
        report_exception);
    for (auto& ctx : impl_->contexts) {
        threads_.emplace_back([c = ctx.get()] { c->run(); });
    }
    return port_;
}

void EchoServer::stop() {
    if (!impl_) {
        return;
    }
    for (auto& ctx : impl_->contexts) {
        ctx->stop();
    }
    for (auto& t : threads_) {
        t.join();
    }
    threads_.clear();
    // Destroying the contexts destroys the suspended sessions (their stacks unwind); the
    // sockets they own close with them.
    impl_->acceptor.reset();
    impl_->guards.clear();
    impl_->contexts.clear();
    impl_.reset();
}

std::string EchoServer::url() const {
    auto addr = asio::ip::make_address(options_.address);
    std::string host = addr.is_v6() ? "[" + options_.address + "]" : options_.address;
    return fmt::format("{}://{}:{}", options_.tls ? "wss" : "ws", host, port_);
}

} // namespace volley::wsecho
