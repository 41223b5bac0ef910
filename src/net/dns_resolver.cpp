#include "net/dns_resolver.hpp"

#include <boost/asio/error.hpp>

namespace volley::net {

boost::system::error_code policy_emptied() {
    return make_error_code(boost::system::errc::address_family_not_supported);
}

DnsResolver& DnsResolver::fallback() {
    static DnsResolver resolver;
    return resolver;
}

DnsResolver::Addresses DnsResolver::apply_policy(DnsPolicy policy, const Addresses& all) {
    if (policy == DnsPolicy::kAny) {
        return all;
    }
    Addresses v4;
    Addresses v6;
    for (const auto& a : all) {
        bool is_v4 = a.is_v4() || (a.is_v6() && a.to_v6().is_v4_mapped());
        (is_v4 ? v4 : v6).push_back(a);
    }
    switch (policy) {
    case DnsPolicy::kPreferIpv4:
        return v4.empty() ? v6 : v4;
    case DnsPolicy::kPreferIpv6:
        return v6.empty() ? v4 : v6;
    case DnsPolicy::kOnlyIpv4:
        return v4;
    case DnsPolicy::kOnlyIpv6:
    case DnsPolicy::kAny:
        break;
    }
    return v6;
}

boost::system::result<boost::asio::ip::address> DnsResolver::resolve(const std::string& host,
                                                                     const Lookup& lookup) {
    Addresses addresses;
    bool cached = false;
    if (config_.ttl.count() > 0) {
        std::lock_guard lock(mutex_);
        auto it = cache_.find(host);
        if (it != cache_.end() && SteadyClock::now() - it->second.looked_up < config_.ttl) {
            addresses = it->second.addresses;
            cached = true;
        }
    }
    if (!cached) {
        auto answer = lookup(host);
        if (!answer) {
            return answer.error();
        }
        addresses = apply_policy(config_.policy, *answer);
        if (config_.ttl.count() > 0) {
            std::lock_guard lock(mutex_);
            cache_[host] = Entry{addresses, SteadyClock::now()};
        }
    }
    if (addresses.empty()) {
        return policy_emptied();
    }
    return pick(host, addresses);
}

boost::asio::ip::address DnsResolver::pick(const std::string& host, const Addresses& addresses) {
    switch (config_.select) {
    case DnsSelect::kFirst:
        return addresses.front();
    case DnsSelect::kRoundRobin: {
        std::lock_guard lock(mutex_);
        std::uint8_t& turn = round_robin_[host];
        return addresses[turn++ % addresses.size()];
    }
    case DnsSelect::kRandom:
        break;
    }
    std::lock_guard lock(mutex_);
    std::uniform_int_distribution<std::size_t> index(0, addresses.size() - 1);
    return addresses[index(random_)];
}

boost::system::result<DnsResolver::Addresses> system_lookup(TcpResolver& resolver,
                                                            const std::string& host, Yield yield) {
    boost::system::error_code ec;
    auto results = resolver.async_resolve(host, "", yield[ec]);
    if (ec) {
        return ec;
    }
    DnsResolver::Addresses out;
    for (const auto& entry : results) {
        out.push_back(entry.endpoint().address());
    }
    if (out.empty()) {
        return boost::system::error_code(boost::asio::error::host_not_found);
    }
    return out;
}

} // namespace volley::net
