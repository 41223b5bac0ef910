#pragma once

// What a module may ask of the VU it runs in (docs/architecture.md, "Folders and the dependency
// rule"): the JS context, samples and tags, suspension, and plain execution facts. Modules never
// include exec/ or vu/. The VU attaches itself to its js::Runtime (Runtime::set_user), so a
// native function finds it with VuApi::of(ctx). Every member is called on the VU's own thread and
// coroutine.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "quickjs.h"
#include <boost/asio/io_context.hpp>
#include <boost/asio/spawn.hpp>

#include "js/event_loop.hpp"
#include "js/runtime.hpp"
#include "metrics/registry.hpp"
#include "metrics/sample.hpp"
#include "metrics/tags.hpp"
#include "modules/insight.hpp"
#include "net/ip_pool.hpp"
#include "util/coroutine.hpp"
#include "util/time.hpp"

namespace volley::net {
class TlsConfig;
class DialPolicy;
class DnsResolver;
class HttpClient;
class CookieJar;
} // namespace volley::net

namespace volley::modules {

class HttpState;
class SharedArrayStore;
class WsDebugLog;
class ConsoleFile;
class RpsLimit;

// Options the modules read, from the consolidated run options.
struct ModuleSettings {
    bool throw_errors = false;                    // --throw / options.throw
    std::string user_agent = "Grafana k6/1.6.1";  // options.userAgent
    std::string http_debug;                       // options.httpDebug ("" = off)
    bool insecure_skip_tls_verify = false;        // options.insecureSkipTLSVerify
    std::set<std::string> system_tags;            // enabled system tags
    std::map<std::string, std::string> run_tags;  // options.tags / --tag
    const net::TlsConfig* tls = nullptr;          // wss and https: null = system roots
    const net::DialPolicy* dial_policy = nullptr; // hosts, blacklistIPs, blockHostnames
    const net::IpPool* local_ips = nullptr;       // --local-ips; null when not given
    net::DnsResolver* dns = nullptr;              // options.dns; null: k6's defaults
    std::int64_t max_redirects = 10;              // options.maxRedirects
    bool max_redirects_set = false;               // given (k6 warns when the default stops)
    bool discard_response_bodies = false;         // options.discardResponseBodies
    std::int64_t batch = 20;                      // options.batch
    std::int64_t batch_per_host = 6;              // options.batchPerHost
    RpsLimit* rps_limit = nullptr;                // options.rps; null when unlimited
    bool no_connection_reuse = false;             // options.noConnectionReuse
    bool no_vu_connection_reuse = false;          // options.noVUConnectionReuse
    bool no_cookies_reset = false;                // options.noCookiesReset
    const InsightMetrics* insight = nullptr;      // --insight; null when off
    WsDebugLog* ws_debug = nullptr;               // --ws-debug; null when off
    ConsoleFile* console_file = nullptr;          // --console-output; null when off
};

// Facts for k6/execution about the iteration that is running (a plain copy, no exec/ types).
struct ExecutionInfo {
    std::string scenario = "default";
    std::string executor;
    std::uint64_t iteration_in_scenario = 0;
    std::uint64_t iteration_in_instance = 0;
    std::uint64_t iteration_in_test = 0;
    std::int64_t scenario_start_unix_ms = 0;
};

// Instance-wide counters for k6/execution's `instance` (a copy taken when asked).
struct InstanceInfo {
    std::uint64_t vus_active = 0;
    std::uint64_t vus_initialized = 0;
    std::uint64_t iterations_completed = 0;
    std::uint64_t iterations_interrupted = 0;
    std::int64_t test_start_unix_ms = 0; // 0 until the first scenario starts
};

class VuApi {
public:
    virtual ~VuApi() = default;

    // The VU running `ctx` (attached with js::Runtime::set_user).
    static VuApi& of(JSContext* ctx) { return *static_cast<VuApi*>(js::Runtime::of(ctx).user()); }

    virtual JSContext* context() = 0;
    // __VU: 1-based; 0 in setup, teardown and the options-reading init context.
    virtual std::uint64_t id() const = 0;
    // exec.vu.idInTest: the id among the VUs of every instance of a segmented test.
    virtual std::uint64_t id_in_test() const { return id(); }
    // __ITER: 0-based iteration count of this VU.
    virtual std::uint64_t iteration() const = 0;
    // True while the init context (module top level) runs.
    virtual bool in_init_context() const = 0;
    virtual const ModuleSettings& settings() const = 0;
    virtual const ExecutionInfo& execution() const = 0;
    // exec.scenario.progress: how far the current scenario is (0..1), read live from the
    // scheduler (iterations done for iteration-based executors, time elapsed otherwise);
    // 0 outside a scheduled run.
    virtual double scenario_progress() const = 0;
    // Contents of a file for open(), read from disk once per test and shared by all VUs;
    // nullptr with `error` set when it cannot be read.
    virtual std::shared_ptr<const std::string> read_file(const std::string& abs_path,
                                                         std::string* error) = 0;
    // Directory of the entry script, for resolving open() paths.
    virtual const std::string& script_dir() const = 0;
    // k6/data's SharedArrays: one store per test, shared by every VU and the init-only runtime.
    virtual SharedArrayStore& shared_arrays() = 0;

