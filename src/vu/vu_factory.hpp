#pragma once

// Building the script bundle and VUs from it.

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "vu/vu.hpp"

namespace volley::vu {

struct CompiledScript {
    std::shared_ptr<const script::Bundle> bundle;
    std::string options_json;        // JSON of the exported `options` ("{}" when none)
    std::set<std::string> functions; // exported function names
};

// Compiles the entry script and every file it imports to bytecode, running the init context
// once (as VU 0, like k6 does to read the options) on the calling coroutine, which must run on
// `io`'s thread. `shared.bundle` must be null. Throws UserError (exit 107) for a missing file, a
// syntax error or an exception in the init context.
CompiledScript compile_script(const VuShared& shared, const std::string& entry_path,
                              boost::asio::io_context& io, metrics::SampleSink& sink, Yield yield);

// A VU that loads `shared.bundle`'s bytecode and runs its init context on the calling coroutine.
std::unique_ptr<Vu> make_vu(const VuShared& shared, std::uint64_t id, std::size_t worker,
                            boost::asio::io_context& io, metrics::SampleSink& sink, Yield yield);

} // namespace volley::vu
