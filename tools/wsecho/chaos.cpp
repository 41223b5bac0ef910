#include "wsecho/chaos.hpp"

#include <array>
#include <charconv>

#include "util/error.hpp"

namespace volley::wsecho {
namespace {

constexpr std::array<std::pair<std::string_view, Misbehaviour>, 14> kNames{{
    {"echo", Misbehaviour::kEcho},
    {"reset", Misbehaviour::kReset},
    {"hang", Misbehaviour::kHang},
    {"status", Misbehaviour::kStatus},
    {"garbage-handshake", Misbehaviour::kGarbageHandshake},
    {"drop", Misbehaviour::kDrop},
    {"garbage", Misbehaviour::kGarbage},
    {"huge-frame", Misbehaviour::kHugeFrame},
    {"invalid-utf8", Misbehaviour::kInvalidUtf8},
    {"noread", Misbehaviour::kNoRead},
    {"flood", Misbehaviour::kFlood},
    {"ping-flood", Misbehaviour::kPingFlood},
    {"bad-close", Misbehaviour::kBadClose},
    {"half-close", Misbehaviour::kHalfClose},
}};

constexpr std::array<std::string_view, 10> kGarbageKinds{"opcode",  "rsv",       "rsv1", "masked",
                                                         "bigping", "fragping",  "cont", "stub",
                                                         "neglen",  "textneglen"};
constexpr std::array<int, 5> kStatuses{200, 400, 403, 500, 503};
constexpr std::array<int, 4> kBadCloseCodes{999, 1005, 1006, 1100};

std::string names_hint() {
    std::string hint = "--chaos SEED[:NAME[=WEIGHT],...] with NAME one of";
    for (const auto& [name, m] : kNames) {
        hint += ' ';
        hint += name;
    }
    return hint;
}

template <class T> bool parse_whole(std::string_view s, T& out) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
}

[[noreturn]] void bad(const std::string& what) {
    throw UserError("invalid --chaos: " + what, names_hint());
}

std::pair<Misbehaviour, unsigned> parse_entry(std::string_view entry) {
    auto eq = entry.find('=');
    std::string_view name = entry.substr(0, eq);
    unsigned weight = 1;
    if (eq != std::string_view::npos && !parse_whole(entry.substr(eq + 1), weight)) {
        bad("weight of \"" + std::string(name) + "\" is not a whole number");
    }
    for (const auto& [n, m] : kNames) {
        if (n == name) {
            return {m, weight};
        }
    }
    bad("unknown misbehaviour \"" + std::string(name) + "\"");
}

// SplitMix64: a well-mixed 64-bit value from (seed, connection), so that draws do not depend on
// the standard library's engines.
std::uint64_t mix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

template <class Array> auto choose(const Array& a, std::uint64_t r) {
    return a[r % a.size()];
}

} // namespace

ChaosMix parse_chaos(std::string_view text) {
    ChaosMix mix;
    auto colon = text.find(':');
    if (!parse_whole(text.substr(0, colon), mix.seed)) {
        bad("seed \"" + std::string(text.substr(0, colon)) + "\" is not a whole number");
    }
    if (colon == std::string_view::npos) {
        for (const auto& [n, m] : kNames) {
            mix.weights.emplace_back(m, 1);
        }
        return mix;
    }
    std::string_view rest = text.substr(colon + 1);
    std::uint64_t total = 0; // many weights near UINT_MAX must not wrap to 0
    while (true) {
        auto comma = rest.find(',');
        auto entry = parse_entry(rest.substr(0, comma));
        total += entry.second;
        if (entry.second > 0) {
            mix.weights.push_back(entry);
        }
        if (comma == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(comma + 1);
    }
    if (total == 0) {
        bad("the weights add up to 0");
    }
    return mix;
}

ChaosPick pick_chaos(const ChaosMix& mix, std::uint64_t connection) {
    std::uint64_t r = mix64(mix.seed ^ mix64(connection));
    std::uint64_t total = 0;
    for (const auto& w : mix.weights) {
        total += w.second;
    }
    std::uint64_t slot = r % total;
    ChaosPick p;
    for (const auto& [m, weight] : mix.weights) {
        if (slot < weight) {
            p.what = m;
            break;
        }
        slot -= weight;
    }
    std::uint64_t r2 = mix64(r);
    switch (p.what) {
    case Misbehaviour::kReset:
    case Misbehaviour::kDrop:
        p.n = 1 + static_cast<int>(r2 % 5);
        break;
    case Misbehaviour::kStatus:
        p.n = choose(kStatuses, r2);
        break;
    case Misbehaviour::kBadClose:
        p.n = choose(kBadCloseCodes, r2);
        break;
    case Misbehaviour::kGarbage:
        p.kind = choose(kGarbageKinds, r2);
        break;
    default:
        break;
    }
    return p;
}

std::string_view misbehaviour_name(Misbehaviour m) {
    for (const auto& [n, v] : kNames) {
        if (v == m) {
            return n;
        }
    }
    return "?";
}

std::string describe(const ChaosMix& mix) {
    std::string out;
    for (const auto& [m, weight] : mix.weights) {
        if (!out.empty()) {
            out += ", ";
        }
        out += misbehaviour_name(m);
        if (weight != 1) {
            out += "=" + std::to_string(weight);
        }
    }
    return out;
}

} // namespace volley::wsecho
