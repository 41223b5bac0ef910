#pragma once

// What `volley run` shows on stdout before and during the test, as k6 does (k6-behaviour.md §5.7):
// the banner, the execution description, and the live progress of every scenario (updated in place
// about every 100 ms on a terminal, as plain lines about once a second otherwise). `--quiet` turns
// all of it off; the caller decides.

#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/options.hpp"
#include "exec/run_snapshot.hpp"

namespace volley::app {

// The text logo printed before the description.
std::string banner();

// k6's one-line description of a scenario, e.g. `1 iterations for each of 1 VUs (maxDuration:
// 10m0s, gracefulStop: 30s)` or `10 looping VUs for 30s (gracefulStop: 30s)`.
std::string scenario_description(const config::ScenarioConfig& sc,
                                 const config::ExecutionTuple& tuple = config::ExecutionTuple());

// The longest any scenario may run, from the start of the scenarios: the largest
// startTime + duration + gracefulStop (k6's "max duration (incl. graceful stop)").
exec::Duration max_test_duration(const config::RunOptions& options);

// The block printed before the test: `execution: local`, `script: <path>`, `output: <outputs
// joined, or ->`, the scenarios line and one `* <name>: <description>` line per scenario.
std::string execution_description(const config::RunOptions& options, const std::string& script,
                                  const std::vector<std::string>& outputs);

// The progress lines for `snap`: `running (0m03.1s), 02/10 VUs, 42 complete and 0 interrupted
// iterations` and one bar line per scenario. `max_duration` sets the width of time fields.
std::vector<std::string> render_progress(const exec::RunSnapshot& snap,
                                         exec::Duration max_duration);

// Draws render_progress() of `source()` to `out` on its own thread until stop(): in place every
// `tty_period` when `tty` (ANSI cursor movement), else as new lines every `plain_period`.
// stop() (also from the destructor) joins the thread and draws the final state once; call it
// before printing anything else to `out` (the summary). Construct and stop on one thread;
// `source` is called on the display thread and must be thread-safe.
class ProgressDisplay {
public:
    struct Settings {
        bool tty = false;
        exec::Duration max_duration{0};
        exec::Duration tty_period = std::chrono::milliseconds(100);
        exec::Duration plain_period = std::chrono::seconds(1);
    };

    ProgressDisplay(std::function<exec::RunSnapshot()> source, Settings settings, std::FILE* out);
    ~ProgressDisplay();
    ProgressDisplay(const ProgressDisplay&) = delete;
    ProgressDisplay& operator=(const ProgressDisplay&) = delete;

    void stop();

private:
    void loop();
    void draw();

    std::function<exec::RunSnapshot()> source_;
    Settings settings_;
    std::FILE* out_;
    std::size_t drawn_lines_ = 0; // lines of the last in-place frame (display thread)
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false; // under mutex_
    std::thread thread_;
};

} // namespace volley::app
