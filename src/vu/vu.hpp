#pragma once

// A virtual user: one QuickJS runtime + context running the script's bytecode
// (docs/architecture.md, "Measured choices"), driven by the scheduler through exec::Vu and seen
// by modules through modules::VuApi.
// Created, used and destroyed on its worker thread; only interrupt() may be called elsewhere.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "exec/execution_state.hpp"
#include "exec/vu.hpp"
#include "js/event_loop.hpp"
#include "js/runtime.hpp"
#include "js/script_error.hpp"
#include "js/value.hpp"
#include "metrics/registry.hpp"
#include "metrics/sample.hpp"
#include "metrics/tags.hpp"
#include "modules/http_state.hpp"
#include "modules/shared_array_store.hpp"
#include "modules/vu_api.hpp"
#include "script/bundle.hpp"

namespace volley::vu {

// A new __ENV object: `base` overlaid with `extra` (a scenario's env; may be null).
JSValue env_object(JSContext* ctx, const std::map<std::string, std::string>& base,
                   const std::map<std::string, std::string>* extra);

// Hooks from the VUs to the running test (k6/execution). All thread-safe; any may be unset.
struct TestControl {
    const exec::ExecutionState* state = nullptr;                 // the scheduler's counters
    std::function<void(const std::string&)> abort;               // test.abort(reason)
    std::atomic<bool> failed{false};                             // test.fail() was called
    std::string options_json = "{}";                             // test.options
    std::function<double(const std::string&)> scenario_progress; // by scenario name, 0..1
    // exec.vu.idInTest of the VU with this (1-based) idInInstance: its place among the VUs of
    // every instance of a segmented test. Unset: the same id.
    std::function<std::uint64_t(std::uint64_t)> id_in_test;
};

// VUs of one worker thread whose JS contexts share a QuickJS runtime (js/runtime_group.hpp): the
// runtime's own memory (atoms, shapes, class tables) is paid once per group, and its garbage
// collection walks only the group's heaps (docs/performance.md, "VU memory").
inline constexpr std::size_t kContextsPerRuntime = 16;

// The JS heap a VU may use before the test stops (docs/reliability.md): a script that
// allocates without end stops with a clear error instead of taking the machine down. k6 has no
// such limit; VOLLEY_VU_MEMORY_LIMIT changes it.
inline constexpr std::size_t kVuMemoryLimitMiB = 1024;

inline js::RuntimeOptions vu_runtime_options() {
    js::RuntimeOptions o;
    o.contexts_per_runtime = kContextsPerRuntime;
    o.memory_limit = kVuMemoryLimitMiB << 20;
    return o;
}

// What every VU of a test shares; immutable while VUs exist (but for TestControl's atomics).
struct VuShared {
    std::shared_ptr<const script::Bundle> bundle; // null only while the bundle is being built
    std::map<std::string, std::string> env;       // __ENV
    modules::ModuleSettings settings;
    metrics::Registry* registry = nullptr;
    metrics::TagInterner* interner = nullptr;
    js::RuntimeOptions runtime_options = vu_runtime_options();
    script::LoadOptions load; // where remote modules come from (compiling only)
    std::chrono::nanoseconds min_iteration_duration{0}; // minIterationDuration
    TestControl* control = nullptr;                     // null in tests without a scheduler
    // k6/data's SharedArrays, built once per test (shared_ptr: VuShared stays copyable).
    std::shared_ptr<modules::SharedArrayStore> shared_arrays =
        std::make_shared<modules::SharedArrayStore>();
};

// What handleSummary(data) returned (k6-behaviour.md §5.4).
struct HandleSummaryResult {
    bool defined = false;  // the script exports handleSummary
    bool replaces = false; // it returned a truthy object: no default summary
    std::vector<std::pair<std::string, std::string>> outputs; // "stdout"/"stderr"/path -> data
    std::string error;      // what it threw, or why its result was refused ("" if fine)
    bool threw = false;     // `error` is what it threw (then the default summary still comes)
    bool timed_out = false; // stopped after the timeout: nothing of it is used (not even replaces)
};

class Vu final : public exec::Vu, public modules::VuApi {
public:
    // Creates the runtime and runs the init context on the calling coroutine, loading modules
    // from `source` (a BundleSource, or the BundleBuilder while compiling). Throws UserError
    // (exit 107) when the init context throws.
    Vu(const VuShared& shared, std::uint64_t id, std::size_t worker, boost::asio::io_context& io,
       metrics::SampleSink& sink, std::unique_ptr<script::EntrySource> source, Yield yield);
    ~Vu() override;

    // --- exec::Vu ---
    std::uint64_t id() const override { return id_; }
    std::uint64_t id_in_test() const override;
    std::size_t worker() const override { return worker_; }
    exec::IterationResult run_iteration(const exec::IterationContext& ctx, Yield yield) override;
    void interrupt() override;

    // Calls the exported function `name` once with `arg_json` parsed as its argument (or no
    // argument when empty), with the group tag set to `group` (k6 uses ::setup/::teardown).
    // Returns JSON.stringify of the result ("" when undefined). Throws UserError (exit 107)
    // when the function throws; for setup(), exit 255 when its value is not JSON data (a
    // function anywhere in it, a cycle), as k6 fails to marshal it.
    std::string call_lifecycle(const std::string& name, const std::string& arg_json,
                               const std::string& group, Yield yield);

