#include "wsecho/compress.hpp"

#include <zlib.h>

namespace volley::wsecho {

namespace {

// windowBits 15: zlib wrapper; 15 + 16: gzip wrapper. The inputs are small fixed documents, so
// one deflate() call with a bound-sized output always finishes.
std::string compress(std::string_view data, int window_bits) {
    z_stream z{};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
        return {};
    }
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 32, '\0');
    // zlib's API takes non-const input pointers but does not write through them.
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&z, Z_FINISH);
    out.resize(rc == Z_STREAM_END ? z.total_out : 0);
    deflateEnd(&z);
    return out;
}

} // namespace

std::string gzip_compress(std::string_view data) {
    return compress(data, 15 + 16);
}

std::string zlib_compress(std::string_view data) {
    return compress(data, 15);
}

} // namespace volley::wsecho
