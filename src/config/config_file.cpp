// k6's config file: where it is, and its JSON read into an option layer (internal/cmd/config.go).

#include "config/config_file.hpp"

#include <cerrno>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>
#include <fmt/format.h>

#include "config/go_parse.hpp"
#include "util/error.hpp"
#include "util/go_quote.hpp"
#include "util/log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace volley::config {
namespace json = boost::json;

namespace {

// Go's os.UserConfigDir on Linux; k6 falls back to ".config" when it fails.
std::string user_config_dir(const std::map<std::string, std::string>& env) {
    auto xdg = env.find("XDG_CONFIG_HOME");
    if (xdg != env.end() && !xdg->second.empty()) {
        return xdg->second.front() == '/' ? xdg->second : ".config";
    }
    auto home = env.find("HOME");
    return home != env.end() && !home->second.empty() ? home->second + "/.config" : ".config";
}

[[noreturn]] void fail(const std::string& why) {
    throw UserError("failed to load the configuration file from the local file system: " + why,
                    "fix the file or name another with -c/--config (k6's JSON config file)",
                    ExitCode::kInvalidConfig);
}

// stat(2)'s errno for `path`, 0 when it exists.
int stat_errno(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? 0 : errno;
}

// Go's os.ReadFile, with k6's texts around its errors.
std::string read_text(const std::string& path) {
    if (int err = stat_errno(path); err != 0) {
        fail(fmt::format("stat {}: {}", path, go_errno_text(err)));
    }
    auto cannot = [&](const char* op, int err) {
        fail(fmt::format("couldn't load the configuration from {}: {} {}: {}", go_quote(path), op,
                         path, go_errno_text(err)));
    };
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        cannot("open", errno);
    }
    std::string text;
    char buf[16384];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            int err = n < 0 ? errno : 0;
            ::close(fd);
            if (err != 0) {
                cannot("read", err);
            }
            return text;
        }
        text.append(buf, static_cast<std::size_t>(n));
    }
}

// Boost.JSON's error with where it happened (`syntax error at line 2, column 5`), "" if none.
std::string json_syntax_error(const std::string& text) {
    json::stream_parser p;
    boost::system::error_code ec;
    std::size_t used = p.write_some(text.data(), text.size(), ec);
    if (!ec) {
        p.finish(ec);
        used = text.size();
    }
    if (!ec) {
        return {};
    }
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < used && i < text.size(); ++i) {
        column = text[i] == '\n' ? 1 : column + 1;
        line += text[i] == '\n' ? 1 : 0;
    }
    return fmt::format("{} at line {}, column {}", ec.message(), line, column);
}

std::vector<std::string> string_list(const json::value& v, std::vector<std::string>& problems) {
    std::vector<std::string> out;
    if (!v.is_array()) {
        problems.push_back("out: expected an array of strings, got " + json::serialize(v));
        return out;
    }
    for (const auto& item : v.get_array()) {
        if (!item.is_string()) {
            problems.push_back("out: expected an array of strings, got " + json::serialize(v));
            return {};
        }
        out.emplace_back(item.get_string());
    }
    return out;
}

ConfigFile parse(const std::string& path, const std::string& text) {
    auto parse_fail = [&](const std::string& why) {
        fail(fmt::format("couldn't parse the configuration from {}: {}", go_quote(path), why));
    };
    if (std::string syntax = json_syntax_error(text); !syntax.empty()) {
        parse_fail(syntax);
    }
    json::value doc = json::parse(text);
    if (!doc.is_object()) {
        parse_fail("expected a JSON object, got " + json::serialize(doc));
    }
    ConfigFile file;
    file.path = path;
    std::vector<std::string> problems;
    file.options = parse_options_layer(doc, "", problems);
    const json::object& o = doc.get_object();
    file.options_json = o;
    for (const char* not_an_option :
         {"out", "linger", "noUsageReport", "webDashboard", "noArchiveUpload", "collectors"}) {
        file.options_json.erase(not_an_option);
    }
    if (const json::value* out = o.if_contains("out"); out != nullptr && !out->is_null()) {
        file.out = string_list(*out, problems);
    }
    if (const json::value* l = o.if_contains("linger"); l != nullptr && !l->is_null()) {
        if (l->is_bool()) {
            file.linger = l->get_bool();
        } else {
            problems.push_back("linger: expected true or false, got " + json::serialize(*l));
        }
    }
    if (!problems.empty()) {
        std::string all = problems.front();
        for (std::size_t i = 1; i < problems.size(); ++i) {
            all += "; " + problems[i];
        }
        parse_fail(all);
    }
    return file;
}

} // namespace

OutputsAndLinger resolve_outputs(const std::vector<std::string>& flag_outputs, bool flag_linger,
                                 const std::map<std::string, std::string>& env,
                                 const ConfigFile& file) {
    OutputsAndLinger r{file.out, file.linger.value_or(false)};
    if (auto it = env.find("K6_OUT"); it != env.end() && !it->second.empty()) {
        r.outputs.clear();
        std::string_view rest = it->second;
        for (auto comma = rest.find(',');; comma = rest.find(',')) {
            r.outputs.emplace_back(rest.substr(0, comma));
            if (comma == std::string_view::npos) {
                break;
            }
            rest.remove_prefix(comma + 1);
        }
    }
    if (!flag_outputs.empty()) {
        r.outputs = flag_outputs;
    }
    if (auto it = env.find("K6_LINGER"); it != env.end()) {
        NullBool value = parse_null_bool(it->second);
        if (value == NullBool::kInvalid) {
            throw UserError(null_bool_env_error("K6_LINGER", "Linger", it->second),
                            "use true or false", ExitCode::kInvalidConfig);
        }
        if (value != NullBool::kUnset) {
            r.linger = value == NullBool::kTrue;
        }
    }
    r.linger = r.linger || flag_linger;
    return r;
}

ConfigFilePath config_file_path(const std::optional<std::string>& flag,
                                const std::map<std::string, std::string>& env) {
    const std::string fallback = user_config_dir(env) + "/k6/config.json";
    std::string path = fallback;
    if (auto it = env.find("K6_CONFIG"); it != env.end()) {
        path = it->second;
    }
    if (flag) {
        path = *flag;
    }
    return {path, path == fallback};
}

ConfigFile load_config_file(const std::optional<std::string>& flag,
                            const std::map<std::string, std::string>& env) {
    ConfigFilePath where = config_file_path(flag, env);
    // k6 passes over a default file that does not exist, and no other failure.
    if (where.is_default && stat_errno(where.path) == ENOENT) {
        std::string legacy = user_config_dir(env) + "/loadimpact/k6/config.json";
        int err = stat_errno(legacy);
        if (err == ENOENT) {
            return {};
        }
        if (err != 0) {
            fail(fmt::format("stat {}: {}", legacy, go_errno_text(err)));
        }
        log::write(log::Level::kWarn,
                   fmt::format("The configuration file has been found on the old default path "
                               "({}). Please, run again `k6 cloud login` or `k6 login` commands "
                               "to migrate to the new default path.",
                               go_quote(legacy)));
        where.path = legacy;
    }
    return parse(where.path, read_text(where.path));
}

} // namespace volley::config