    // Calls handleSummary(JSON.parse(data_json)) if the script exports it.
    HandleSummaryResult call_handle_summary(const std::string& data_json, Yield yield);

    // The module namespace's `options` as JSON ("{}" when absent) and exported function names.
    std::string exported_options_json();
    std::set<std::string> exported_functions();

    // Where setup()'s result (JSON) will be: read at the first iteration, parsed once per VU.
    // VUs are created before setup() runs, as in k6. `json` must outlive the VU.
    void set_setup_data(const std::string* json) { setup_json_ = json; }

    // --- modules::VuApi ---
    JSContext* context() override { return rt_->context(); }
    std::uint64_t iteration() const override { return iteration_; }
    bool in_init_context() const override { return in_init_; }
    const modules::ModuleSettings& settings() const override { return shared_.settings; }
    const modules::ExecutionInfo& execution() const override { return exec_info_; }
    double scenario_progress() const override;
    std::shared_ptr<const std::string> read_file(const std::string& abs_path,
                                                 std::string* error) override;
    const std::string& script_dir() const override { return script_dir_; }
    modules::SharedArrayStore& shared_arrays() override { return *shared_.shared_arrays; }
    metrics::Registry& registry() override { return *shared_.registry; }
    metrics::TagInterner& interner() override { return *shared_.interner; }
    const metrics::TagMap& tags() const override { return tags_; }
    metrics::TagSetId tag_set() override;
    metrics::TagSetId tag_set_with(const metrics::TagMap& extra) override;
    void set_tag(const std::string& key, const std::string& value) override;
    void delete_tag(const std::string& key) override;
    const std::string& group_path() const override { return group_; }
    void set_group_path(const std::string& path) override;
    void emit(metrics::MetricId metric, metrics::TagSetId tags, double value,
              std::int64_t time_ns) override;
    modules::HttpState& http_state() override { return http_state_; }
    js::EventLoop& event_loop() override { return *loop_; }
    void count_bytes(std::uint64_t sent, std::uint64_t received) override {
        bytes_sent_ += sent;
        bytes_received_ += received;
    }
    modules::InstanceInfo instance() const override;
    const std::string& options_json() const override;
    void abort_test(const std::string& reason) override;
    // The runtime hit its memory limit: the test stops with an error naming the limit.
    void stop_at_memory_limit();
    void fail_test() override;
    boost::asio::io_context& io() override { return io_; }
    SuspendingYield yield() override;
    bool interrupted() const override { return interrupted_.load(std::memory_order_relaxed); }
    void sleep(double seconds) override;
    int add_interrupt_hook(std::function<void()> hook) override;
    void remove_interrupt_hook(int id) override;

private:
    static std::string setup_data_json(JSContext* ctx, JSValueConst data);
    void init(Yield yield);
    // The shared bundle, or the one being built when this VU compiles the script.
    const script::Bundle& bundle() const;
    void set_globals();
    void reset_tags(const exec::IterationContext* ctx);
    void set_iteration_globals(const exec::IterationContext& ctx);
    js::Value& iteration_argument();
    void log_iteration_error(const js::ScriptError& err, const exec::IterationContext& ctx);
    void emit_iteration_samples(bool completed, double duration_ms);
    void run_interrupt_hooks();
    void clear_interrupt();
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    // Calls `call` as the first task of the event loop and runs the loop until it is empty
    // (k6's runFn); `result` is what `call` returned (a promise's result). Returns the error
    // that ended the run early (a throw, an unhandled rejection, an interrupt), if any.
    std::optional<js::ScriptError> run_on_loop(const std::function<JSValue(JSContext*)>& call,
                                               js::Value& result, Yield yield);

    const VuShared& shared_;
    std::uint64_t id_;
    std::size_t worker_;
    boost::asio::io_context& io_;
    metrics::SampleSink& sink_;
    std::string script_dir_;
    std::unique_ptr<js::Runtime> rt_; // declared before every js::Value: destroyed after them
    std::unique_ptr<js::EventLoop> loop_;
    std::unique_ptr<script::EntrySource> source_;
    js::Value exports_;    // the entry module's namespace object
    js::Value setup_data_; // parsed setup() result for this VU
    const std::string* setup_json_ = nullptr;
    const std::map<std::string, std::string>* env_scenario_ = nullptr;
    bool in_init_ = true;
    Yield* yield_ = nullptr;
    std::atomic<bool> interrupted_{false};
    SteadyTimer sleep_timer_;
    std::map<int, std::function<void()>> hooks_;
    int next_hook_ = 1;
    metrics::TagMap tags_;
    std::optional<metrics::TagSetId> tag_set_;
    // tag_set_with() results for the current tag_set_ (cleared when it changes), newest last.
    struct DerivedTags {
        metrics::TagMap extra;
        metrics::TagSetId id;
    };
    static constexpr std::size_t kMaxDerivedTags = 16;
    std::vector<DerivedTags> derived_tags_;
    std::optional<metrics::TagSetId> derived_base_;
    const std::string* tags_scenario_ = nullptr;
    std::string group_;
    modules::ExecutionInfo exec_info_;
    std::uint64_t iteration_ = 0;
    std::uint64_t bytes_sent_ = 0;
    std::uint64_t bytes_received_ = 0;
    modules::HttpState http_state_;
};

} // namespace volley::vu
