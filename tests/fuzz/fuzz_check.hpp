#pragma once

// What the fuzz targets share: a check that stops the fuzzer with a crash (libFuzzer then keeps
// the input) and the input as a string_view.

#include <cstdint>
#include <cstdio>
#include <string_view>

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed\n", __FILE__, __LINE__, #cond);     \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (false)

namespace volley::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size}; // NOLINT(*-reinterpret-cast): bytes
}

} // namespace volley::fuzz
