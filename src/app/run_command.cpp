#include "app/run_command.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>

#include <boost/json.hpp>

#include "app/control_surface.hpp"
#include "app/progress.hpp"
#include "app/rest_api.hpp"
#include "app/results_facts.hpp"
#include "app/run_report.hpp"
#include "app/signals.hpp"
#include "app/test_setup.hpp"
#include "exec/load_monitor.hpp"
#include "exec/scheduler.hpp"
#include "metrics/engine.hpp"
#include "metrics/thresholds.hpp"
#include "modules/vu_api.hpp"
#include "output/html_report.hpp"
#include "output/output.hpp"
#include "util/log.hpp"
#include "vu/script_runner.hpp"

#include <unistd.h>

namespace volley::app {
namespace {

metrics::Thresholds parse_thresholds(const PreparedTest& test) {
    if (test.options.no_thresholds) {
        return {};
    }
    return metrics::Thresholds::parse(test.options.thresholds, test.registry);
}

bool stdout_is_tty() {
    return isatty(fileno(stdout)) == 1;
}

std::vector<std::unique_ptr<output::Output>> make_outputs(const PreparedTest& test,
                                                          const metrics::Thresholds& thresholds,
                                                          const output::RunFacts& facts) {
    output::OutputParams params{test.registry,
                                test.interner,
                                &thresholds,
                                {test.options.system_tags.begin(), test.options.system_tags.end()}};
    params.run_facts = &facts;
    return output::make_outputs(test.outputs, params);
}

// Runs the scenarios, connecting Ctrl-C and abortOnFail thresholds to the scheduler, and
// k6/execution and the progress display (unless `quiet`) to its live state.
class Execution {
public:
    Execution(PreparedTest& test, metrics::Engine& engine, metrics::Thresholds& thresholds,
              SignalWatcher& signals, ControlSurface& surface, bool quiet)
        : test_(test), engine_(engine), thresholds_(thresholds), signals_(signals),
          surface_(surface), quiet_(quiet) {}

    // Blocking. A UserError from init, setup or teardown propagates.
    exec::RunResult run(vu::ScriptRunner& runner) {
        auto scheduler_sink = engine_.make_thread_sink();
        exec::Scheduler scheduler(test_.options, *test_.workers, *scheduler_sink,
                                  test_.registry.builtins(),
                                  test_.interner.intern(test_.options.tags), nullptr,
                                  [this](const config::ScenarioConfig& sc) { return tags_of(sc); });
        signals_.on_first([&] { scheduler.stop(); });
        set_scheduler(&scheduler);
        surface_.attach(scheduler);
        test_.control.state = &scheduler.state();
        test_.control.abort = [&scheduler](const std::string& reason) {
            scheduler.abort(reason, ExitCode::kScriptAborted);
        };
        test_.control.scenario_progress = [&scheduler](const std::string& name) {
            return scheduler.scenario_progress(name);
        };
        struct Clear { // every VU has returned when run() does
            Execution& e;
            ~Clear() {
                e.surface_.detach();
                e.signals_.clear();
                e.set_scheduler(nullptr);
                e.test_.control.abort = nullptr;
                e.test_.control.scenario_progress = nullptr;
                e.test_.control.state = nullptr;
            }
        } clear{*this};
        auto progress = quiet_ ? nullptr : show_progress(scheduler); // dies before `scheduler`
        auto result = scheduler.run(runner);
        scenarios_start_ns_ = scheduler.state().test_start_unix_ms.load() * 1'000'000;
        return result;
    }

    // When the first scenario started (ns since the Unix epoch); 0 if none did.
    std::int64_t scenarios_start_ns() const { return scenarios_start_ns_; }

    // The live progress of `scheduler` on stdout until the returned display is destroyed.
    std::unique_ptr<ProgressDisplay> show_progress(const exec::Scheduler& scheduler) const {
        ProgressDisplay::Settings settings;
        settings.tty = stdout_is_tty();
        settings.max_duration = max_test_duration(test_.options);
        return std::make_unique<ProgressDisplay>([&scheduler] { return scheduler.snapshot(); },
                                                 settings, stdout);
    }

