// k6's config file: where it is, and its JSON read into an option layer (internal/cmd/config.go).

#include "config/config_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "util/error.hpp"
#include "util/go_quote.hpp"
#include "util/log.hpp"

#include <sys/stat.h>

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

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

std::string read_text(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        fail(fmt::format("stat {}: {}", path, go_errno_text(errno)));
    }
    if (S_ISDIR(st.st_mode)) {
        fail(fmt::format("couldn't load the configuration from {}: read {}: is a directory",
                         go_quote(path), path));
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
        fail(fmt::format("couldn't load the configuration from {}: read {}: {}", go_quote(path),
                         path, go_errno_text(errno != 0 ? errno : EIO)));
    }
    return text.str();
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
    boost::system::error_code ec;
    json::value doc = json::parse(text, ec);
    auto parse_fail = [&](const std::string& why) {
        fail(fmt::format("couldn't parse the configuration from {}: {}", go_quote(path), why));
    };
    if (ec) {
        parse_fail(ec.message());
    }
    if (!doc.is_object()) {
        parse_fail("expected a JSON object, got " + json::serialize(doc));
    }
    ConfigFile file;
    file.path = path;
    std::vector<std::string> problems;
    file.options = parse_options_layer(doc, "", problems);
    const json::object& o = doc.get_object();
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
    if (where.is_default && !exists(where.path)) {
        std::string legacy = user_config_dir(env) + "/loadimpact/k6/config.json";
        if (!exists(legacy)) {
            return {};
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
