#pragma once

// The compressed bodies of the echo server's /http/gzip and /http/deflate routes (zlib). Pure;
// any thread.

#include <string>
#include <string_view>

namespace volley::wsecho {

// `data` as a gzip member (RFC 1952), as `Content-Encoding: gzip` carries it.
std::string gzip_compress(std::string_view data);

// `data` as a zlib stream (RFC 1950), as `Content-Encoding: deflate` carries it (Go's and the
// browsers' reading of "deflate").
std::string zlib_compress(std::string_view data);

} // namespace volley::wsecho
