#include "output/svg_chart.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace volley::output {
namespace {

constexpr double kWidth = 520;
constexpr double kHeight = 200;
constexpr double kLeft = 64;
constexpr double kRight = 16;
constexpr double kTop = 12;
constexpr double kBottom = 28;
constexpr int kGridLines = 4;

// The smallest of 1, 2, 2.5, 5 × 10^k at or above `v` (v > 0).
double nice_ceiling(double v) {
    double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (m * p >= v * (1 - 1e-12)) {
            return m * p;
        }
    }
    return 10 * p;
}

std::string number(double v) {
    if (v == 0) {
        return "0";
    }
    double a = std::abs(v);
    if (a >= 1e6) {
        return fmt::format("{:.3g}M", v / 1e6);
    }
    if (a >= 1e3) {
        return fmt::format("{:.3g}k", v / 1e3);
    }
    return fmt::format("{:.3g}", v);
}

double max_value(const ChartSpec& spec) {
    double top = 0;
    for (const auto& s : spec.series) {
        for (const auto& v : s.values) {
            if (v && std::isfinite(*v)) {
                top = std::max(top, *v);
            }
        }
    }
    return top;
}

std::size_t steps(const ChartSpec& spec) {
    std::size_t n = 0;
    for (const auto& s : spec.series) {
        n = std::max(n, s.values.size());
    }
    return n;
}

void axes(std::string& svg, double top, std::size_t n, const ChartSpec& spec) {
    const double plot_h = kHeight - kTop - kBottom;
    const double plot_w = kWidth - kLeft - kRight;
    for (int i = 0; i <= kGridLines; ++i) {
        double y = kTop + plot_h * (1 - static_cast<double>(i) / kGridLines);
        svg += fmt::format(R"(<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" class="grid"/>)", kLeft,
                           y, kWidth - kRight, y);
        svg += fmt::format(R"(<text x="{}" y="{:.1f}" class="ylabel">{}{}</text>)", kLeft - 6,
                           y + 4, number(top * i / kGridLines), html_escape(spec.unit));
    }
    double total_s = spec.x_step_s * static_cast<double>(std::max<std::size_t>(n, 1) - 1);
    for (int i = 0; i <= 4; ++i) {
        double x = kLeft + plot_w * i / 4;
        svg += fmt::format(R"(<text x="{:.1f}" y="{}" class="xlabel">{}s</text>)", x, kHeight - 8,
                           number(total_s * i / 4));
    }
}

std::string polyline(const ChartSeries& s, double top, std::size_t n) {
    const double plot_h = kHeight - kTop - kBottom;
    const double plot_w = kWidth - kLeft - kRight;
    std::string points;
    for (std::size_t i = 0; i < s.values.size(); ++i) {
        if (!s.values[i] || !std::isfinite(*s.values[i])) {
            continue;
        }
        double x = n > 1 ? kLeft + plot_w * static_cast<double>(i) / static_cast<double>(n - 1)
                         : kLeft + plot_w / 2;
        double y = kTop + plot_h * (1 - *s.values[i] / top);
        points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", x, y);
    }
    return fmt::format(
        R"(<polyline points="{}" stroke="{}" class="line"><title>{}</title></polyline>)", points,
        html_escape(s.color), html_escape(s.name));
}

} // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string svg_chart(const ChartSpec& spec) {
    std::string out =
        "<figure class=\"chart\"><figcaption>" + html_escape(spec.title) + "</figcaption>";
    std::size_t n = steps(spec);
    double top = max_value(spec);
    bool any = false;
    for (const auto& s : spec.series) {
        any = any || std::any_of(s.values.begin(), s.values.end(),
                                 [](const auto& v) { return v.has_value(); });
    }
    if (!any) {
        return out + "<p class=\"empty\">no samples</p></figure>";
    }
    top = top > 0 ? nice_ceiling(top) : 1;
    out += fmt::format(R"(<svg viewBox="0 0 {} {}" width="{}" height="{}" role="img">)", kWidth,
                       kHeight, kWidth, kHeight);
    axes(out, top, n, spec);
    for (const auto& s : spec.series) {
        out += polyline(s, top, n);
    }
    out += "</svg><p class=\"legend\">";
    for (const auto& s : spec.series) {
        out += fmt::format(R"(<span><i style="background:{}"></i>{}</span>)", html_escape(s.color),
                           html_escape(s.name));
    }
    return out + "</p></figure>";
}

} // namespace volley::output
