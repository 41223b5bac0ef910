#pragma once

// Ctrl-C and SIGTERM for `volley run` (k6-behaviour.md §5.8): the first one stops the test
// gracefully (the summary and every output are still written), a second one exits at once with
// code 105.

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace volley::app {

class SignalWatcher {
public:
    // Blocks SIGINT and SIGTERM in the calling thread (so in every thread started after it) and
    // watches them on a thread of its own. Construct it before any other thread exists.
    SignalWatcher();
    ~SignalWatcher();
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

    // What the first signal does (called on the watcher's thread). If a signal already came,
    // `fn` is called at once.
    void on_first(std::function<void()> fn);
    // Clears the callback (before what it captures dies).
    void clear();
    bool signalled() const { return count_.load() > 0; }
    // Go's name of the first signal ("interrupt", "terminated"), as k6 logs it; "" if none came.
    std::string first_signal_name() const;

private:
    void run();
    std::thread thread_;
    std::mutex mutex_;
    std::function<void()> on_first_;
    std::atomic<int> count_{0};
    std::atomic<int> first_signal_{0};
};

} // namespace volley::app
