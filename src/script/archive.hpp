#pragma once

// k6's archive format (lib/archive.go), written by `volley archive` and read by `volley run
// archive.tar` (docs/archive.md): a tar holding metadata.json (type, options, filename, pwd,
// env, k6version), `data` (the main script), and every module and open()ed file under
// file/<absolute path> or https/<host>/<path>. A test run from an archive reads nothing else:
// no disk beyond the archive, no network for its modules.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace volley::script {

class Bundle;

struct Archive {
    std::string filename;                     // file:///abs/script.js or an https:// URL
    std::string pwd;                          // its folder, as a URL
    std::map<std::string, std::string> env;   // -e values given to `archive`
    std::string options_json = "{}";          // the options object
    std::string data;                         // the main script
    std::map<std::string, std::string> files; // archive path ("file/abs", "https/h/p") -> bytes

    // The entry module's name: the absolute path or URL of `filename`.
    std::string entry() const;
};

// Where a module or open()ed file `name` (absolute path or https URL) lives in an archive.
std::string archive_path(const std::string& name);

// A k6 archive of the compiled `bundle`: its modules and files, `options_json` (an object)
// and `env`. `now` (Unix seconds) is every entry's time.
std::string write_archive(const Bundle& bundle, const std::string& options_json,
                          const std::map<std::string, std::string>& env, std::int64_t now);

// The archive in `bytes`, or nullopt with `error` set.
std::optional<Archive> read_archive(const std::string& bytes, std::string* error);

} // namespace volley::script
