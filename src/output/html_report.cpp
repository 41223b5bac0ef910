#include "output/html_report.hpp"

#include "util/error.hpp"

namespace volley::output {

HtmlReport::HtmlReport(const std::string& path, const OutputParams& params)
    : file_("html", path), timeline_(params.registry, params.tags) {}

void HtmlReport::consume(std::span<const metrics::Sample> batch) {
    for (const auto& s : batch) {
        timeline_.add(s);
    }
}

void HtmlReport::write(const Summary& summary, const ReportFacts& facts) {
    file_.write(render_html_report(timeline_, summary, facts));
    file_.close();
}

std::unique_ptr<Output> make_html_report(const std::string& path, const OutputParams& params) {
    if (path.empty()) {
        throw UserError("the html output needs a file name", "use --out html=report.html",
                        ExitCode::kGeneric);
    }
    return std::make_unique<HtmlReport>(path, params);
}

} // namespace volley::output
