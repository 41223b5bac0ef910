#include "app/run_command.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <cstdio>

#include "app/run_report.hpp"
#include "app/signals.hpp"
#include "app/test_setup.hpp"
#include "exec/scheduler.hpp"
#include "metrics/engine.hpp"
#include "metrics/thresholds.hpp"
#include "modules/vu_api.hpp"
#include "output/output.hpp"
#include "util/log.hpp"
#include "vu/runner.hpp"

namespace volley::app {
namespace {

metrics::Thresholds parse_thresholds(const PreparedTest& test) {
    if (test.options.no_thresholds) {
        return {};
    }
    return metrics::Thresholds::parse(test.options.thresholds, test.registry);
}

std::vector<std::unique_ptr<output::Output>> make_outputs(const RunArgs& args,
                                                          const PreparedTest& test,
                                                          const metrics::Thresholds& thresholds) {
    output::OutputParams params{test.registry, test.interner, &thresholds,
                                {test.options.system_tags.begin(), test.options.system_tags.end()}};
    return output::make_outputs(args.outputs, params);
}

// Runs the scenarios; a UserError from setup/teardown/init is rethrown after the engine and
// outputs have received everything measured.
struct Execution {
    PreparedTest& test;
    metrics::Engine& engine;
    metrics::Thresholds& thresholds;
    SignalWatcher& signals;

    exec::RunResult run(vu::Runner& runner) {
        auto scheduler_sink = engine.make_thread_sink();
        exec::Scheduler scheduler(test.options, *test.workers, *scheduler_sink,
                                  test.registry.builtins(), test.interner.intern(test.options.tags));
        signals.on_first([&] { scheduler.stop(); });
        abort_ = [&](const std::string& reason) {
            scheduler.abort(reason, ExitCode::kThresholdsFailed);
        };
        struct Clear {
            Execution& e;
            ~Clear() {
                e.signals.clear();
                std::lock_guard lock(e.abort_mutex_);
                e.abort_ = nullptr;
            }
        } clear{*this};
        return scheduler.run(runner);
    }

    // Engine tick: abortOnFail thresholds stop the test early.
    void on_tick() {
        if (thresholds.empty()) {
            return;
        }
        thresholds.evaluate(engine, engine.elapsed_seconds(), false);
        if (thresholds.should_abort()) {
            std::lock_guard lock(abort_mutex_);
            if (abort_) {
                abort_(thresholds.abort_message());
            }
        }
    }

    std::mutex abort_mutex_;
    std::function<void(const std::string&)> abort_;
};

std::int64_t now_ns() { return modules::now_unix_ns(); }

int run_prepared(const RunArgs& args, PreparedTest& test, SignalWatcher& signals) {
    metrics::Thresholds thresholds = parse_thresholds(test);
    metrics::EngineOptions engine_options;
    // Written on this thread, read on the engine's aggregation thread.
    std::atomic<Execution*> execution_ptr{nullptr};
    engine_options.on_tick = [&] {
        if (Execution* e = execution_ptr.load()) {
            e->on_tick();
        }
    };
    metrics::Engine engine(test.registry, test.interner, engine_options);
    thresholds.register_submetrics(engine);
    for (auto& out : make_outputs(args, test, thresholds)) {
        engine.add_consumer(std::move(out));
    }
    Execution execution{test, engine, thresholds, signals};
    execution_ptr.store(&execution);
    engine.start();
    engine.set_start_time(now_ns());
    auto started = std::chrono::steady_clock::now();

    FinishedRun finished;
    finished.thresholds_enabled = !test.options.no_thresholds;
    finished.has_handle_summary = test.compiled.bundle->has_function("handleSummary");
    vu::Runner runner(test.shared, *test.workers, engine);
    std::optional<UserError> failure;
    try {
        finished.result = execution.run(runner);
    } catch (const UserError& e) {
        failure = e;
    }
    runner.flush_and_stop();
    engine.set_end_time(now_ns());
    engine.stop();
    execution_ptr.store(nullptr);
    finished.duration_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (failure) {
        throw *failure; // nothing measured is lost: the outputs were flushed above
    }
    return report_run(test.options, test.registry, engine, thresholds, runner, finished);
}

} // namespace

int run_command(const RunArgs& args) {
    SignalWatcher signals; // before any other thread exists
    configure_logging(args);
    auto test = prepare_test(args);
    return run_prepared(args, *test, signals);
}

int inspect_command(const RunArgs& args) {
    configure_logging(args);
    auto test = prepare_test(args);
    std::string json = config::to_json(test->options);
    std::printf("%s\n", json.c_str());
    return 0;
}

} // namespace volley::app
