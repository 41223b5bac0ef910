#pragma once

// Line charts as inline SVG for the HTML report: no script and no network, so the page draws
// the same wherever it is opened. Pure; any thread.

#include <optional>
#include <string>
#include <vector>

namespace volley::output {

struct ChartSeries {
    std::string name;
    std::string color;                         // CSS colour
    std::vector<std::optional<double>> values; // one per x step; nullopt: no point there
};

struct ChartSpec {
    std::string title;
    std::string unit;    // after the y labels ("/s", "ms", "%")
    double x_step_s = 1; // seconds between two values
    std::vector<ChartSeries> series;
};

// One <figure> with the chart's title, an <svg> with axes, grid, one polyline per series and a
// legend. A chart without any value says so instead of drawing empty axes.
std::string svg_chart(const ChartSpec& spec);

// `text` with &, <, >, " and ' escaped for HTML.
std::string html_escape(std::string_view text);

} // namespace volley::output
