#include "app/archive.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>

#include <boost/json.hpp>

#include "app/test_setup.hpp"
#include "config/merge.hpp"
#include "script/loader.hpp"
#include "util/error.hpp"
#include "util/tar.hpp"

namespace volley::app {
namespace {

constexpr const char* kExecutionKeys[] = {"duration", "iterations", "stages", "scenarios"};

// `top` over `below`, as consolidation layers them: execution options in `top` replace all of
// those in `below`.
boost::json::object layered(boost::json::object below, const boost::json::object& top) {
    for (const char* key : kExecutionKeys) {
        if (top.contains(key)) {
            for (const char* k : kExecutionKeys) {
                below.erase(k);
            }
            break;
        }
    }
    for (const auto& [k, v] : top) {
        below[k] = v;
    }
    return below;
}

// The config file's options under the script's, with the flags that set the test's shape on the
// command line (-u, -d, -i, -s) on top: an archive carries the test as k6's does.
std::string options_for_archive(const boost::json::object& file_options,
                                const std::string& exported_json, const RunArgs& args) {
    boost::json::value v = boost::json::parse(exported_json);
    boost::json::object o =
        layered(file_options, v.is_object() ? v.as_object() : boost::json::object());
    const config::CliOverrides& cli = args.overrides;
    boost::json::object flags;
    if (cli.vus) {
        flags["vus"] = std::stoll(*cli.vus);
    }
    if (cli.duration) {
        flags["duration"] = *cli.duration;
    }
    if (cli.iterations) {
        flags["iterations"] = std::stoll(*cli.iterations);
    }
    if (!cli.stages.empty()) {
        boost::json::array stages;
        for (const auto& s : cli.stages) {
            std::string problem;
            auto stage = config::parse_stage(s, problem);
            const auto colon = s.find(':');
            if (stage && colon != std::string::npos) {
                stages.push_back({{"duration", s.substr(0, colon)},
                                  {"target", std::stoll(s.substr(colon + 1))}});
            }
        }
        flags["stages"] = std::move(stages);
    }
    o = layered(std::move(o), flags);
    return boost::json::serialize(o);
}

} // namespace

std::shared_ptr<const script::Archive> load_archive_if_any(const std::string& path) {
    auto bytes = script::read_file(path);
    if (!bytes || !tar::looks_like_tar(*bytes)) {
        return nullptr;
    }
    std::string why;
    auto arc = script::read_archive(*bytes, &why);
    if (!arc) {
        throw UserError("could not read the archive " + path + ": " + why,
                        "make it again with `volley archive` or `k6 archive`",
                        ExitCode::kScriptException);
    }
    return std::make_shared<const script::Archive>(std::move(*arc));
}

boost::json::value archived_options(const std::string& exported_json,
                                    const script::Archive& archive) {
    boost::json::value exported = boost::json::parse(exported_json);
    boost::json::object out = exported.is_object() ? exported.as_object() : boost::json::object();
    boost::json::value saved = boost::json::parse(archive.options_json);
    if (saved.is_object()) {
        for (const auto& [k, v] : saved.as_object()) {
            if (!v.is_null()) { // k6 writes every option, unset ones as null
                out[k] = v;
            }
        }
    }
    return out;
}

int archive_command(const RunArgs& args) {
    configure_logging(args);
    auto test = prepare_test(args);
    config::CliOverrides only_flags = args.overrides;
    only_flags.include_system_env = false; // an archive keeps the -e values, not the machine's
    const auto env = config::build_env(only_flags, {});
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const std::string tar = script::write_archive(
        *test->compiled.bundle,
        options_for_archive(test->config_file.options_json, test->compiled.options_json, args), env,
        now);
    const std::string out = args.archive_out.value_or("archive.tar");
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file.write(tar.data(), static_cast<std::streamsize>(tar.size()));
    if (!file.flush()) {
        throw UserError("could not write the archive " + out, "check the path and free space");
    }
    return 0;
}

} // namespace volley::app
