#include "app/dial_options.hpp"

#include <boost/json.hpp>

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

} // namespace volley::app
