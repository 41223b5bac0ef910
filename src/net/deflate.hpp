#pragma once

// permessage-deflate (RFC 7692) with no context takeover in both directions, the only mode k6
// negotiates (k6-behaviour.md §1.5). One object per connection; zlib state is allocated on first
// use and kept for the connection (deflate ≈ 256 KiB, inflate ≈ 40 KiB), so only sessions that
// asked for compression pay for it. Single-threaded, like its connection.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace volley::net {

class PerMessageDeflate {
public:
    PerMessageDeflate();
    ~PerMessageDeflate();
    PerMessageDeflate(const PerMessageDeflate&) = delete;
    PerMessageDeflate& operator=(const PerMessageDeflate&) = delete;

    // Compresses one whole message and appends it to `out` without the trailing 00 00 ff ff.
    // Returns false on a zlib failure (out of memory).
    bool compress(std::string_view message, std::vector<std::uint8_t>& out);

    // Inflates one whole compressed message (all frames' payloads concatenated) into `out`
    // (replacing its content). Returns false on corrupt data.
    bool decompress(std::string_view payload, std::string& out);

private:
    struct Zlib;
    std::unique_ptr<Zlib> z_;
};

} // namespace volley::net
