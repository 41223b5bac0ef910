#include "net/deflate.hpp"

#include <cstring>

#include <zlib.h>

namespace volley::net {

struct PerMessageDeflate::Zlib {
    z_stream def{};
    z_stream inf{};
    bool def_ready = false;
    bool inf_ready = false;

    ~Zlib() {
        if (def_ready) {
            deflateEnd(&def);
        }
        if (inf_ready) {
            inflateEnd(&inf);
        }
    }
};

PerMessageDeflate::PerMessageDeflate() : z_(std::make_unique<Zlib>()) {}
PerMessageDeflate::~PerMessageDeflate() = default;

bool PerMessageDeflate::compress(std::string_view message, std::vector<std::uint8_t>& out) {
    z_stream& s = z_->def;
    if (!z_->def_ready) {
        // Raw deflate (negative window bits), as RFC 7692 requires.
        if (deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) !=
            Z_OK) {
            return false;
        }
        z_->def_ready = true;
    } else if (deflateReset(&s) != Z_OK) { // no context takeover: fresh window per message
        return false;
    }
    std::size_t start = out.size();
    out.resize(start + deflateBound(&s, message.size()) + 16);
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(message.data()));
    s.avail_in = static_cast<uInt>(message.size());
    s.next_out = out.data() + start;
    s.avail_out = static_cast<uInt>(out.size() - start);
    // Z_SYNC_FLUSH ends with the empty stored block 00 00 ff ff, which the sender strips.
    if (deflate(&s, Z_SYNC_FLUSH) != Z_OK || s.avail_in != 0) {
        return false;
    }
    std::size_t n = out.size() - start - s.avail_out;
    if (n >= 4) {
        n -= 4;
    }
    out.resize(start + n);
    return true;
}

bool PerMessageDeflate::decompress(std::string_view payload, std::string& out) {
    z_stream& s = z_->inf;
    if (!z_->inf_ready) {
        if (inflateInit2(&s, -15) != Z_OK) {
            return false;
        }
        z_->inf_ready = true;
    } else if (inflateReset(&s) != Z_OK) {
        return false;
    }
    static const unsigned char kTail[4] = {0x00, 0x00, 0xff, 0xff};
    out.clear();
    const std::string_view parts[2] = {payload,
                                       {reinterpret_cast<const char*>(kTail), sizeof kTail}};
    for (const auto& part : parts) {
        s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(part.data()));
        s.avail_in = static_cast<uInt>(part.size());
        while (s.avail_in > 0) {
            std::size_t used = out.size();
            out.resize(used + std::max<std::size_t>(part.size() * 2, 1024));
            s.next_out = reinterpret_cast<Bytef*>(out.data() + used);
            s.avail_out = static_cast<uInt>(out.size() - used);
            int rc = inflate(&s, Z_SYNC_FLUSH);
            out.resize(out.size() - s.avail_out);
            if (rc == Z_STREAM_END) {
                return true; // final block: anything after it is ignored
            }
            if (rc != Z_OK && rc != Z_BUF_ERROR) {
                return false;
            }
            if (rc == Z_BUF_ERROR && s.avail_in > 0 && s.avail_out > 0) {
                return false;
            }
        }
    }
    return true;
}

} // namespace volley::net
