// Frame headers as they come off the wire (net/frame.hpp): parsing any bytes either asks for
// more or yields a header that fits the bytes given; written again and parsed back, it gives the
// same fields; masking by copy equals masking in place.

#include <array>
#include <cstring>
#include <vector>

#include "fuzz_check.hpp"
#include "net/frame.hpp"

using namespace volley::net;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FrameHeader h;
    if (!parse_frame_header(data, size, h)) {
        return 0;
    }
    FUZZ_CHECK(h.header_size >= 2 && h.header_size <= kMaxFrameHeader && h.header_size <= size);
    FUZZ_CHECK(h.masked == ((data[1] & 0x80) != 0));
    if (!has_negative_length(h)) {
        std::array<std::uint8_t, kMaxFrameHeader> out{};
        std::size_t n = write_frame_header(out.data(), static_cast<Opcode>(h.opcode), h.fin, h.rsv1,
                                           h.length, h.mask);
        FrameHeader back;
        FUZZ_CHECK(parse_frame_header(out.data(), n, back));
        FUZZ_CHECK(back.header_size == n && back.length == h.length && back.fin == h.fin &&
                   back.rsv1 == h.rsv1 && back.opcode == h.opcode && back.masked &&
                   back.mask == h.mask);
    }
    std::size_t rest = size - h.header_size;
    std::vector<std::uint8_t> copied(rest);
    std::vector<std::uint8_t> in_place(data + h.header_size, data + size);
    copy_masked(copied.data(), data + h.header_size, rest, h.mask);
    apply_mask(in_place.data(), rest, h.mask);
    FUZZ_CHECK(copied == in_place);
    return 0;
}
