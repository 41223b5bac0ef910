#pragma once

// HTTP content codings as k6 applies them: response bodies decoded by their Content-Encoding
// (gzip, deflate in its zlib framing, br, zstd; k6's readResponseBody), request bodies encoded for
// the `compression` param. Pure functions, any thread.

#include <string>
#include <string_view>

#include <boost/system/result.hpp>

namespace volley::net {

// True for the codings k6 knows: gzip, deflate, br, zstd.
bool is_compression_name(std::string_view name);

// Undoes the codings of a Content-Encoding value (`"gzip"`, `"deflate, gzip"`), the last listed
// first; unknown codings are left as they are. The error is the decoder's text (`gzip: invalid
// header`, `unexpected EOF`, ...), which k6 wraps as `error decompressing response body (...)`.
boost::system::result<std::string, std::string> decode_content(std::string_view encodings,
                                                               std::string body);

// Encodes `body` with one coding (gzip, deflate, br or zstd).
boost::system::result<std::string, std::string> encode_content(std::string_view encoding,
                                                               std::string_view body);

} // namespace volley::net
