#include "script/archive.hpp"

#include <set>

#include <boost/json.hpp>

#include "script/bundle.hpp"
#include "script/module_cache.hpp"
#include "script/specifier.hpp"
#include "util/tar.hpp"

namespace volley::script {
namespace {

std::string folder_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

std::string metadata_json(const Bundle& bundle, const std::string& options_json,
                          const std::map<std::string, std::string>& env) {
    const std::string& entry = bundle.entry();
    boost::json::object meta;
    meta["type"] = "js";
    boost::json::value options = boost::json::parse(options_json);
    meta["options"] = options.is_object() ? options : boost::json::object();
    meta["filename"] = is_remote_module(entry) ? entry : "file://" + entry;
    meta["pwd"] = is_remote_module(entry) ? entry.substr(0, entry.rfind('/') + 1)
                                          : "file://" + folder_of(entry);
    boost::json::object e;
    for (const auto& [k, v] : env) {
        e[k] = v;
    }
    meta["env"] = std::move(e);
    meta["compatibilityMode"] = "extended";
    meta["k6version"] = "1.6.1";
    meta["goos"] = "linux";
    return boost::json::serialize(meta);
}

// The directory entries every file needs, as k6 writes them ("file", "file/tmp", ...).
void add_directories(const std::string& path, std::set<std::string>& dirs) {
    for (auto slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
        dirs.insert(path.substr(0, slash));
    }
}

std::string string_field(const boost::json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

bool load_metadata(const std::string& text, Archive& arc, std::string* error) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(text, ec);
    if (ec || !v.is_object()) {
        *error = "metadata.json is not a JSON object";
        return false;
    }
    const auto& o = v.as_object();
    arc.filename = string_field(o, "filename");
    arc.pwd = string_field(o, "pwd");
    if (const auto* opts = o.if_contains("options"); opts != nullptr && opts->is_object()) {
        arc.options_json = boost::json::serialize(*opts);
    }
    if (const auto* env = o.if_contains("env"); env != nullptr && env->is_object()) {
        for (const auto& [k, val] : env->as_object()) {
            if (val.is_string()) {
                arc.env[std::string(k)] = std::string(val.as_string());
            }
        }
    }
    if (arc.filename.empty()) {
        *error = "metadata.json names no script (filename)";
        return false;
    }
    return true;
}

} // namespace

std::string Archive::entry() const {
    return filename.rfind("file://", 0) == 0 ? filename.substr(7) : filename;
}

std::string archive_path(const std::string& name) {
    return is_remote_module(name) ? remote_module_path(name) : "file" + name;
}

std::string write_archive(const Bundle& bundle, const std::string& options_json,
                          const std::map<std::string, std::string>& env, std::int64_t now) {
    std::map<std::string, std::string> files;
    for (const auto& [name, source] : bundle.sources()) {
        files[archive_path(name)] = source;
    }
    for (const auto& [path, data] : bundle.files().snapshot()) {
        files[archive_path(path)] = *data;
    }
    std::set<std::string> dirs;
    for (const auto& [path, data] : files) {
        add_directories(path, dirs);
    }
    std::vector<tar::Entry> entries;
    entries.push_back({"metadata.json", metadata_json(bundle, options_json, env),
                       tar::EntryType::kFile, 0644, now});
    entries.push_back({"data", bundle.source(bundle.entry()), tar::EntryType::kFile, 0644, now});
    for (const auto& d : dirs) {
        entries.push_back({d, "", tar::EntryType::kDirectory, 0755, now});
    }
    for (auto& [path, data] : files) {
        entries.push_back({path, std::move(data), tar::EntryType::kFile, 0644, now});
    }
    return tar::write(entries);
}

std::optional<Archive> read_archive(const std::string& bytes, std::string* error) {
    auto entries = tar::read(bytes, error);
    if (!entries) {
        return std::nullopt;
    }
    Archive arc;
    bool has_metadata = false;
    for (auto& e : *entries) {
        if (e.type != tar::EntryType::kFile) {
            continue;
        }
        if (e.name == "metadata.json") {
            if (!load_metadata(e.data, arc, error)) {
                return std::nullopt;
            }
            has_metadata = true;
        } else if (e.name == "data") {
            arc.data = std::move(e.data);
        } else if (e.name.rfind("file/", 0) == 0 || e.name.rfind("https/", 0) == 0) {
            arc.files[e.name] = std::move(e.data);
        }
    }
    if (!has_metadata) {
        *error = "the archive has no metadata.json";
        return std::nullopt;
    }
    return arc;
}

} // namespace volley::script
