#include "net/ws_client.hpp"

#include "net/ws_session.hpp"

namespace volley::net {

namespace detail {

void intrusive_ptr_add_ref(Session* s) {
    ++s->refs;
}

void intrusive_ptr_release(Session* s) {
    if (--s->refs == 0) {
        delete s;
    }
}

} // namespace detail

WsClient::WsClient(boost::asio::io_context& ioc) : s_(new detail::Session(ioc)) {}

WsClient::~WsClient() {
    // Pending handlers hold their own references; closing makes them finish promptly. They
    // see no frame, but the observer may be gone: forget it.
    s_->set_frame_observer(nullptr);
    s_->cancel();
}

HandshakeResult WsClient::connect(std::string_view url, const HandshakeOptions& options,
                                  Yield yield) {
    return s_->connect(url, options, yield);
}

std::string WsClient::send_text(std::string_view data, Yield yield) {
    return s_->write_message(Opcode::kText, data, yield);
}

std::string WsClient::send_binary(std::string_view data, Yield yield) {
    return s_->write_message(Opcode::kBinary, data, yield);
}

std::string WsClient::ping(std::string_view payload, Yield yield) {
    return s_->write_control(Opcode::kPing, payload, yield);
}

std::string WsClient::pong(std::string_view payload, Yield yield) {
    return s_->write_control(Opcode::kPong, payload, yield);
}

std::string WsClient::close(std::uint16_t code, std::string_view reason, Yield yield) {
    return s_->close(code, reason, yield);
}

void WsClient::start_reading() {
    s_->start_reading();
}

bool WsClient::next_event(Event& out) {
    return s_->next_event(out);
}

bool WsClient::event_ready() {
    return s_->event_ready();
}

WaitResult WsClient::wait(std::chrono::steady_clock::time_point deadline, Yield yield) {
    return s_->wait(deadline, yield);
}

void WsClient::wake() {
    s_->wake();
}

void WsClient::set_notify(std::function<void()> fn) {
    s_->set_notify(std::move(fn));
}

void WsClient::cancel() {
    s_->cancel();
}

void WsClient::set_frame_observer(FrameObserver* observer) {
    s_->set_frame_observer(observer);
}

int WsClient::last_write_error_code() const {
    return s_->write_error_code();
}

bool WsClient::is_open() const {
    return s_->open();
}

const ByteCounters& WsClient::counters() const {
    return s_->counters();
}

void WsClient::set_fault_plan(FaultPlan* plan) {
    s_->set_fault_plan(plan);
}

std::size_t WsClient::buffer_bytes() const {
    return s_->buffer_bytes();
}

ByteCounters WsClient::take_counters() {
    ByteCounters out = s_->counters();
    s_->counters() = ByteCounters{};
    return out;
}

} // namespace volley::net
