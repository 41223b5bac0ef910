#include "net/content_encoding.hpp"

#include <array>

#include <zlib.h>

#include "net/headers.hpp"
#include "util/ascii.hpp"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <zstd.h>

namespace volley::net {
namespace {

using Result = boost::system::result<std::string, std::string>;

Result ok(std::string s) {
    return {boost::system::in_place_value, std::move(s)};
}

// zlib with a window that selects the framing: 15 + 16 gzip, 15 zlib (HTTP's "deflate").
Result zlib_inflate(std::string_view in, int window_bits, const char* kind) {
    z_stream z{};
    if (inflateInit2(&z, window_bits) != Z_OK) {
        return {boost::system::in_place_error, std::string(kind) + ": out of memory"};
    }
    std::string out;
    std::array<unsigned char, 16384> chunk{};
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = chunk.data();
        z.avail_out = chunk.size();
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(reinterpret_cast<const char*>(chunk.data()), chunk.size() - z.avail_out);
        if (rc == Z_BUF_ERROR && z.avail_in == 0) {
            break; // the input ended before the stream did
        }
    }
    inflateEnd(&z);
    if (rc == Z_STREAM_END) {
        return ok(std::move(out));
    }
    if (rc == Z_DATA_ERROR && window_bits > 15) {
        return {boost::system::in_place_error, "gzip: invalid header"};
    }
    if (rc == Z_DATA_ERROR) {
        return {boost::system::in_place_error, "zlib: invalid header"};
    }
    return {boost::system::in_place_error, "unexpected EOF"};
}

Result brotli_decode(std::string_view in) {
    BrotliDecoderState* s = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
    std::string out;
    const auto* next_in = reinterpret_cast<const uint8_t*>(in.data());
    std::size_t avail_in = in.size();
    std::array<uint8_t, 16384> chunk{};
    BrotliDecoderResult rc = BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT;
    while (rc == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) {
        uint8_t* next_out = chunk.data();
        std::size_t avail_out = chunk.size();
        rc = BrotliDecoderDecompressStream(s, &avail_in, &next_in, &avail_out, &next_out, nullptr);
        out.append(reinterpret_cast<const char*>(chunk.data()), chunk.size() - avail_out);
    }
    BrotliDecoderDestroyInstance(s);
    if (rc == BROTLI_DECODER_RESULT_SUCCESS) {
        return ok(std::move(out));
    }
    return {boost::system::in_place_error, rc == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT
                                               ? "unexpected EOF"
                                               : "brotli: corrupted input"};
}

Result zstd_decode(std::string_view in) {
    ZSTD_DStream* z = ZSTD_createDStream();
    ZSTD_initDStream(z);
    std::string out;
    std::array<char, 16384> chunk{};
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    std::size_t rc = 1;
    while (input.pos < input.size || rc != 0) {
        ZSTD_outBuffer output{chunk.data(), chunk.size(), 0};
        rc = ZSTD_decompressStream(z, &output, &input);
        if (ZSTD_isError(rc) != 0U) {
            ZSTD_freeDStream(z);
            return {boost::system::in_place_error, std::string("zstd: ") + ZSTD_getErrorName(rc)};
        }
        out.append(chunk.data(), output.pos);
        if (output.pos == 0 && input.pos == input.size && rc != 0) {
            ZSTD_freeDStream(z);
            return {boost::system::in_place_error, "unexpected EOF"};
        }
    }
    ZSTD_freeDStream(z);
    return ok(std::move(out));
}

Result zlib_deflate(std::string_view in, int window_bits) {
    z_stream z{};
    deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        return {boost::system::in_place_error, "compression failed"};
    }
    return ok(std::move(out));
}

Result brotli_encode(std::string_view in) {
    std::string out(BrotliEncoderMaxCompressedSize(in.size()), '\0');
    std::size_t size = out.size();
    if (BrotliEncoderCompress(BROTLI_DEFAULT_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC,
                              in.size(), reinterpret_cast<const uint8_t*>(in.data()), &size,
                              reinterpret_cast<uint8_t*>(out.data())) == BROTLI_FALSE) {
        return {boost::system::in_place_error, "compression failed"};
    }
    out.resize(size);
    return ok(std::move(out));
}

Result zstd_encode(std::string_view in) {
    std::string out(ZSTD_compressBound(in.size()), '\0');
    std::size_t size = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3);
    if (ZSTD_isError(size) != 0U) {
        return {boost::system::in_place_error, "compression failed"};
    }
    out.resize(size);
    return ok(std::move(out));
}

Result decode_one(std::string_view encoding, std::string&& body) {
    if (encoding == "gzip") {
        return zlib_inflate(body, 15 + 16, "gzip");
    }
    if (encoding == "deflate") {
        return zlib_inflate(body, 15, "zlib");
    }
    if (encoding == "br") {
        return brotli_decode(body);
    }
    if (encoding == "zstd") {
        return zstd_decode(body);
    }
    return ok(std::move(body)); // an encoding k6 does not know stays as it is
}

} // namespace

bool is_compression_name(std::string_view name) {
    return name == "gzip" || name == "deflate" || name == "br" || name == "zstd";
}

boost::system::result<std::string, std::string> decode_content(std::string_view encodings,
                                                               std::string body) {
    // Applied last first, as listed (k6's readResponseBody walks the list backwards).
    while (!encodings.empty()) {
        auto comma = encodings.rfind(',');
        std::string_view last =
            trim_ows(comma == std::string_view::npos ? encodings : encodings.substr(comma + 1));
        encodings =
            comma == std::string_view::npos ? std::string_view() : encodings.substr(0, comma);
        auto decoded = decode_one(last, std::move(body));
        if (!decoded) {
            return decoded;
        }
        body = std::move(*decoded);
    }
    return ok(std::move(body));
}

boost::system::result<std::string, std::string> encode_content(std::string_view encoding,
                                                               std::string_view body) {
    if (encoding == "gzip") {
        return zlib_deflate(body, 15 + 16);
    }
    if (encoding == "deflate") {
        return zlib_deflate(body, 15);
    }
    if (encoding == "br") {
        return brotli_encode(body);
    }
    if (encoding == "zstd") {
        return zstd_encode(body);
    }
    return {boost::system::in_place_error, "unknown compression " + std::string(encoding)};
}

} // namespace volley::net
