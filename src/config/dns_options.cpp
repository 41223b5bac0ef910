#include "config/dns_options.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace volley::config {
namespace {

constexpr std::array<std::string_view, 3> kSelects{"first", "roundRobin", "random"};
constexpr std::array<std::string_view, 5> kPolicies{"preferIPv4", "preferIPv6", "onlyIPv4",
                                                    "onlyIPv6", "any"};

template <std::size_t N>
std::string not_one_of(const std::array<std::string_view, N>& names, const std::string& value,
                       const char* type) {
    if (std::find(names.begin(), names.end(), value) != names.end()) {
        return "";
    }
    return fmt::format("{} does not belong to {} values", value, type);
}

} // namespace

std::string dns_select_error(const std::string& value) {
    return not_one_of(kSelects, value, "DNSSelect");
}

std::string dns_policy_error(const std::string& value) {
    return not_one_of(kPolicies, value, "DNSPolicy");
}

boost::system::result<DnsFields, std::string> parse_dns_text(std::string_view text) {
    DnsFields f;
    if (text.empty() || text == "ttl=5m,select=random,policy=preferIPv4") {
        return f; // k6 leaves an empty flag unset
    }
    auto fail = [](std::string message) {
        return boost::system::result<DnsFields, std::string>(boost::system::in_place_error,
                                                             std::move(message));
    };
    std::vector<std::pair<std::string, std::string>> items; // k6 checks every value first
    for (std::size_t start = 0;;) {
        auto comma = text.find(',', start);
        std::string_view item = text.substr(start, comma - start);
        auto eq = item.find('=');
        std::string value(eq == std::string_view::npos ? "" : item.substr(eq + 1));
        if (value.empty()) {
            return fail(fmt::format("no value for key {}", item));
        }
        items.emplace_back(item.substr(0, eq), std::move(value));
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    for (auto& [key, value] : items) {
        if (key == "ttl") {
            f.ttl = value;
        } else if (key == "select") {
            if (auto e = dns_select_error(value); !e.empty()) {
                return fail(e);
            }
            f.select = value;
        } else if (key == "policy") {
            if (auto e = dns_policy_error(value); !e.empty()) {
                return fail(e);
            }
            f.policy = value;
        } else {
            return fail("unknown DNS configuration field: " + key);
        }
    }
    return f;
}

boost::system::result<Duration, std::string> dns_ttl(const std::optional<std::string>& ttl) {
    if (!ttl || ttl->empty()) {
        return Duration(std::chrono::minutes(5));
    }
    if (*ttl == "inf") {
        return Duration(std::chrono::hours(24 * 365));
    }
    auto d = parse_duration(*ttl);
    if (!d || d->count() < 0) {
        return {boost::system::in_place_error, "invalid DNS TTL: " + *ttl};
    }
    return *d;
}

} // namespace volley::config
