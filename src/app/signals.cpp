#include "app/signals.hpp"

#include <chrono>
#include <csignal>

#include "output/file_writer.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

#include <pthread.h>
#include <unistd.h>

namespace volley::app {
namespace {

// SIGUSR2 only wakes the watcher when it is destroyed.
sigset_t watched() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR2);
    return set;
}

} // namespace

SignalWatcher::SignalWatcher() {
    sigset_t set = watched();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    thread_ = std::thread([this] { run(); });
}

SignalWatcher::~SignalWatcher() {
    pthread_kill(thread_.native_handle(), SIGUSR2);
    thread_.join();
}

void SignalWatcher::run() {
    sigset_t set = watched();
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0 || sig == SIGUSR2) {
            return;
        }
        if (count_.fetch_add(1) > 0) {
            log::write(log::Level::kError, "Aborting volley in response to a second signal");
            // Output files end after a whole record: wait (a little) for a write under way.
            (void)output::records_mutex().try_lock_for(std::chrono::seconds(2));
            _exit(static_cast<int>(ExitCode::kExternalAbort));
        }
        first_signal_.store(sig);
        // k6 says nothing until the run ends (a debug line); the error follows the summary.
        log::write(log::Level::kDebug, "Stopping volley in response to signal...");
        std::lock_guard lock(mutex_);
        if (on_first_) {
            on_first_();
        }
    }
}

std::string SignalWatcher::first_signal_name() const {
    switch (first_signal_.load()) {
    case SIGINT:
        return "interrupt";
    case SIGTERM:
        return "terminated";
    default:
        return "";
    }
}

void SignalWatcher::on_first(std::function<void()> fn) {
    std::lock_guard lock(mutex_);
    on_first_ = std::move(fn);
    if (count_.load() > 0 && on_first_) {
        on_first_();
    }
}

void SignalWatcher::clear() {
    std::lock_guard lock(mutex_);
    on_first_ = nullptr;
}

} // namespace volley::app
