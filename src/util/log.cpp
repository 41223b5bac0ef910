#include "util/log.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <mutex>

#include <fmt/format.h>

#include "util/go_quote.hpp"

namespace volley::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::atomic<Format> g_format{Format::kText};
std::mutex g_mutex;
std::FILE* g_out = stderr;                   // null: nowhere (--log-output none)
std::atomic<Level> g_out_min{Level::kDebug}; // the output's own minimum (a log file's `level=`)

const char* level_name(Level l) {
    switch (l) {
    case Level::kDebug:
        return "debug";
    case Level::kInfo:
        return "info";
    case Level::kWarn:
        return "warning";
    case Level::kError:
        return "error";
    case Level::kOff:
        break;
    }
    return "off";
}

// RFC 3339 in local time with the zone offset, as logrus prints it.
// k6 logs `vu` and `iter` as numbers (logrus fields of Go integer types).
bool is_numeric_field(std::string_view key, std::string_view value) {
    return (key == "vu" || key == "iter") && !value.empty() && value.size() < 20 &&
           std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string now_rfc3339() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &tm);
    std::string s(buf);
    // +0000 -> Z, +0100 -> +01:00
    if (s.size() >= 5) {
        std::string off = s.substr(s.size() - 5);
        s.resize(s.size() - 5);
        s += off == "+0000" ? std::string("Z") : off.substr(0, 3) + ":" + off.substr(3);
    }
    return s;
}

void append_json_string(std::string& out, std::string_view v) {
    out += '"';
    for (unsigned char c : v) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                out += fmt::format("\\u{:04x}", c);
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
}

} // namespace

void set_level(Level l) {
    g_level.store(l);
}
Level level() {
    return g_level.load(std::memory_order_relaxed);
}
void set_format(Format f) {
    g_format.store(f);
}
void set_output(std::FILE* out, Level min) {
    std::lock_guard lock(g_mutex);
    g_out = out;
    g_out_min.store(min);
}

std::string quote_if_needed(std::string_view value) {
    bool needs = false; // logrus's QuoteEmptyFields is off: an empty value stays bare
    for (char ch : value) {
        bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                     (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' || ch == '/' ||
                     ch == '@' || ch == '^' || ch == '+';
        if (!plain) {
            needs = true;
            break;
        }
    }
    if (!needs) {
        return std::string(value);
    }
    return go_quote(value); // logrus quotes with %q
}

void write(Level l, std::string_view msg, const Fields& fields) {
    if (l < level() || l < g_out_min.load(std::memory_order_relaxed)) {
        return;
    }
    write_line(format(l, msg, fields));
}

void write_line(std::string_view line) {
    std::lock_guard lock(g_mutex);
    if (g_out != nullptr) {
        std::fwrite(line.data(), 1, line.size(), g_out);
        std::fflush(g_out);
    }
}

std::string format(Level l, std::string_view msg, const Fields& fields, bool fields_always) {
    std::string line;
    Format f = g_format.load(std::memory_order_relaxed);
    if (f == Format::kRaw && fields_always) {
        f = Format::kText;
    }
    if (f == Format::kRaw) {
        line.assign(msg);
    } else if (f == Format::kJson) {
        line = "{\"level\":\"";
        line += level_name(l);
        line += "\",\"msg\":";
        append_json_string(line, msg);
        for (const auto& [k, v] : fields) {
            line += ',';
            append_json_string(line, k);
            line += ':';
            if (is_numeric_field(k, v)) {
                line += v;
            } else {
                append_json_string(line, v);
            }
        }
        line += ",\"time\":\"" + now_rfc3339() + "\"}";
    } else {
        line = "time=\"" + now_rfc3339() + "\" level=" + level_name(l);
        if (!msg.empty()) { // logrus leaves out an empty message
            line += " msg=" + quote_if_needed(msg);
        }
        for (const auto& [k, v] : fields) {
            line += ' ' + k + '=' + quote_if_needed(v);
        }
    }
    line += '\n';
    return line;
}

void Logger::debug(std::string_view msg) const {
    if (enabled(Level::kDebug)) {
        write(Level::kDebug, msg, {{"component", name_}});
    }
}

bool RateLimit::allow(std::uint64_t& suppressed) {
    using namespace std::chrono;
    suppressed = 0;
    auto now = duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
    auto start = window_start_ms_.load(std::memory_order_relaxed);
    if (now - start >= period_.count() &&
        window_start_ms_.compare_exchange_strong(start, now, std::memory_order_relaxed)) {
        used_.store(0, std::memory_order_relaxed);
        suppressed = dropped_.exchange(0, std::memory_order_relaxed);
    }
    if (used_.fetch_add(1, std::memory_order_relaxed) < burst_) {
        return true;
    }
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
}

} // namespace volley::log
