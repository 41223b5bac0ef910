#include "output/remote_write.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

#include "config/duration.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/time.hpp"

namespace volley::output {
namespace {

constexpr char kOutputName[] = "Prometheus remote write"; // k6's logger field `output`

UserError creation_error(const std::string& why, std::string hint = {}) {
    return UserError("could not create the 'experimental-prometheus-rw' output: " + why,
                     std::move(hint),
                     ExitCode::kGeneric); // as k6: an output that cannot start has no code
}

// k6's logger for the output: every line carries output="Prometheus remote write". Fields are
// given in logrus's (sorted) order.
void write_log(log::Level level, std::string_view msg, log::Fields fields = {}) {
    if (level < log::level()) {
        return;
    }
    auto at = std::find_if(fields.begin(), fields.end(),
                           [](const auto& f) { return f.first > "output"; });
    fields.insert(at, {"output", kOutputName});
    log::write(level, msg, fields);
}

std::string go_duration(SteadyClock::duration d) {
    return config::format_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(d));
}

} // namespace

RemoteWriteOutput::RemoteWriteOutput(const OutputParams& params, const Environment& env,
                                     const std::string* json, std::size_t index)
    : index_(index) {
    auto config = consolidate_remote_write_config(json, env);
    if (!config) {
        throw creation_error(config.error(), "check the K6_PROMETHEUS_RW_* environment variables");
    }
    config_ = std::move(*config);
    if (sigv4_partially_configured(config_)) {
        throw creation_error(
            "sigv4 seems to be partially configured. All of K6_PROMETHEUS_RW_SIGV4_REGION, "
            "K6_PROMETHEUS_RW_SIGV4_ACCESS_KEY, K6_PROMETHEUS_RW_SIGV4_SECRET_KEY must all be "
            "set. Unset all to bypass sigv4");
    }
    if (config_.sigv4_region && !config_.sigv4_region->empty()) {
        throw creation_error("AWS SigV4 signing is not supported by volley",
                             "unset K6_PROMETHEUS_RW_SIGV4_*; use basic auth, a bearer token or "
                             "headers, or a signing proxy");
    }
    if (config_.push_interval <= std::chrono::nanoseconds::zero()) {
        throw creation_error("metric flush period should be positive but was " +
                             config::format_duration(config_.push_interval));
    }
    std::vector<TrendStat> stats;
    if (!config_.trend_stats.empty()) {
        auto parsed = parse_trend_stats(config_.trend_stats);
        if (!parsed) {
            throw creation_error(parsed.error(), "e.g. K6_PROMETHEUS_RW_TREND_STATS=p(95),max");
        }
        stats = std::move(*parsed);
    }
    series_.emplace(params.registry, params.tags, std::move(stats),
                    config_.trend_as_native_histogram);
    auto client = RemoteWriteClient::make(config_, ioc_);
    if (!client) {
        throw creation_error(client.error());
    }
    client_ = std::move(*client);
}

RemoteWriteOutput::~RemoteWriteOutput() {
    try {
        stop(); // normally done already: Engine::stop() stops every consumer
    } catch (const std::exception& e) {
        log::write(log::Level::kError, "stopping the Prometheus remote write output failed",
                   {{"error", e.what()}});
    }
}

std::string RemoteWriteOutput::description() const {
    return "Prometheus remote write (" + config_.server_url + ")";
}

void RemoteWriteOutput::start() {
    timer_.emplace(ioc_.get_executor());
    boost::asio::spawn(
        ioc_.get_executor(), std::allocator_arg,
        boost::context::protected_fixedsize_stack(std::size_t{1} << 20),
        [this](Yield yield) { run(yield); },
        [](const std::exception_ptr& e) {
            if (e) {
                std::rethrow_exception(e); // a bug: ends the process through the thread
            }
        });
    thread_ = std::thread([this] { ioc_.run(); });
    write_log(log::Level::kDebug, "Output initialized",
              {{"flushtime", config::format_duration(config_.push_interval)}});
}

void RemoteWriteOutput::consume(std::span<const metrics::Sample> batch) {
    std::lock_guard lock(mutex_);
    buffer_.insert(buffer_.end(), batch.begin(), batch.end());
}

void RemoteWriteOutput::stop() {
    if (!thread_.joinable()) {
        return;
    }
    write_log(log::Level::kDebug, "Stopping the output");
    boost::asio::post(ioc_, [this] {
        stopping_ = true;
        timer_->cancel();
    });
    thread_.join();
    write_log(log::Level::kDebug, "Output stopped");
}

std::vector<metrics::Sample> RemoteWriteOutput::take_buffer() {
    std::lock_guard lock(mutex_);
    std::vector<metrics::Sample> out;
    out.swap(buffer_);
    return out;
}

// k6's PeriodicFlusher: a flush every push interval (ticks missed while a flush is slow are
// dropped, as Go's Ticker drops them), then one last flush when stopped.
void RemoteWriteOutput::run(Yield yield) {
    const auto period = std::chrono::duration_cast<SteadyClock::duration>(config_.push_interval);
    auto next = SteadyClock::now() + period;
    while (!stopping_) {
        timer_->expires_at(next);
        boost::system::error_code ec;
        timer_->async_wait(yield[ec]);
        if (stopping_) {
            break;
        }
        flush(yield);
        next += period;
        if (auto now = SteadyClock::now(); next < now) {
            next = now; // one tick was kept while the flush ran late
        }
    }
    flush(yield);
    if (config_.stale_markers) {
        push_stale_markers(yield);
    }
    client_->close();
}

void RemoteWriteOutput::flush(Yield yield) {
    const auto start = SteadyClock::now();
    std::size_t nts = 0;
    auto samples = take_buffer();
    if (samples.empty()) {
        write_log(log::Level::kDebug, "no buffered samples, skip the flushing operation");
    } else {
        auto series = series_->convert(samples);
        nts = series.size();
        write_log(log::Level::kDebug, "Converted samples to Prometheus TimeSeries",
                  {{"nts", std::to_string(nts)}});
        if (auto err = client_->store(series, yield); !err.empty()) {
            write_log(log::Level::kError, "Failed to send the time series data to the endpoint",
                      {{"error", err}});
        }
    }
    // As k6's deferred report, which runs whether the push succeeded or not.
    const auto took = SteadyClock::now() - start;
    const std::string ok = "Successful flushed time series to remote write endpoint";
    if (took > config_.push_interval) {
        write_log(log::Level::kWarn,
                  ok + " but it took " + go_duration(took) + " while flush period is " +
                      config::format_duration(config_.push_interval) +
                      ". Some samples may be dropped.",
                  {{"nts", std::to_string(nts)}});
    } else {
        write_log(log::Level::kDebug, ok,
                  {{"nts", std::to_string(nts)}, {"took", go_duration(took)}});
    }
}

void RemoteWriteOutput::push_stale_markers(Yield yield) {
    // k6: now truncated to the millisecond, plus 1 ms so a marker never shares the timestamp of
    // the last flush's samples.
    std::int64_t ts = now_unix_ns() / 1'000'000 + 1;
    auto markers = series_->stale_markers(ts);
    if (markers.empty()) {
        write_log(log::Level::kDebug, "No time series to mark as stale");
        return;
    }
    write_log(log::Level::kDebug, "Marking time series as stale",
              {{"staleMarkers", std::to_string(markers.size())}});
    if (auto err = client_->store(markers, yield); !err.empty()) {
        // k6's output manager logs the error Stop() returns.
        log::write(log::Level::kError, "Stopping output " + std::to_string(index_) + " failed",
                   {{"error", "marking time series as stale failed: " + err}});
    }
}

} // namespace volley::output
