#pragma once

// The raw floor of the benchmarks: pingpong and churn over plain epoll (see raw_floor.cpp).

#include "native_client.hpp"

namespace volley::native_client {

// Runs options.mode on one thread with one epoll set; bounded by options.seconds + 10 s.
// Throws std::invalid_argument unless options.url is ws:// with an IPv4 address.
NativeResult run_raw(const NativeOptions& options);

} // namespace volley::native_client
