#include "util/tar.hpp"

#include <algorithm>
#include <cstring>

namespace volley::tar {
namespace {

constexpr std::size_t kBlock = 512;

// USTAR header field offsets and sizes.
struct Field {
    std::size_t at, size;
};
constexpr Field kName{0, 100}, kMode{100, 8}, kUid{108, 8}, kGid{116, 8}, kSize{124, 12},
    kMtime{136, 12}, kChksum{148, 8}, kType{156, 1}, kLink{157, 100}, kMagic{257, 6},
    kVersion{263, 2}, kPrefix{345, 155};

void put(std::string& h, Field f, const std::string& value) {
    std::memcpy(h.data() + f.at, value.data(), std::min(value.size(), f.size));
}

void put_octal(std::string& h, Field f, std::uint64_t value) {
    std::string digits(f.size - 1, '0');
    for (std::size_t i = digits.size(); i-- > 0 && value != 0; value >>= 3) {
        digits[i] = static_cast<char>('0' + (value & 7));
    }
    put(h, f, digits);
}

std::uint64_t get_octal(const char* p, std::size_t size) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < size && p[i] != '\0'; ++i) {
        if (p[i] >= '0' && p[i] <= '7') {
            v = (v << 3) | static_cast<std::uint64_t>(p[i] - '0');
        }
    }
    return v;
}

std::string get_string(const char* p, std::size_t size) {
    return {p, strnlen(p, size)};
}

unsigned checksum(const char* h) {
    unsigned sum = 0;
    for (std::size_t i = 0; i < kBlock; ++i) {
        const bool in_field = i >= kChksum.at && i < kChksum.at + kChksum.size;
        sum += in_field ? ' ' : static_cast<unsigned char>(h[i]);
    }
    return sum;
}

std::string header(const std::string& name, char type, std::uint64_t size, std::uint32_t mode,
                   std::int64_t mtime) {
    std::string h(kBlock, '\0');
    put(h, kName, name);
    put_octal(h, kMode, mode);
    put_octal(h, kUid, 0);
    put_octal(h, kGid, 0);
    put_octal(h, kSize, size);
    put_octal(h, kMtime, static_cast<std::uint64_t>(std::max<std::int64_t>(mtime, 0)));
    h[kType.at] = type;
    put(h, kMagic, std::string("ustar\0", 6));
    put(h, kVersion, "00");
    return h;
}

// Writes the checksum of a finished header: six octal digits, NUL, space (as Go writes it).
std::string sealed(std::string h) {
    std::string sum(8, '0');
    unsigned s = checksum(h.data());
    for (std::size_t i = 6; i-- > 0; s >>= 3) {
        sum[i] = static_cast<char>('0' + (s & 7));
    }
    sum[6] = '\0';
    sum[7] = ' ';
    put(h, kChksum, sum);
    return h;
}

void pad(std::string& out) {
    out.append((kBlock - out.size() % kBlock) % kBlock, '\0');
}

// A PAX record "LEN path=VALUE\n", LEN counting itself.
std::string pax_record(const std::string& key, const std::string& value) {
    const std::string body = " " + key + "=" + value + "\n";
    std::size_t len = body.size() + 1;
    while (std::to_string(len).size() + body.size() != len) {
        ++len;
    }
    return std::to_string(len) + body;
}

// Splits a long name into USTAR's prefix and name fields; false if it cannot be split.
bool split_name(const std::string& name, std::string& prefix, std::string& rest) {
    if (name.size() <= kName.size) {
        prefix.clear();
        rest = name;
        return true;
    }
    for (std::size_t slash = name.find('/'); slash != std::string::npos;
         slash = name.find('/', slash + 1)) {
        if (slash <= kPrefix.size && name.size() - slash - 1 <= kName.size && slash > 0) {
            prefix = name.substr(0, slash);
            rest = name.substr(slash + 1);
            return true;
        }
    }
    return false;
}

