#pragma once

// Tar archives in memory, as Go's archive/tar writes and reads them for k6's archives: USTAR
// headers, PAX extended headers for names that do not fit, GNU long names when reading. Only
// what k6 archives use: regular files, directories and (read, then skipped) links.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace volley::tar {

enum class EntryType { kFile, kDirectory, kOther };

struct Entry {
    std::string name;
    std::string data; // files only
    EntryType type = EntryType::kFile;
    std::uint32_t mode = 0644;
    std::int64_t mtime = 0; // Unix seconds
};

// The archive of `entries`, ending with the two zero blocks.
std::string write(const std::vector<Entry>& entries);

// The entries of `archive`, or nullopt with `error` set for a truncated or corrupt archive.
std::optional<std::vector<Entry>> read(const std::string& archive, std::string* error);

// Whether `bytes` starts with a tar header (the "ustar" magic and a valid checksum).
bool looks_like_tar(const std::string& bytes);

} // namespace volley::tar
