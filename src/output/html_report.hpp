#pragma once

// `--out html=FILE` (docs/insight.md, "HTML report"): one self-contained page (no script, no
// network) with the test's options, thresholds and checks, plots over time of VUs, sessions,
// messages, connect and session times, errors by code and the generator's own load, and the
// summary's metrics. The samples are folded into a Timeline while the test runs; the page is
// written at the end, once the summary exists.

#include <cstdint>
#include <memory>
#include <string>

#include "output/file_writer.hpp"
#include "output/output.hpp"
#include "output/summary.hpp"
#include "output/timeline.hpp"

namespace volley::output {

// What the page says about the run beyond its samples and summary.
struct ReportFacts {
    std::string script;       // as given on the command line
    std::string options_json; // the consolidated options
    std::int64_t start_ns = 0;
    std::string saturation; // exec::saturation_line(), "" when volley kept up
    bool insight = false;   // --insight: errors by code and the generator's load were measured
    std::string error;      // the error that ended the run before its summary, if one did
};

// The page. Pure; any thread.
std::string render_html_report(const Timeline& timeline, const Summary& summary,
                               const ReportFacts& facts);

class HtmlReport final : public Output {
public:
    // Creates the file now (UserError if it cannot, as the other file outputs).
    HtmlReport(const std::string& path, const OutputParams& params);

    std::string description() const override { return "html (" + file_.path() + ")"; }
    void consume(std::span<const metrics::Sample> batch) override;
    // Writes the page and closes the file. Once; after the engine has stopped.
    void write(const Summary& summary, const ReportFacts& facts);

private:
    FileWriter file_;
    Timeline timeline_;
};

// `--out html=FILE`. Throws UserError (ExitCode::kGeneric, as the other outputs) without a file.
std::unique_ptr<Output> make_html_report(const std::string& path, const OutputParams& params);

} // namespace volley::output
