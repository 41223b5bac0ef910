// Hot paths of src/net/frame.hpp, per message: a client writes a masked frame (header + masked
// copy of the payload), and parses the unmasked header of each server frame. Reported time per
// iteration = ns per frame; bytes/s counts payload bytes where the payload is touched.

#include <cstdint>
#include <cstring>
#include <vector>

#include <benchmark/benchmark.h>

#include "net/frame.hpp"

namespace {

using namespace volley::net;

// What send_text does before the write: a fresh key, the header, the masked payload.
void BM_EncodeMaskedFrame(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<std::uint8_t> payload(n, 'x');
    std::vector<std::uint8_t> out(kMaxFrameHeader + n);
    for (auto _ : state) {
        std::uint32_t mask = random_mask();
        std::size_t h = write_frame_header(out.data(), Opcode::kText, true, false, n, mask);
        copy_masked(out.data() + h, payload.data(), n, mask);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_EncodeMaskedFrame)->Arg(5)->Arg(64)->Arg(1024)->Arg(16384);

// The reader's per-frame work on a server frame: decode the header (payload is not masked).
void BM_ParseServerFrameHeader(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<std::uint8_t> frame(kMaxFrameHeader + n);
    // An unmasked server frame: write a masked header, then clear the mask bit and key.
    std::size_t h = write_frame_header(frame.data(), Opcode::kText, true, false, n, 0);
    frame[1] &= 0x7f;
    std::memmove(frame.data() + h - 4, frame.data() + h, n);
    FrameHeader fh;
    for (auto _ : state) {
        benchmark::DoNotOptimize(parse_frame_header(frame.data(), h - 4 + n, fh));
        benchmark::DoNotOptimize(fh);
    }
}
BENCHMARK(BM_ParseServerFrameHeader)->Arg(64)->Arg(1024)->Arg(70000);

// In-place unmasking (the echo server's side, and compressed client payloads).
void BM_ApplyMask(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<std::uint8_t> data(n, 'x');
    for (auto _ : state) {
        apply_mask(data.data(), n, 0x12345678u);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_ApplyMask)->Arg(64)->Arg(1024)->Arg(16384);

void BM_RandomMask(benchmark::State& state) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(random_mask());
    }
}
BENCHMARK(BM_RandomMask);

} // namespace
