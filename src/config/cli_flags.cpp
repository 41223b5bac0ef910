#include "config/cli_flags.hpp"

#include <map>

#include <fmt/format.h>

#include "config/go_parse.hpp"
#include "util/error.hpp"
#include "util/go_quote.hpp"

namespace volley::config {
namespace {

[[noreturn]] void bad_flag(const std::string& flag, const std::string& value,
                           const std::string& why) {
    static const std::map<std::string, std::string> kShort{{"--vus", "-u, --vus"},
                                                           {"--duration", "-d, --duration"},
                                                           {"--iterations", "-i, --iterations"}};
    auto it = kShort.find(flag);
    throw UserError(fmt::format("invalid argument {} for {} flag: {}", go_quote(value),
                                go_quote(it == kShort.end() ? flag : it->second), why),
                    "see 'volley run --help'", ExitCode::kGeneric);
}

[[noreturn]] void bad_stage(const std::string& text) {
    throw UserError(text, "a stage is DURATION:TARGET, e.g. 30s:10", ExitCode::kGeneric);
}

std::vector<std::string> split_commas(const std::string& s) {
    std::vector<std::string> out;
    std::size_t at = 0;
    for (;;) {
        auto comma = s.find(',', at);
        out.push_back(s.substr(at, comma - at));
        if (comma == std::string::npos) {
            return out;
        }
        at = comma + 1;
    }
}

} // namespace

std::int64_t parse_cli_int(const std::string& flag, const std::string& value) {
    std::int64_t n = 0;
    if (auto e = go_parse_int(value, 0, &n); !e.empty()) {
        bad_flag(flag, value, e);
    }
    return n;
}

Duration parse_cli_duration(const std::string& flag, const std::string& value) {
    if (auto e = go_parse_duration_error(value); !e.empty()) {
        bad_flag(flag, value, e);
    }
    auto d = parse_duration(value); // Go's grammar is a part of k6's, with the same values
    if (!d) {
        bad_flag(flag, value, d.error().message);
    }
    return *d;
}

std::vector<Stage> parse_cli_stages(const std::vector<std::string>& values) {
    std::vector<Stage> out;
    for (const auto& value : values) {
        for (const auto& item : split_commas(value)) {
            std::size_t i = out.size();
            auto colon = item.find(':');
            std::string d = item.substr(0, colon);
            std::string t = colon == std::string::npos ? "" : item.substr(colon + 1);
            if (d.empty()) {
                bad_stage(fmt::format("stage {} doesn't have a specified duration", i));
            }
            if (auto e = go_parse_duration_error(d); !e.empty()) {
                bad_stage(fmt::format("error for stage {}: {}", i, e));
            }
            std::int64_t target = 0;
            if (auto e = t.empty() ? "" : go_parse_int(t, 10, &target); !e.empty()) {
                bad_stage(fmt::format("error for stage {}: {}", i, e));
            }
            out.push_back(Stage{*parse_duration(d), target});
        }
    }
    return out;
}

void check_cli_flags(const CliOverrides& cli) {
    const std::pair<const char*, const std::optional<std::string>*> ints[] = {
        {"--vus", &cli.vus},
        {"--iterations", &cli.iterations},
        {"--max-redirects", &cli.max_redirects},
        {"--batch", &cli.batch},
        {"--batch-per-host", &cli.batch_per_host},
        {"--rps", &cli.rps}};
    for (const auto& [flag, value] : ints) {
        if (*value) {
            parse_cli_int(flag, **value);
        }
    }
    const std::pair<const char*, const std::optional<std::string>*> durations[] = {
        {"--duration", &cli.duration}, {"--min-iteration-duration", &cli.min_iteration_duration}};
    for (const auto& [flag, value] : durations) {
        if (*value) {
            parse_cli_duration(flag, **value);
        }
    }
    parse_cli_stages(cli.stages);
}

} // namespace volley::config
