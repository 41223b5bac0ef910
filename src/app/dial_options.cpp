#include "app/dial_options.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "util/error.hpp"

namespace volley::app {
namespace {

[[noreturn]] void invalid(const std::string& option, const std::string& why) {
    throw UserError("There were problems with the specified script configuration:\n\t- " + option +
                        ": " + why,
                    {}, ExitCode::kInvalidConfig);
}

std::vector<std::string> string_list(const boost::json::value& v, const std::string& option) {
    std::vector<std::string> out;
    if (v.is_null()) {
        return out;
    }
    if (!v.is_array()) {
        invalid(option, "expected an array of strings");
    }
    for (const auto& item : v.get_array()) {
        if (!item.is_string()) {
            invalid(option, "expected an array of strings");
        }
        out.emplace_back(item.get_string());
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> host_list(const boost::json::value& v) {
    std::vector<std::pair<std::string, std::string>> out;
    if (v.is_null()) {
        return out;
    }
    if (!v.is_object()) {
        invalid("hosts", "expected an object of host names to addresses");
    }
    for (const auto& [key, value] : v.get_object()) {
        if (!value.is_string()) {
            invalid("hosts", "the address of '" + std::string(key) + "' must be a string");
        }
        out.emplace_back(std::string(key), std::string(value.get_string()));
    }
    return out;
}

} // namespace

std::unique_ptr<net::DialPolicy> make_dial_policy(const config::RunOptions& options) {
    auto made = net::DialPolicy::make(host_list(options.hosts),
                                      string_list(options.blacklist_ips, "blacklistIPs"),
                                      string_list(options.block_hostnames, "blockHostnames"));
    if (!made) {
        invalid("hosts, blacklistIPs or blockHostnames", made.error());
    }
    if (made->empty()) {
        return nullptr;
    }
    return std::make_unique<net::DialPolicy>(std::move(*made));
}

std::unique_ptr<net::DnsResolver> make_dns_resolver(const config::DnsFields& dns) {
    auto ttl = config::dns_ttl(dns.ttl);
    if (!ttl) {
        throw UserError(ttl.error(), "use a duration such as 5m, 0 (no cache) or inf",
                        ExitCode::kGeneric);
    }
    net::DnsConfig c;
    c.ttl = *ttl;
    const std::string select = dns.select.value_or("random");
    c.select = select == "first"        ? net::DnsSelect::kFirst
               : select == "roundRobin" ? net::DnsSelect::kRoundRobin
                                        : net::DnsSelect::kRandom;
    const std::string policy = dns.policy.value_or("preferIPv4");
    c.policy = policy == "preferIPv6" ? net::DnsPolicy::kPreferIpv6
               : policy == "onlyIPv4" ? net::DnsPolicy::kOnlyIpv4
               : policy == "onlyIPv6" ? net::DnsPolicy::kOnlyIpv6
               : policy == "any"      ? net::DnsPolicy::kAny
                                      : net::DnsPolicy::kPreferIpv4;
    return std::make_unique<net::DnsResolver>(c);
}

std::unique_ptr<net::IpPool> make_local_ips(const std::optional<std::string>& flag,
                                            const std::map<std::string, std::string>& env) {
    const char* hint = "give IPs, ranges FIRST-LAST and CIDRs, comma-separated";
    // k6's NullIPPool: an empty value is unset; `refuse` throws for a bad one.
    auto parse = [](const std::string& text, auto refuse) -> std::unique_ptr<net::IpPool> {
        if (text.empty()) {
            return nullptr;
        }
        auto made = net::IpPool::parse(text);
        if (!made) {
            refuse(made.error());
        }
        return std::make_unique<net::IpPool>(std::move(*made));
    };
    std::unique_ptr<net::IpPool> from_flag;
    if (flag) {
        from_flag = parse(
            *flag, [&](const std::string& why) { throw UserError(why, hint, ExitCode::kGeneric); });
    }
    // k6 reads every K6_ variable, so a bad one fails even when the flag is given; an empty
    // flag leaves the variable in force.
    std::unique_ptr<net::IpPool> from_env;
    if (auto var = env.find("K6_LOCAL_IPS"); var != env.end()) {
        from_env = parse(var->second, [&](const std::string& why) {
            throw UserError(fmt::format("envconfig.Process: assigning K6_LOCAL_IPS to LocalIPs: "
                                        "converting '{}' to type types.NullIPPool. details: {}",
                                        var->second, why),
                            hint, ExitCode::kInvalidConfig);
        });
    }
    return from_flag ? std::move(from_flag) : std::move(from_env);
}

} // namespace volley::app