// Applies the PAX records of `data` (path only; the rest is not used by k6 archives).
void apply_pax(const std::string& data, std::string& path) {
    std::size_t at = 0;
    while (at < data.size()) {
        const std::size_t space = data.find(' ', at);
        if (space == std::string::npos) {
            return;
        }
        const std::size_t len = std::strtoul(data.c_str() + at, nullptr, 10);
        if (len == 0 || at + len > data.size()) {
            return;
        }
        const std::string record = data.substr(space + 1, at + len - space - 2);
        const std::size_t eq = record.find('=');
        if (eq != std::string::npos && record.substr(0, eq) == "path") {
            path = record.substr(eq + 1);
        }
        at += len;
    }
}

} // namespace

std::string write(const std::vector<Entry>& entries) {
    std::string out;
    for (const auto& e : entries) {
        const char type = e.type == EntryType::kDirectory ? '5' : '0';
        const std::uint64_t size = e.type == EntryType::kFile ? e.data.size() : 0;
        std::string prefix;
        std::string rest;
        std::string h;
        if (split_name(e.name, prefix, rest)) {
            h = header(rest, type, size, e.mode, e.mtime);
            put(h, kPrefix, prefix);
        } else {
            const std::string pax = pax_record("path", e.name);
            out += sealed(header("PaxHeaders/" + e.name.substr(e.name.size() - 80), 'x', pax.size(),
                                 0644, e.mtime));
            out += pax;
            pad(out);
            h = header(e.name.substr(0, kName.size), type, size, e.mode, e.mtime);
        }
        out += sealed(std::move(h));
        if (size != 0) {
            out += e.data;
            pad(out);
        }
    }
    out.append(2 * kBlock, '\0');
    return out;
}

bool looks_like_tar(const std::string& bytes) {
    if (bytes.size() < kBlock || std::memcmp(bytes.data() + kMagic.at, "ustar", 5) != 0) {
        return false;
    }
    return get_octal(bytes.data() + kChksum.at, kChksum.size) == checksum(bytes.data());
}

std::optional<std::vector<Entry>> read(const std::string& archive, std::string* error) {
    std::vector<Entry> out;
    std::string next_name; // from a PAX or GNU long-name entry
    for (std::size_t at = 0; at + kBlock <= archive.size();) {
        const char* h = archive.data() + at;
        if (std::all_of(h, h + kBlock, [](char c) { return c == '\0'; })) {
            return out;
        }
        if (get_octal(h + kChksum.at, kChksum.size) != checksum(h)) {
            *error = "invalid tar header checksum at offset " + std::to_string(at);
            return std::nullopt;
        }
        const std::uint64_t size = get_octal(h + kSize.at, kSize.size);
        const std::size_t data_at = at + kBlock;
        if (size > archive.size() - data_at) {
            *error = "truncated tar archive";
            return std::nullopt;
        }
        std::string data = archive.substr(data_at, size);
        at = data_at + (size + kBlock - 1) / kBlock * kBlock;
        const char type = h[kType.at];
        if (type == 'x') {
            apply_pax(data, next_name);
            continue;
        }
        if (type == 'L') {
            next_name = data.substr(0, data.find('\0'));
            continue;
        }
        Entry e;
        std::string prefix = get_string(h + kPrefix.at, kPrefix.size);
        e.name = get_string(h + kName.at, kName.size);
        if (!prefix.empty()) {
            e.name = prefix + "/" + e.name;
        }
        if (!next_name.empty()) {
            e.name = std::move(next_name);
            next_name.clear();
        }
        e.mode = static_cast<std::uint32_t>(get_octal(h + kMode.at, kMode.size));
        e.mtime = static_cast<std::int64_t>(get_octal(h + kMtime.at, kMtime.size));
        e.type = type == '0' || type == '\0' ? EntryType::kFile
                 : type == '5'               ? EntryType::kDirectory
                                             : EntryType::kOther;
        if (e.type == EntryType::kFile) {
            e.data = std::move(data);
        }
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace volley::tar
