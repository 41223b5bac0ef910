#include "app/test_setup.hpp"

#include <filesystem>
#include <future>
#include <optional>
#include <thread>

#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include "app/archive.hpp"
#include "app/dial_options.hpp"
#include "app/log_output.hpp"
#include "app/tls_options.hpp"
#include "config/cli_flags.hpp"
#include "config/config_file.hpp"
#include "config/go_parse.hpp"
#include "config/merge.hpp"
#include "modules/globals.hpp"
#include "net/tls.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

extern char** environ;

namespace volley::app {
namespace {

std::map<std::string, std::string> process_env() {
    std::map<std::string, std::string> env;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        std::string kv(*e);
        auto eq = kv.find('=');
        if (eq != std::string::npos) {
            env[kv.substr(0, eq)] = kv.substr(eq + 1);
        }
    }
    return env;
}

// A whole number from `lo` to `hi` in the environment variable `name`, or `otherwise` if unset.
std::size_t env_count(const std::map<std::string, std::string>& env, const std::string& name,
                      std::size_t lo, std::size_t hi, std::size_t otherwise,
                      const std::string& what) {
    auto it = env.find(name);
    if (it == env.end()) {
        return otherwise;
    }
    std::size_t pos = 0;
    unsigned long n = 0;
    try {
        n = std::stoul(it->second, &pos);
    } catch (const std::exception&) {
        pos = 0;
    }
    if (pos == 0 || pos != it->second.size() || n < lo || n > hi) {
        throw UserError("invalid " + name + " '" + it->second + "'",
                        "use a whole number of " + what + " from " + std::to_string(lo) + " to " +
                            std::to_string(hi));
    }
    return n;
}

// Worker threads: one per core, or VOLLEY_WORKERS (1..256) when set.
std::size_t worker_count(const std::map<std::string, std::string>& env) {
    return env_count(env, "VOLLEY_WORKERS", 1, 256,
                     std::max(1u, std::thread::hardware_concurrency()), "worker threads");
}

// VUs of a thread whose JS contexts share a QuickJS runtime: vu::kContextsPerRuntime, or
// VOLLEY_CONTEXTS_PER_RUNTIME (1..1000; docs/performance.md).
std::size_t contexts_per_runtime(const std::map<std::string, std::string>& env) {
    return env_count(env, "VOLLEY_CONTEXTS_PER_RUNTIME", 1, 1000, vu::kContextsPerRuntime,
                     "VUs per JS runtime");
}

// The JS heap each VU may use, in bytes: vu::kVuMemoryLimitMiB, or VOLLEY_VU_MEMORY_LIMIT in MiB
// (0 = no limit; docs/reliability.md).
std::size_t vu_memory_limit(const std::map<std::string, std::string>& env) {
    return env_count(env, "VOLLEY_VU_MEMORY_LIMIT", 0, std::size_t{1} << 20, vu::kVuMemoryLimitMiB,
                     "MiB per VU (0: no limit)")
           << 20;
}

// Runs the script's init context once on worker 0 (as VU 0) and keeps the bytecode.
vu::CompiledScript compile(const std::string& path, const vu::VuShared& shared,
                           exec::Workers& workers, metrics::SampleSink& sink) {
    std::promise<vu::CompiledScript> result;
    workers.spawn(0, [&](Yield yield) {
        try {
            result.set_value(vu::compile_script(shared, path, workers.context(0), sink, yield));
        } catch (const UserError&) {
            result.set_exception(std::current_exception());
        }
    });
    return result.get_future().get();
}

// --module-cache DIR, else VOLLEY_MODULE_CACHE.
script::LoadOptions load_options(const RunArgs& args,
                                 const std::map<std::string, std::string>& env) {
    script::LoadOptions o;
    if (args.module_cache) {
        o.module_cache_dir = *args.module_cache;
    } else if (auto it = env.find("VOLLEY_MODULE_CACHE"); it != env.end()) {
        o.module_cache_dir = it->second;
    }
    return o;
}

// An archive's -e values, unless given again with -e.
void add_archived_env(const script::Archive& archive, const config::CliOverrides& cli,
                      std::map<std::string, std::string>& env) {
    config::CliOverrides only_flags = cli;
    only_flags.include_system_env = false;
    const auto given = config::build_env(only_flags, {});
    for (const auto& [k, v] : archive.env) {
        if (given.count(k) == 0) {
            env[k] = v;
        }
    }
}

// Samples of the options-reading init context are dropped, as in k6.
class DiscardSink : public metrics::SampleSink {
public:
    void add(const metrics::Sample&) override {}
    void flush() override {}
};

std::unique_ptr<net::TlsConfig> make_tls(const config::RunOptions& options) {
    auto made = net::TlsConfig::make(tls_options(options));
    if (!made) {
        throw UserError("invalid TLS options: " + made.error(),
                        "check tlsVersion, tlsCipherSuites and tlsAuth");
    }
    return std::move(*made);
}

modules::ModuleSettings module_settings(const config::RunOptions& options,
                                        const net::TlsConfig* tls) {
    modules::ModuleSettings s;
    s.throw_errors = options.throw_errors;
    s.user_agent = options.user_agent;
    s.http_debug = options.http_debug;
    s.insecure_skip_tls_verify = options.insecure_skip_tls_verify;
    s.system_tags = options.system_tags;
    s.run_tags = options.tags;
    s.tls = tls;
    s.max_redirects = options.max_redirects;
    s.max_redirects_set = options.max_redirects_set;
    s.discard_response_bodies = options.discard_response_bodies;
    s.batch = options.batch;
    s.batch_per_host = options.batch_per_host;
    s.no_connection_reuse = options.no_connection_reuse;
    s.no_vu_connection_reuse = options.no_vu_connection_reuse;
    s.no_cookies_reset = options.no_cookies_reset;
    return s;
}

// --insight, or VOLLEY_INSIGHT / K6_INSIGHT set to a true value as Go's strconv.ParseBool reads
// it (1, t, T, TRUE, true, True); another value is an error.
bool insight_enabled(const RunArgs& args, const std::map<std::string, std::string>& env) {
    bool on = args.insight;
    for (const char* name : {"K6_INSIGHT", "VOLLEY_INSIGHT"}) {
        auto it = env.find(name);
        if (it == env.end()) {
            continue;
        }
        auto value = config::go_parse_bool(it->second);
        if (!value) {
            throw UserError("invalid " + std::string(name) + " '" + it->second + "'",
                            "use true or false");
        }
        on = on || *value;
    }
    return on;
}

// k6's rule for its settings with a flag and a variable: the flag, else the variable.
std::optional<std::string> flag_or_env(const std::optional<std::string>& flag,
                                       const std::map<std::string, std::string>& env,
                                       const char* name) {
    if (flag) {
        return flag;
    }
    auto it = env.find(name);
    return it != env.end() ? std::optional<std::string>(it->second) : std::nullopt;
}

// k6's flags that volley takes without acting on them, checked as k6 checks them:
// --compatibility-mode (K6_COMPATIBILITY_MODE) and K6_NO_USAGE_REPORT.
void check_accepted_flags(const RunArgs& args, const std::map<std::string, std::string>& env) {
    std::optional<std::string> mode =
        flag_or_env(args.compatibility_mode, env, "K6_COMPATIBILITY_MODE");
    if (mode && *mode != "extended" && *mode != "base" && *mode != "experimental_enhanced") {
        throw UserError(fmt::format("invalid compatibility mode \"{}\". Use: \"extended\", "
                                    "\"base\", \"experimental_enhanced\"",
                                    *mode),
                        "volley runs scripts the same way in every mode", ExitCode::kGeneric);
    }
    if (auto it = env.find("K6_NO_USAGE_REPORT");
        it != env.end() && config::parse_null_bool(it->second) == config::NullBool::kInvalid) {
        throw UserError(
            config::null_bool_env_error("K6_NO_USAGE_REPORT", "NoUsageReport", it->second),
            "use true or false", ExitCode::kInvalidConfig);
    }
}

// -t/--type: "js" reads the argument as a script even if it is a tar, "archive" needs an
// archive; without it, a tar is an archive.
std::shared_ptr<const script::Archive> load_by_type(const RunArgs& args) {
    if (!args.test_type) {
        return load_archive_if_any(args.script);
    }
    const std::string url = "file://" + std::filesystem::absolute(args.script).string();
    if (*args.test_type == "js") {
        return nullptr;
    }
    if (*args.test_type == "archive") {
        if (auto archive = load_archive_if_any(args.script)) {
            return archive;
        }
        throw UserError(fmt::format("could not initialize '{}': could not load test archive "
                                    "bundle '{}': not a tar archive",
                                    args.script, url),
                        "make one with `volley archive` or `k6 archive`, or leave out --type",
                        ExitCode::kGeneric);
    }
    throw UserError(fmt::format("could not initialize '{}': unknown or unspecified test type '{}' "
                                "for '{}'",
                                args.script, *args.test_type, url),
                    "use --type js or --type archive", ExitCode::kGeneric);
}

} // namespace

