#pragma once

// Base64 as Go's encoding/base64 does it (RFC 4648): the four encodings k6 names "std",
// "rawstd", "url" and "rawurl", and Go's decoder with its exact error offsets ("illegal base64
// data at input byte N"): CR and LF are skipped anywhere, the padding must be complete for the
// padded encodings and absent for the raw ones, and non-zero trailing bits are accepted (Go's
// non-strict mode). Pure; any thread.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace volley {

enum class Base64 { kStd, kRawStd, kUrl, kRawUrl };

// The encoding of `bytes`.
std::string base64_encode(std::string_view bytes, Base64 encoding);

// The decoded bytes, or nullopt with `error_offset` set to the byte offset Go's
// CorruptInputError reports.
std::optional<std::string> base64_decode(std::string_view text, Base64 encoding,
                                         std::size_t& error_offset);

// Lower-case hexadecimal (Go's hex.EncodeToString).
std::string hex_encode(std::string_view bytes);

} // namespace volley
