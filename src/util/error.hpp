#pragma once

// The three classes of failure (style.md rule 8): expected failures of the system under test are
// values (error_code / Result<T>); user mistakes throw UserError, caught once in main; broken
// invariants use VOLLEY_CHECK (always on) or VOLLEY_ASSERT (debug builds).

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <boost/system/result.hpp>

namespace volley {

// k6's process exit codes (errext/exitcodes/codes.go); docs/exit_codes.md lists when each happens.
enum class ExitCode : int {
    kOk = 0,
    kThresholdsFailed = 99,
    kSetupTimeout = 100,
    kTeardownTimeout = 101,
    kStoppedFromRestApi = 103,
    kInvalidConfig = 104,
    kExternalAbort = 105,
    kCannotStartRestApi = 106,
    kScriptException = 107,
    kScriptAborted = 108,
    kMarkedAsFailed = 110,
    kGeneric = 255,
};

// A mistake the user can fix: printed by main as one line `error: <message>` plus
// `hint: <hint>` when there is one, and the process exits with `code`.
class UserError : public std::runtime_error {
public:
    UserError(const std::string& message, std::string hint = {},
              ExitCode code = ExitCode::kInvalidConfig)
        : std::runtime_error(message), hint_(std::move(hint)), code_(code) {}

    const std::string& hint() const noexcept { return hint_; }
    ExitCode code() const noexcept { return code_; }

private:
    std::string hint_;
    ExitCode code_;
};

template <class T> using Result = boost::system::result<T>;

[[noreturn]] inline void check_failed(const char* expr, const char* file, int line) {
    std::fprintf(stderr, "volley: internal error: check failed: %s at %s:%d\n", expr, file, line);
    std::abort();
}

} // namespace volley

#define VOLLEY_CHECK(expr)                                                                         \
    ((expr) ? static_cast<void>(0) : ::volley::check_failed(#expr, __FILE__, __LINE__))

#ifdef NDEBUG
#define VOLLEY_ASSERT(expr) static_cast<void>(0)
#else
#define VOLLEY_ASSERT(expr) VOLLEY_CHECK(expr)
#endif