void configure_logging(const RunArgs& args) {
    log::set_level(args.verbose ? log::Level::kDebug : log::Level::kInfo);
    // k6's getFlags: the flags, else K6_LOG_FORMAT and K6_LOG_OUTPUT.
    const auto env = process_env();
    std::optional<std::string> format = flag_or_env(args.log_format, env, "K6_LOG_FORMAT");
    if (format) { // k6 takes any other value as text
        if (*format == "json") {
            log::set_format(log::Format::kJson);
        } else if (*format == "raw") {
            log::set_format(log::Format::kRaw);
        } else if (!format->empty() && *format != "text") {
            log::write(log::Level::kWarn,
                       "unknown log format '" + *format + "', logging as text (json, raw, text)");
        }
    }
    if (auto output = flag_or_env(args.log_output, env, "K6_LOG_OUTPUT")) {
        set_log_output(*output);
    }
}

// --ws-debug[=full], --ws-debug-vus, --ws-debug-file (docs/insight.md, "Frame log").
std::unique_ptr<modules::WsDebugLog> make_ws_debug(const RunArgs& args) {
    if (!args.ws_debug) {
        if (args.ws_debug_vus || args.ws_debug_file) {
            throw UserError("--ws-debug-vus and --ws-debug-file need --ws-debug",
                            "add --ws-debug (or --ws-debug=full)", ExitCode::kGeneric);
        }
        return nullptr;
    }
    modules::VuRanges vus;
    if (args.ws_debug_vus) {
        vus = modules::parse_vu_ranges(*args.ws_debug_vus);
    }
    return std::make_unique<modules::WsDebugLog>(*args.ws_debug, std::move(vus),
                                                 args.ws_debug_file.value_or(""));
}

