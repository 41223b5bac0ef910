#pragma once

// k6's resolver (lib/netext/resolver.go) for every dial by host name (k6/http, k6/ws,
// k6/websockets): the answer's addresses are kept to one IP version by the policy, reused for
// the TTL, and one is picked per dial by the select strategy. Shared by the whole instance:
// any thread (a mutex guards the cache; lookups run outside it, on the caller's coroutine).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include "util/coroutine.hpp"
#include "util/time.hpp"

namespace volley::net {

enum class DnsSelect { kFirst, kRoundRobin, kRandom };
enum class DnsPolicy { kPreferIpv4, kPreferIpv6, kOnlyIpv4, kOnlyIpv6, kAny };

struct DnsConfig {
    SteadyClock::duration ttl = std::chrono::minutes(5); // 0: every dial looks up
    DnsSelect select = DnsSelect::kRandom;
    DnsPolicy policy = DnsPolicy::kPreferIpv4;
};

class DnsResolver {
public:
    using Addresses = std::vector<boost::asio::ip::address>;
    // Looks `host` up (the system resolver, on the caller's coroutine): every address, in the
    // resolver's order, or its error.
    using Lookup = std::function<boost::system::result<Addresses>(const std::string& host)>;

    explicit DnsResolver(DnsConfig config = {}) : config_(config) {}

    // k6's defaults, for clients given no resolver (tests, the remote-write output).
    static DnsResolver& fallback();

    // The address to dial for `host`: the cached answer while fresh, else `lookup`'s, kept to
    // the policy's versions and cached; then one chosen by the select strategy. An answer the
    // policy empties fails with policy_emptied().
    boost::system::result<boost::asio::ip::address> resolve(const std::string& host,
                                                            const Lookup& lookup);

    // The policy's filter (k6's applyPolicy).
    static Addresses apply_policy(DnsPolicy policy, const Addresses& all);

private:
    struct Entry {
        Addresses addresses;
        SteadyClock::time_point looked_up;
    };
    boost::asio::ip::address pick(const std::string& host, const Addresses& addresses);

    DnsConfig config_;
    std::mutex mutex_;
    std::map<std::string, Entry> cache_;
    std::map<std::string, std::uint8_t> round_robin_; // k6's per-host uint8 counter
    std::minstd_rand random_{std::random_device{}()};
};

// resolve()'s error when the answer holds no address of the policy's versions: k6 says
// `lookup h: no such host` as for a missing host, but k6/http counts it as error code 1000, not
// 1101. A code no system lookup gives (generic EAFNOSUPPORT).
boost::system::error_code policy_emptied();

using TcpResolver = boost::asio::ip::basic_resolver<boost::asio::ip::tcp, Executor>;

// The system resolver's answer for `host` (getaddrinfo on asio's resolver thread; cancelling
// `resolver` ends it), every address in its order, or its error; none is host_not_found.
boost::system::result<DnsResolver::Addresses> system_lookup(TcpResolver& resolver,
                                                            const std::string& host, Yield yield);

} // namespace volley::net
