#pragma once

// Logging to stderr (or --log-output's choice) in k6's (logrus) text format:
//   time="2026-11-25T22:12:01Z" level=info msg="hello world" source=console
// Named per-folder loggers share one global level. Thread-safe: each line is written with one
// call under a mutex. Nothing may be logged per message at info level on the hot path.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace volley::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };

enum class Format { kText, kJson, kRaw };

// Process-wide settings; set once by the CLI before any thread starts.
void set_level(Level level);
Level level();
void set_format(Format format);
// Where lines go (k6's --log-output): stderr by default, `out` (null: nowhere) once set; lines
// below `min` are dropped (a log file's own level). The caller keeps `out` open.
void set_output(std::FILE* out, Level min = Level::kDebug);

using Fields = std::vector<std::pair<std::string, std::string>>;

// Writes one line if `level` is enabled. `fields` are appended as key=value (text format); in
// JSON, `vu` and `iter` holding digits are numbers, as in k6's logs.
void write(Level level, std::string_view msg, const Fields& fields = {});

// The line write() would write (with its newline), whatever the level, for a log of its own.
// `fields_always`: the raw format's line is only `msg`; with it, raw gives the text format.
std::string format(Level level, std::string_view msg, const Fields& fields = {},
                   bool fields_always = false);

// Writes an already formatted line to the log's output under its lock, whatever the level.
void write_line(std::string_view line);

// logrus's quoting rule: a value is quoted (Go %q) unless it is made only of [A-Za-z0-9-._/@^+]
// (an empty value is not quoted).
std::string quote_if_needed(std::string_view value);

// A named logger (`ws`, `exec`, `metrics`, ...): adds the field `component=<name>` at debug level
// only, so user-facing lines look like k6's.
class Logger {
public:
    explicit Logger(std::string name) : name_(std::move(name)) {}
    bool enabled(Level l) const { return l >= level(); }
    void debug(std::string_view msg) const;
    void info(std::string_view msg) const { write(Level::kInfo, msg); }
    void warn(std::string_view msg) const { write(Level::kWarn, msg); }
    void error(std::string_view msg, const Fields& fields = {}) const {
        write(Level::kError, msg, fields);
    }

private:
    std::string name_;
};

// Rate limiter for repeated errors (e.g. an exception thrown by every iteration): allows
// `burst` lines per `period`, then counts the suppressed ones and reports them once the period
// ends. Thread-safe and lock-free.
class RateLimit {
public:
    RateLimit(int burst, std::chrono::milliseconds period) : burst_(burst), period_(period) {}
    // True if a line may be written now. When a new period starts and lines were suppressed in
    // the previous one, `suppressed` receives their number (else 0).
    bool allow(std::uint64_t& suppressed);

private:
    int burst_;
    std::chrono::milliseconds period_;
    std::atomic<std::int64_t> window_start_ms_{0};
    std::atomic<int> used_{0};
    std::atomic<std::uint64_t> dropped_{0};
};

} // namespace volley::log