    // --- the test as a whole (k6/execution) ---
    virtual InstanceInfo instance() const = 0;
    // Consolidated options as JSON (test.options).
    virtual const std::string& options_json() const = 0;
    // test.abort(): stops the whole test now (exit 108); the caller then interrupts its JS.
    virtual void abort_test(const std::string& reason) = 0;
    // test.fail(): the test goes on, and ends with exit code 110.
    virtual void fail_test() = 0;

    // --- metrics ---
    virtual metrics::Registry& registry() = 0;
    virtual metrics::TagInterner& interner() = 0;
    // The VU's current tags (run tags, scenario tags, system tags scenario/group, vu.tags).
    virtual const metrics::TagMap& tags() const = 0;
    // tags() interned (cached until the tags change).
    virtual metrics::TagSetId tag_set() = 0;
    // tags() with `extra` laid over them (extra wins), interned. Cached per VU: a session's or a
    // check's tags usually repeat every iteration, so the hot path neither copies the VU's tags
    // nor takes the interner's lock.
    virtual metrics::TagSetId tag_set_with(const metrics::TagMap& extra) = 0;
    // Sets one VU tag (exec.vu.tags[key] = value).
    virtual void set_tag(const std::string& key, const std::string& value) = 0;
    // Removes one VU tag if present (delete exec.vu.tags[key]).
    virtual void delete_tag(const std::string& key) = 0;
    // Current group path ("" at the root, "::a::b" nested); also updates the `group` tag.
    virtual const std::string& group_path() const = 0;
    virtual void set_group_path(const std::string& path) = 0;
    // Adds one sample; dropped when the VU has been interrupted (k6's PushIfNotDone).
    virtual void emit(metrics::MetricId metric, metrics::TagSetId tags, double value,
                      std::int64_t time_ns) = 0;

    // --- k6/http, and the cookies k6/ws shares with it ---
    virtual HttpState& http_state() = 0;
    // The VU's HTTP client and cookie jar (modules/http_state.hpp).
    net::HttpClient& http_client();
    net::CookieJar& cookie_jar();
    // The address this VU dials from, as k6 deals --local-ips: VU n takes the pool's (n-1)th
    // (setup and teardown the first); nullopt without --local-ips.
    std::optional<boost::asio::ip::address> local_ip() const {
        const net::IpPool* pool = settings().local_ips;
        if (pool == nullptr) {
            return std::nullopt;
        }
        return pool->at(id() == 0 ? 0 : id() - 1);
    }

    // Bytes written/read on the network for this VU (data_sent/data_received); the VU emits the
    // sums at the end of each iteration, as k6 does.
    virtual void count_bytes(std::uint64_t sent, std::uint64_t received) = 0;

    // --- time and suspension ---
    // The VU's event loop (timers, k6/websockets): js/event_loop.hpp.
    virtual js::EventLoop& event_loop() = 0;
    virtual boost::asio::io_context& io() = 0;
    // The coroutine running JS now, for one suspension: pass it straight to the call that
    // suspends (`client.wait(deadline, vu.yield())`), never keep it. Until the end of that full
    // expression other VUs sharing the JS runtime may run; then this VU's JS state is put back
    // (js::Runtime::Suspension). Valid only while JS runs from run_iteration/setup/teardown.
    class SuspendingYield {
    public:
        SuspendingYield(js::Runtime& rt, Yield& yield) : suspension_(rt), yield_(yield) {}
        operator Yield&() const { return yield_; } // NOLINT(google-explicit-constructor)
        auto operator[](boost::system::error_code& ec) const { return yield_[ec]; }

    private:
        js::Runtime::Suspension suspension_;
        Yield& yield_;
    };
    virtual SuspendingYield yield() = 0;
    virtual bool interrupted() const = 0;
    // Suspends the VU's coroutine (never the thread); returns early when interrupted.
    virtual void sleep(double seconds) = 0;
    // A hook run on the VU's thread when the VU is interrupted (e.g. close a socket). Returns an
    // id for remove_interrupt_hook(); hooks must be removed before what they capture dies.
    virtual int add_interrupt_hook(std::function<void()> hook) = 0;
    virtual void remove_interrupt_hook(int id) = 0;
};

// Tags given by a script (ws.connect params.tags, check's tags, metric.add's tags): string,
// number and boolean values are stringified; anything else throws js::Error with k6's text,
// prefixed by `prefix` (e.g. "invalid ws.connect() metric tags: "). Nullish `obj` adds nothing.
void apply_user_tags(JSContext* ctx, JSValueConst obj, metrics::TagMap& tags,
                     const std::string& prefix);

} // namespace volley::modules
