// make_outputs(): `--out` values -> outputs (output.hpp).

#include <fmt/format.h>

#include "output/csv.hpp"
#include "output/html_report.hpp"
#include "output/json_lines.hpp"
#include "output/output.hpp"
#include "output/remote_write.hpp"
#include "output/results_output.hpp"
#include "util/error.hpp"

#include <unistd.h> // environ

namespace volley::output {
namespace {

// The process environment, which k6 gives its outputs (K6_PROMETHEUS_RW_* and the like).
Environment process_environment() {
    Environment env;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        std::string_view kv(*e);
        auto eq = kv.find('=');
        if (eq != std::string_view::npos) {
            env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
        }
    }
    return env;
}

} // namespace

std::vector<std::unique_ptr<Output>> make_outputs(const std::vector<std::string>& specs,
                                                  const OutputParams& params) {
    std::vector<std::unique_ptr<Output>> outputs;
    for (const auto& spec : specs) {
        auto eq = spec.find('=');
        std::string type = spec.substr(0, eq);
        std::string arg = eq == std::string::npos ? std::string() : spec.substr(eq + 1);
        if (type == "json") {
            outputs.push_back(std::make_unique<JsonLinesOutput>(arg, params));
        } else if (type == "csv") {
            outputs.push_back(std::make_unique<CsvOutput>(arg, params));
        } else if (type == "experimental-prometheus-rw") {
            // As k6, the argument after '=' is ignored: the configuration comes from the
            // environment (and, in k6, from the config file, which volley does not read).
            outputs.push_back(std::make_unique<RemoteWriteOutput>(params, process_environment(),
                                                                  nullptr, outputs.size()));
        } else if (type == "results") { // volley's own (docs/merge.md)
            outputs.push_back(make_results_output(arg, params));
        } else if (type == "html") { // volley's own (docs/insight.md)
            outputs.push_back(make_html_report(arg, params));
        } else {
            throw UserError(fmt::format("invalid output type '{}', available types are: csv, "
                                        "experimental-prometheus-rw, json",
                                        type),
                            "use --out json=FILE, --out csv=FILE (FILE ending in .gz is "
                            "compressed) or --out experimental-prometheus-rw",
                            ExitCode::kGeneric); // k6 returns createOutputs' error without a code
        }
    }
    return outputs;
}

} // namespace volley::output
