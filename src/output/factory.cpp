// make_outputs(): `--out` values -> outputs (output.hpp).

#include <fmt/format.h>

#include "output/csv.hpp"
#include "output/json_lines.hpp"
#include "output/output.hpp"
#include "util/error.hpp"

namespace volley::output {

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
        } else {
            throw UserError(
                fmt::format("invalid output type '{}', available types are: csv, json", type),
                "use --out json=FILE or --out csv=FILE (FILE ending in .gz is compressed)",
                ExitCode::kGeneric); // k6 returns createOutputs' error without a code
        }
    }
    return outputs;
}

} // namespace volley::output
