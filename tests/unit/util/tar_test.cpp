// The tar reader and writer behind k6 archives.

#include <gtest/gtest.h>

#include "util/tar.hpp"

namespace volley::tar {
namespace {

TEST(Tar, RoundTripWithDirectoriesAndLongNames) {
    const std::string long_name = "https/example.com/" + std::string(120, 'a') + "/" +
                                  std::string(40, 'b') + ".js"; // needs USTAR's prefix field
    const std::string very_long = "file/" + std::string(300, 'c') + ".js"; // needs PAX
    std::vector<Entry> in = {
        {"metadata.json", "{}", EntryType::kFile, 0644, 1700000000},
        {"file", "", EntryType::kDirectory, 0755, 1700000000},
        {"file/empty.txt", "", EntryType::kFile, 0644, 0},
        {long_name, std::string(1000, 'x'), EntryType::kFile, 0644, 0},
        {very_long, "v", EntryType::kFile, 0600, 0},
    };
    const std::string bytes = write(in);
    EXPECT_EQ(bytes.size() % 512, 0u);
    EXPECT_TRUE(looks_like_tar(bytes));
    std::string error;
    auto out = read(bytes, &error);
    ASSERT_TRUE(out) << error;
    ASSERT_EQ(out->size(), in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        EXPECT_EQ((*out)[i].name, in[i].name);
        EXPECT_EQ((*out)[i].data, in[i].data);
        EXPECT_EQ((*out)[i].type, in[i].type);
        EXPECT_EQ((*out)[i].mode, in[i].mode);
        EXPECT_EQ((*out)[i].mtime, in[i].mtime);
    }
}

TEST(Tar, CorruptAndTruncatedArchivesAreErrors) {
    std::string bytes = write({{"data", std::string(2000, 'd'), EntryType::kFile, 0644, 0}});
    std::string error;
    std::string bad = bytes;
    bad[0] = 'X'; // the checksum no longer matches
    EXPECT_FALSE(looks_like_tar(bad));
    EXPECT_FALSE(read(bad, &error));
    EXPECT_NE(error.find("checksum"), std::string::npos) << error;
    EXPECT_FALSE(read(bytes.substr(0, 1024), &error));
    EXPECT_EQ(error, "truncated tar archive");
    EXPECT_FALSE(looks_like_tar("export default function () {}\n"));
}

} // namespace
} // namespace volley::tar
