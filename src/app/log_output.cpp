#include "app/log_output.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/go_quote.hpp"
#include "util/log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace volley::app {
namespace {

[[noreturn]] void fail(const std::string& message) {
    throw UserError(message, "use --log-output stderr, stdout, none or file=PATH[,level=LEVEL]",
                    ExitCode::kGeneric);
}

// logrus.ParseLevel's names, as volley's levels (panic and fatal: above anything volley logs).
std::optional<log::Level> parse_level(std::string name) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (name == "panic" || name == "fatal") {
        return log::Level::kOff; // volley logs nothing at these levels
    }
    if (name == "error") {
        return log::Level::kError;
    }
    if (name == "warn" || name == "warning") {
        return log::Level::kWarn;
    }
    if (name == "info") {
        return log::Level::kInfo;
    }
    if (name == "debug" || name == "trace") {
        return log::Level::kDebug;
    }
    return std::nullopt;
}

// k6's strvals.Parse: `key=value,key=value`; a key without `=value` (or whose `=` ends the
// text) is an error naming it.
std::vector<std::pair<std::string, std::string>> parse_key_values(const std::string& spec) {
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t i = 0;
    while (i < spec.size()) {
        std::size_t start = i;
        while (i < spec.size() && !(spec[i] == '=' && i != spec.size() - 1) && spec[i] != ',') {
            ++i;
        }
        if (i == spec.size() || spec[i] == ',') {
            fail(fmt::format("error while parsing logfile configuration key `{}` with no value",
                             spec.substr(start, i - start)));
        }
        std::string key = spec.substr(start, i - start);
        std::size_t comma = std::min(spec.find(',', ++i), spec.size());
        out.emplace_back(key, spec.substr(i, comma - i));
        i = comma + 1;
    }
    return out;
}

// k6's fileHook: `file=PATH[,level=LEVEL]`.
void open_log_file(const std::string& spec) {
    std::string path;
    log::Level min = log::Level::kDebug;
    for (const auto& [key, value] : parse_key_values(spec)) {
        if (key == "file") {
            if (value.empty()) {
                fail("filepath must not be empty");
            }
            path = value;
        } else if (key == "level") {
            auto level = parse_level(value);
            if (!level) {
                fail("unknown log level " + value);
            }
            min = *level;
        } else {
            fail("unknown logfile config key " + key);
        }
    }
    std::filesystem::path full = std::filesystem::absolute(path).lexically_normal();
    std::error_code ec;
    if (!std::filesystem::exists(full.parent_path(), ec) && !ec) {
        fail(fmt::format("provided directory '{}' does not exist", full.parent_path().string()));
    }
    int fd = ::open(full.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    std::FILE* file = fd >= 0 ? ::fdopen(fd, "a") : nullptr;
    if (file == nullptr) {
        int err = errno;
        if (fd >= 0) {
            ::close(fd);
        }
        fail(fmt::format("failed to open logfile {}: open {}: {}", full.string(), full.string(),
                         go_errno_text(err)));
    }
    log::set_output(file, min); // open until the process ends
}

} // namespace

void set_log_output(const std::string& spec) {
    if (spec == "stderr") {
        log::set_output(stderr);
    } else if (spec == "stdout") {
        log::set_output(stdout);
    } else if (spec == "none") {
        log::set_output(nullptr);
    } else if (spec.starts_with("file")) {
        if (spec.substr(0, spec.find('=')) != "file") {
            fail(fmt::format("logfile configuration should be in the form "
                             "`file=path-to-local-file` but is `{}`",
                             spec));
        }
        open_log_file(spec);
    } else if (spec.starts_with("loki")) {
        throw UserError("unsupported log output '" + spec + "'",
                        "volley does not push logs to Loki; use --log-output file=PATH and ship "
                        "the file",
                        ExitCode::kGeneric);
    } else {
        fail("unsupported log output '" + spec + "'");
    }
}

} // namespace volley::app
