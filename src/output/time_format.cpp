#include "output/time_format.hpp"

#include <cstdlib>
#include <ctime>

#include <fmt/format.h>

namespace volley::output {
namespace {

std::string format_local(std::int64_t unix_ns, bool with_nanos) {
    std::int64_t secs = unix_ns / 1'000'000'000;
    std::int64_t nanos = unix_ns % 1'000'000'000;
    if (nanos < 0) {
        nanos += 1'000'000'000;
        --secs;
    }
    auto t = static_cast<std::time_t>(secs);
    std::tm tm{};
    localtime_r(&t, &tm);
    std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900,
                                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (with_nanos && nanos != 0) {
        std::string frac = fmt::format("{:09}", nanos);
        frac.erase(frac.find_last_not_of('0') + 1);
        out += "." + frac;
    }
    long off = tm.tm_gmtoff;
    if (off == 0) {
        return out + "Z";
    }
    char sign = off < 0 ? '-' : '+';
    off = std::labs(off);
    return out + fmt::format("{}{:02}:{:02}", sign, off / 3600, (off % 3600) / 60);
}

// Go's fmtFrac + fmtInt for one unit: "1.5" from 1500 with 3 digits.
std::string with_fraction(std::uint64_t v, int digits) {
    std::uint64_t scale = 1;
    for (int i = 0; i < digits; ++i) {
        scale *= 10;
    }
    std::string out = std::to_string(v / scale);
    std::uint64_t frac = v % scale;
    if (frac != 0) {
        std::string f = fmt::format("{:0{}}", frac, digits);
        f.erase(f.find_last_not_of('0') + 1);
        out += "." + f;
    }
    return out;
}

} // namespace

std::string rfc3339_nano_local(std::int64_t unix_ns) {
    return format_local(unix_ns, true);
}

std::string rfc3339_local(std::int64_t unix_ns) {
    return format_local(unix_ns, false);
}

std::string go_duration_string(std::int64_t ns) {
    if (ns == 0) {
        return "0s";
    }
    std::string sign = ns < 0 ? "-" : "";
    auto u = static_cast<std::uint64_t>(ns < 0 ? -ns : ns);
    if (u < 1'000) {
        return sign + std::to_string(u) + "ns";
    }
    if (u < 1'000'000) {
        return sign + with_fraction(u, 3) + "µs";
    }
    if (u < 1'000'000'000) {
        return sign + with_fraction(u, 6) + "ms";
    }
    std::uint64_t secs_ns = u % 60'000'000'000;
    std::uint64_t minutes = u / 60'000'000'000;
    std::string out = with_fraction(secs_ns, 9) + "s";
    if (minutes == 0) {
        return sign + out;
    }
    out = std::to_string(minutes % 60) + "m" + out;
    if (minutes < 60) {
        return sign + out;
    }
    return sign + std::to_string(minutes / 60) + "h" + out;
}

} // namespace volley::output