    // Engine tick (aggregation thread): abortOnFail thresholds stop the test early.
    void on_tick() {
        if (thresholds_.empty()) {
            return;
        }
        thresholds_.evaluate(engine_, engine_.elapsed_seconds(), false);
        if (thresholds_.should_abort()) {
            std::lock_guard lock(mutex_);
            if (scheduler_ != nullptr) {
                scheduler_->abort(thresholds_.abort_message(), ExitCode::kThresholdsFailed);
            }
        }
    }

private:
    // Tags of the samples a scenario emits itself (dropped_iterations).
    metrics::TagSetId tags_of(const config::ScenarioConfig& sc) {
        metrics::TagMap tags = test_.options.tags;
        for (const auto& [k, v] : sc.tags) {
            tags[k] = v;
        }
        if (test_.options.system_tags.count("scenario") != 0) {
            tags["scenario"] = sc.name;
        }
        return test_.interner.intern(tags);
    }

    void set_scheduler(exec::Scheduler* s) {
        std::lock_guard lock(mutex_);
        scheduler_ = s;
    }

    PreparedTest& test_;
    metrics::Engine& engine_;
    metrics::Thresholds& thresholds_;
    SignalWatcher& signals_;
    ControlSurface& surface_;
    bool quiet_;
    std::mutex mutex_;
    exec::Scheduler* scheduler_ = nullptr; // under mutex_
    std::int64_t scenarios_start_ns_ = 0;
};

// k6's --linger: the test is over, its summary and outputs written; the REST API stays up until
// Ctrl-C (at once if one came during the test). The exit code stays the test's.
void linger(SignalWatcher& signals, bool quiet) {
    if (!quiet) {
        std::puts("The test is done, but --linger was enabled, so k6 is waiting for Ctrl+C to "
                  "continue...");
        std::fflush(stdout);
    }
    std::mutex mutex;
    std::condition_variable cv;
    bool signalled = false;
    signals.on_first([&] {
        std::lock_guard lock(mutex);
        signalled = true;
        cv.notify_all();
    });
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return signalled; });
    lock.unlock();
    signals.clear();
}

std::int64_t now_ns() {
    return now_unix_ns();
}

// The banner and the execution description on stdout, unless --quiet.
void print_intro(const RunArgs& args, const PreparedTest& test,
                 const std::vector<std::string>& output_descriptions) {
    if (test.options.quiet) {
        return;
    }
    std::string intro =
        banner() + execution_description(test.options, args.script, output_descriptions);
    std::fputs(intro.c_str(), stdout);
    std::fflush(stdout);
}

// --insight: each worker's load ticks as generator_lag and generator_cpu samples, tagged with
// the run's tags and the worker's number; nothing without it.
exec::LoadMonitor::OnTick load_metrics(PreparedTest& test, metrics::Engine& engine) {
    if (!test.insight) {
        return {};
    }
    std::vector<metrics::TagSetId> tags;
    for (std::size_t w = 0; w < test.workers->size(); ++w) {
        metrics::TagMap map = test.options.tags;
        map["worker"] = std::to_string(w + 1);
        tags.push_back(test.interner.intern(map));
    }
    return [&engine, ids = *test.insight, tags](std::size_t w, const exec::LoadTick& t) {
        const metrics::Sample samples[] = {
            {ids.generator_lag, tags[w], t.end_ns, t.lag_ms},
            {ids.generator_cpu, tags[w], t.end_ns, t.cpu_share * 100}};
        engine.add(samples);
    };
}

// The --out outputs, given to `engine`; the HTML reports are also kept in `finished` (written
// after the summary). Returns their banner descriptions.
std::vector<std::string> add_outputs(PreparedTest& test, const metrics::Thresholds& thresholds,
                                     const output::RunFacts& facts, metrics::Engine& engine,
                                     FinishedRun& finished) {
    std::vector<std::string> descriptions;
    for (auto& out : make_outputs(test, thresholds, facts)) {
        descriptions.push_back(out->description());
        if (auto* report = dynamic_cast<output::HtmlReport*>(out.get())) {
            finished.html_reports.push_back(report); // the engine keeps it alive
        }
        engine.add_consumer(std::move(out));
    }
    return descriptions;
}

