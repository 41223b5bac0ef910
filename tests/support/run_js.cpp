#include "run_js.hpp"

#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <optional>
#include <random>

#include "config/options.hpp"
#include "exec/workers.hpp"
#include "modules/globals.hpp"
#include "util/error.hpp"
#include "vu/vu_factory.hpp"

namespace volley::test {
namespace {

std::filesystem::path temp_dir() {
    std::random_device rd;
    auto dir = std::filesystem::temp_directory_path() /
               ("volley-js-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir);
    return dir;
}

void write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p) << text;
}

void ensure_modules() {
    static bool done = [] {
        modules::register_all();
        return true;
    }();
    (void)done;
}

} // namespace

modules::ModuleSettings JsOptions::default_settings() {
    modules::ModuleSettings s;
    s.system_tags = config::default_system_tags(); // k6's defaults, as a real run
    return s;
}

std::vector<NamedSample> resolve(const std::vector<metrics::Sample>& samples,
                                 const metrics::Registry& registry,
                                 const metrics::TagInterner& interner) {
    std::vector<NamedSample> out;
    for (const auto& s : samples) {
        out.push_back({registry.def(s.metric).name, interner.get(s.tags), s.value});
    }
    return out;
}

std::vector<NamedSample> only(const std::vector<NamedSample>& samples, const std::string& metric) {
    std::vector<NamedSample> out;
    for (const auto& s : samples) {
        if (s.metric == metric) {
            out.push_back(s);
        }
    }
    return out;
}

JsRun run_js(const std::string& source, const JsOptions& options) {
    ensure_modules();
    auto dir = temp_dir();
    write(dir / "script.js", source);
    for (const auto& [name, text] : options.extra_files) {
        write(dir / name, text);
    }
    metrics::Registry registry;
    metrics::TagInterner interner;
    SampleCapture capture;
    vu::VuShared shared;
    shared.env = options.env;
    shared.settings = options.settings;
    std::optional<modules::InsightMetrics> insight;
    if (options.insight) {
        insight = modules::define_insight_metrics(registry);
        shared.settings.insight = &*insight;
    }
    shared.registry = &registry;
    shared.interner = &interner;
    JsRun run;
    {
        exec::Workers workers(1);
        std::promise<void> done;
        auto finished = done.get_future();
        std::mutex vu_mutex;
        exec::Vu* running = nullptr;
        auto& io = workers.context(0);
        workers.spawn(0, [&](Yield yield) {
            try {
                auto compiled =
                    vu::compile_script(shared, (dir / "script.js").string(), io, capture, yield);
                run.options_json = compiled.options_json;
                shared.bundle = compiled.bundle;
                for (int id = 1; id <= options.vus; ++id) {
                    auto vu =
                        vu::make_vu(shared, static_cast<std::uint64_t>(id), 0, io, capture, yield);
                    {
                        std::lock_guard lock(vu_mutex);
                        running = vu.get();
                    }
                    std::string scenario = "default";
                    std::string exec_name = "default";
                    std::string executor = "per-vu-iterations";
                    for (int i = 0; i < options.iterations; ++i) {
                        exec::IterationContext ctx;
                        ctx.scenario = &scenario;
                        ctx.exec = &exec_name;
                        ctx.executor = &executor;
                        ctx.iteration_in_scenario = static_cast<std::uint64_t>(i);
                        run.results.push_back(vu->run_iteration(ctx, yield));
                    }
                    std::lock_guard lock(vu_mutex);
                    running = nullptr;
                }
            } catch (const UserError& e) {
                run.error = e.what();
            }
            done.set_value();
        });
        // The watchdog runs on this thread: a VU in a busy loop never lets its own worker run
        // a timer.
        // Interrupts are re-sent every 20 ms, as the scheduler does: one that lands just before
        // an iteration starts is cleared by it.
        if (finished.wait_for(options.timeout) == std::future_status::timeout) {
            while (finished.wait_for(std::chrono::milliseconds(20)) ==
                   std::future_status::timeout) {
                std::lock_guard lock(vu_mutex);
                if (running != nullptr) {
                    running->interrupt();
                }
            }
        }
        workers.stop();
    }
    std::filesystem::remove_all(dir);
    run.samples = resolve(capture.samples(), registry, interner);
    return run;
}

} // namespace volley::test