std::unique_ptr<PreparedTest> prepare_test(const RunArgs& args) {
    static bool registered = [] {
        modules::register_all();
        return true;
    }();
    (void)registered;
    auto test = std::make_unique<PreparedTest>();
    config::check_cli_flags(args.overrides); // as k6: before the script is loaded
    auto env = process_env();
    test->workers = std::make_unique<exec::Workers>(worker_count(env));
    const config::CliOverrides& cli = args.overrides;
    test->shared.runtime_options.contexts_per_runtime = contexts_per_runtime(env);
    test->shared.runtime_options.memory_limit = vu_memory_limit(env);
    test->shared.registry = &test->registry;
    test->shared.interner = &test->interner;
    test->shared.env = config::build_env(cli, env);
    test->shared.load = load_options(args, env);
    check_accepted_flags(args, env);
    test->shared.load.archive = load_by_type(args);
    const script::Archive* archive = test->shared.load.archive.get();
    if (archive != nullptr) {
        add_archived_env(*archive, cli, test->shared.env);
    }
    DiscardSink discard;
    test->compiled = compile(args.script, test->shared, *test->workers, discard);
    if (test->compiled.functions.empty()) {
        throw UserError("no exported functions in script",
                        "export a default function (or the functions the scenarios exec)",
                        ExitCode::kGeneric);
    }
    boost::json::value script_options =
        archive != nullptr ? archived_options(test->compiled.options_json, *archive)
                           : boost::json::parse(test->compiled.options_json);
    test->config_file = config::load_config_file(args.config_file, env);
    test->options = config::consolidate(test->config_file.options, script_options, cli, env,
                                        test->compiled.functions);
    auto [outputs, linger] =
        config::resolve_outputs(args.outputs, args.linger, env, test->config_file);
    test->outputs = std::move(outputs);
    test->linger = linger;
    if (archive != nullptr) {
        add_archived_env(*archive, cli, test->options.env);
    }
    test->tls = make_tls(test->options);
    test->dial_policy = make_dial_policy(test->options);
    test->local_ips = make_local_ips(args.local_ips, env);
    test->dns = make_dns_resolver(test->options.dns);
    test->shared.bundle = test->compiled.bundle;
    test->shared.env = test->options.env;
    test->shared.settings = module_settings(test->options, test->tls.get());
    if (insight_enabled(args, env)) {
        test->insight = modules::define_insight_metrics(test->registry);
        test->shared.settings.insight = &*test->insight;
    }
    test->ws_debug = make_ws_debug(args);
    if (auto path = flag_or_env(args.console_output, env, "K6_CONSOLE_OUTPUT")) {
        test->console = std::make_unique<modules::ConsoleFile>(*path);
        test->shared.settings.console_file = test->console.get();
    }
    test->shared.settings.ws_debug = test->ws_debug.get();
    test->shared.settings.dial_policy = test->dial_policy.get();
    test->shared.settings.local_ips = test->local_ips.get();
    test->shared.settings.dns = test->dns.get();
    if (test->options.rps > 0) {
        test->rps_limit = std::make_unique<modules::RpsLimit>(test->options.rps);
        test->shared.settings.rps_limit = test->rps_limit.get();
    }
    test->shared.min_iteration_duration = test->options.min_iteration_duration;
    test->control.options_json = config::to_json(test->options);
    // k6's ExecutionState.GetUniqueVUIdentifiers: VU ids follow the segment's stripe.
    test->control.id_in_test = [stripe = test->options.execution.stripe()](std::uint64_t id) {
        return stripe.global(id - 1) + 1;
    };
    test->shared.control = &test->control;
    return test;
}

} // namespace volley::app