// What the end of the run needs to know of the test before it starts.
void describe_run(const RunArgs& args, const PreparedTest& test, std::int64_t start_ns,
                  FinishedRun& finished) {
    finished.thresholds_enabled = !test.options.no_thresholds;
    finished.has_handle_summary = test.compiled.bundle->has_function("handleSummary");
    finished.report_facts.script = args.script;
    finished.report_facts.options_json = test.control.options_json;
    finished.report_facts.start_ns = start_ns;
    finished.report_facts.insight = test.insight.has_value();
}

int run_prepared(const RunArgs& args, PreparedTest& test, SignalWatcher& signals) {
    metrics::Thresholds thresholds = parse_thresholds(test);
    output::RunFacts facts = results_facts(test); // read by `--out results=FILE` in engine.stop()
    metrics::EngineOptions engine_options;
    // Per-group and per-scenario aggregates only feed the full summary.
    engine_options.breakdown = test.options.summary_mode == "full";
    // Written on this thread, read on the engine's aggregation thread.
    std::atomic<Execution*> execution_ptr{nullptr};
    engine_options.on_tick = [&] {
        if (Execution* e = execution_ptr.load()) {
            e->on_tick();
        }
    };
    metrics::Engine engine(test.registry, test.interner, engine_options);
    thresholds.register_submetrics(engine);
    if (test.options.system_tags.count("expected_response") != 0) {
        engine.add_summary_submetric(test.registry.builtins().http_req_duration,
                                     {{"expected_response", "true"}},
                                     "http_req_duration{expected_response:true}");
    }
    FinishedRun finished;
    print_intro(args, test, add_outputs(test, thresholds, facts, engine, finished));
    ControlSurface surface(test.options, thresholds, args.paused);
    std::optional<RestApi> api;
    if (args.address || args.paused) {
        // Without --address, a paused test listens where k6 always does, or it could never start.
        api.emplace(args.address.value_or("localhost:6565"), surface);
    }
    Execution execution(test, engine, thresholds, signals, surface, test.options.quiet);
    execution_ptr.store(&execution);
    engine.start();
    facts.start_ns = now_ns();
    engine.set_start_time(facts.start_ns);
    auto started = std::chrono::steady_clock::now();

    describe_run(args, test, facts.start_ns, finished);
    vu::ScriptRunner runner(test.shared, *test.workers, engine);
    facts.setup_data = [&runner] { return runner.setup_data(); };
    exec::LoadMonitor monitor(*test.workers, load_metrics(test, engine));
    std::optional<UserError> failure;
    try {
        finished.result = execution.run(runner);
    } catch (const UserError& e) {
        failure = e;
    }
    monitor.stop();
    runner.flush_and_stop();
    facts.end_ns = now_ns();
    std::int64_t window_start = execution.scenarios_start_ns();
    finished.saturation = exec::judge_saturation(
        monitor.ticks(), window_start != 0 ? window_start : facts.start_ns, facts.end_ns);
    engine.set_end_time(facts.end_ns);
    engine.stop();
    facts.setup_data = nullptr; // `runner` dies first
    execution_ptr.store(nullptr);
    finished.duration_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (failure) {
        report_failed_run(finished, failure->what());
        throw *failure; // nothing measured is lost: the outputs were flushed above
    }
    finished.marked_failed = test.control.failed.load();
    finished.stop_signal = signals.first_signal_name();
    int code = report_run(test.options, test.registry, engine, thresholds, runner, finished);
    if (test.linger) {
        linger(signals, test.options.quiet);
    }
    return code;
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
    if (args.execution_requirements) {
        // k6's inspectOutputWithExecRequirements: the options plus what the k6-operator reads.
        auto doc = boost::json::parse(json).as_object();
        doc["totalDuration"] = config::format_duration(max_test_duration(test->options));
        doc["maxVUs"] = exec::planned_vus(test->options.scenarios, test->options.execution, true);
        json = boost::json::serialize(doc);
    }
    std::printf("%s\n", json.c_str());
    return 0;
}

} // namespace volley::app
