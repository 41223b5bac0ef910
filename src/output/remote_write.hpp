#pragma once

// k6's experimental-prometheus-rw output (internal/output/prometheusrw/remotewrite, k6 v1.6.1):
// the samples of the test go to a Prometheus remote-write endpoint every push interval
// (K6_PROMETHEUS_RW_PUSH_INTERVAL, 5 s), and once more when the test ends; each series carries
// its aggregate since the start of the test (remote_write_series.hpp has the names and values).
//
// The engine's thread only appends samples to a buffer under a lock (consume()): the conversion,
// the encoding and the HTTP request run on the output's own thread with its own io_context, so
// a slow or dead endpoint never holds up the engine or the VUs. A failed push is logged at
// error level with k6's text and the samples it held are not sent again (as k6). Each request
// takes RemoteWriteClient::kTimeout at most, so stop() returns after at most one push in flight,
// the final push and the stale markers (K6_PROMETHEUS_RW_STALE_MARKERS): 15 s in the worst case.

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "output/output.hpp"
#include "output/remote_write_client.hpp"
#include "output/remote_write_config.hpp"
#include "output/remote_write_series.hpp"
#include "util/coroutine.hpp"

namespace volley::output {

class RemoteWriteOutput final : public Output {
public:
    // Reads the configuration from `env` (K6_PROMETHEUS_RW_*) and `json` (may be null).
    // `index` is the output's position among the --out values (k6's "Stopping output N failed").
    // Throws UserError (ExitCode::kGeneric, as k6) with k6's text when the configuration is
    // invalid: `could not create the 'experimental-prometheus-rw' output: ...`. `params` must
    // outlive the output.
    RemoteWriteOutput(const OutputParams& params, const Environment& env, const std::string* json,
                      std::size_t index);
    // Stops the flusher if stop() was not called.
    ~RemoteWriteOutput() override;
    RemoteWriteOutput(const RemoteWriteOutput&) = delete;
    RemoteWriteOutput& operator=(const RemoteWriteOutput&) = delete;

    // "Prometheus remote write (<url>)".
    std::string description() const override;
    // Starts the flusher thread (Engine::start(), composition root's thread).
    void start() override;
    // Buffers the batch (engine's thread): a copy under a lock, nothing else.
    void consume(std::span<const metrics::Sample> batch) override;
    // The final push (and the stale markers), then joins the flusher thread. Bounded by the
    // request timeout; never throws for endpoint failures (they are logged).
    void stop() override;

    const RemoteWriteConfig& config() const { return config_; }

private:
    void run(Yield yield);
    void flush(Yield yield);
    void push_stale_markers(Yield yield);
    std::vector<metrics::Sample> take_buffer();

    RemoteWriteConfig config_;
    std::size_t index_;
    boost::asio::io_context ioc_;
    std::unique_ptr<RemoteWriteClient> client_;
    std::optional<RemoteWriteSeries> series_; // the flusher thread's
    std::thread thread_;
    bool stopping_ = false; // flusher thread only
    std::optional<SteadyTimer> timer_;

    std::mutex mutex_;
    std::vector<metrics::Sample> buffer_; // under mutex_
};

} // namespace volley::output
