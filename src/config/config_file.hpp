#pragma once

// k6's JSON config file (k6 `-c/--config`): the options of a script's `options` export plus
// `out` and `linger`, below the script's options in precedence (config/merge.hpp). Where k6
// looks: the flag, else $K6_CONFIG, else <user config dir>/k6/config.json, the user config dir
// being $XDG_CONFIG_HOME or $HOME/.config (Go's os.UserConfigDir). A missing file at that default
// path is silently no file (k6 then tries its old default, <dir>/loadimpact/k6/config.json, with
// a warning); a missing file named by the flag or $K6_CONFIG is an error.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "config/merge.hpp"

namespace volley::config {

struct ConfigFile {
    std::string path; // the file read; empty when there was none
    OptionLayer options;
    boost::json::object options_json; // the file's options as given (what an archive keeps)
    std::vector<std::string> out;     // "out": ["json=FILE", ...]
    std::optional<bool> linger;
};

// The path k6 would read, and whether it is the default one (not named by the user).
struct ConfigFilePath {
    std::string path;
    bool is_default = true;
};
ConfigFilePath config_file_path(const std::optional<std::string>& flag,
                                const std::map<std::string, std::string>& env);

// Reads the config file. Throws UserError (exit 104) in k6's words: `failed to load the
// configuration file from the local file system: ...` (a missing file, one that cannot be read,
// invalid JSON, or a field of the wrong type).
ConfigFile load_config_file(const std::optional<std::string>& flag,
                            const std::map<std::string, std::string>& env);

// k6's Config.Apply for `out` and `linger`: the flags (`--out`, `--linger`), else K6_OUT (comma
// separated) and K6_LINGER, else the config file's. Throws UserError (exit 104) for a K6_LINGER
// other than true, false, "" or null.
struct OutputsAndLinger {
    std::vector<std::string> outputs;
    bool linger = false;
};
OutputsAndLinger resolve_outputs(const std::vector<std::string>& flag_outputs, bool flag_linger,
                                 const std::map<std::string, std::string>& env,
                                 const ConfigFile& file);

} // namespace volley::config
