#include "output/csv.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "output/time_format.hpp"
#include "util/error.hpp"

namespace volley::output {
namespace {

const std::vector<std::string> kAllSystemTags = {
    "proto", "subproto", "status",      "method",      "url",      "name",    "group",
    "check", "error",    "error_code",  "tls_version", "scenario", "service", "expected_response",
    "iter",  "vu",       "ocsp_status", "ip"};

const std::vector<std::string> kDefaultSystemTags = {
    "proto", "subproto", "status",     "method",      "url",      "name",    "group",
    "check", "error",    "error_code", "tls_version", "scenario", "service", "expected_response"};

const std::vector<std::string> kTimeFormats = {"unix",      "unix_milli", "unix_micro",
                                               "unix_nano", "rfc3339",    "rfc3339_nano"};

} // namespace

std::string csv_field(const std::string& field) {
    bool quote = field == "\\." || field.find_first_of(",\"\r\n") != std::string::npos ||
                 (!field.empty() && (field[0] == ' ' || field[0] == '\t'));
    if (!quote) {
        return field;
    }
    std::string out = "\"";
    for (char c : field) {
        out += c == '"' ? "\"\"" : std::string(1, c);
    }
    return out + "\"";
}

CsvOutput::CsvOutput(const std::string& path, const OutputParams& params)
    : params_(params), file_("csv", path) {
    if (std::find(kTimeFormats.begin(), kTimeFormats.end(), params_.csv_time_format) ==
        kTimeFormats.end()) {
        throw UserError(fmt::format("unsupported CSV timeFormat '{}'", params_.csv_time_format),
                        "use unix, unix_milli, unix_micro, unix_nano, rfc3339 or rfc3339_nano",
                        ExitCode::kGeneric); // as k6: an output that cannot be made has no code
    }
    const auto& enabled = params_.system_tags.empty() ? kDefaultSystemTags : params_.system_tags;
    for (const auto& tag : kAllSystemTags) {
        bool on = std::find(enabled.begin(), enabled.end(), tag) != enabled.end();
        (on ? columns_ : ignored_).push_back(tag);
    }
    std::sort(columns_.begin(), columns_.end());
    std::string header = "metric_name,timestamp,metric_value";
    for (const auto& c : columns_) {
        header += "," + c;
    }
    file_.write(header + ",extra_tags,metadata\n");
}

std::string CsvOutput::description() const {
    return "csv (" + (file_.path().empty() ? std::string("-") : file_.path()) + ")";
}

std::string CsvOutput::timestamp(std::int64_t ns) const {
    const std::string& f = params_.csv_time_format;
    if (f == "unix_milli") {
        return std::to_string(ns / 1'000'000);
    }
    if (f == "unix_micro") {
        return std::to_string(ns / 1'000);
    }
    if (f == "unix_nano") {
        return std::to_string(ns);
    }
    if (f == "rfc3339") {
        return rfc3339_local(ns);
    }
    if (f == "rfc3339_nano") {
        return rfc3339_nano_local(ns);
    }
    return std::to_string(ns / 1'000'000'000);
}

void CsvOutput::append_row(const metrics::Sample& s, std::string& out) const {
    const metrics::TagMap& tags = params_.tags.get(s.tags);
    out += csv_field(params_.registry.def(s.metric).name);
    out += "," + timestamp(s.time_ns) + "," + fmt::format("{:.6f}", s.value);
    for (const auto& c : columns_) {
        auto it = tags.find(c);
        out += "," + csv_field(it == tags.end() ? std::string() : it->second);
    }
    std::string extra;
    for (const auto& [k, v] : tags) {
        bool system = std::find(columns_.begin(), columns_.end(), k) != columns_.end() ||
                      std::find(ignored_.begin(), ignored_.end(), k) != ignored_.end();
        if (!system) {
            extra += (extra.empty() ? "" : "&") + k + "=" + v;
        }
    }
    out += "," + csv_field(extra) + ",\n";
}

void CsvOutput::consume(std::span<const metrics::Sample> batch) {
    buffer_.clear();
    for (const auto& s : batch) {
        append_row(s, buffer_);
    }
    file_.write(buffer_);
}

void CsvOutput::stop() {
    file_.close();
}

} // namespace volley::output
