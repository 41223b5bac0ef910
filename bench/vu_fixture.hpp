#pragma once

// Shared set-up of the VU benchmarks (header-only: bench/*_bench.cpp are one executable each).
// A VuFixture compiles a script like `volley run` does and makes VUs from its bytecode on a local
// io_context run by the benchmark's own thread, so Google Benchmark's CPU time is the VU's.
// Samples go to a real metrics::Engine thread sink, as on a worker thread.

#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

#include "exec/vu.hpp"
#include "metrics/engine.hpp"
#include "modules/globals.hpp"
#include "vu/vu_factory.hpp"

#include <malloc.h>
#include <unistd.h>

namespace volley::bench {

// Runs `fn` on a VU-sized coroutine of `io` and returns when `io` has no work left. An exception
// escaping `fn` is rethrown here.
inline void run_on_coroutine(boost::asio::io_context& io, std::function<void(Yield)> fn) {
    std::exception_ptr failure;
    boost::asio::spawn(
        io.get_executor(), std::allocator_arg,
        boost::context::protected_fixedsize_stack(exec::kVuStackBytes),
        [&fn](Yield yield) { fn(yield); }, [&failure](std::exception_ptr e) { failure = e; });
    io.restart();
    io.run();
    if (failure) {
        std::rethrow_exception(failure);
    }
}

// Bytes of heap in use (malloc arenas + mmapped chunks), glibc's view.
inline std::size_t heap_in_use() {
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

// Resident set size of this process in KiB.
inline std::size_t rss_kib() {
    long pages = 0;
    long resident = 0;
    if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) {
            resident = 0;
        }
        std::fclose(f);
    }
    return static_cast<std::size_t>(resident) * static_cast<std::size_t>(sysconf(_SC_PAGESIZE)) /
           1024;
}

class VuFixture {
public:
    // Writes `source` to a temporary script.js, compiles it (init context as VU 0) with `env` as
    // __ENV. Throws UserError like `volley run` for a bad script.
    explicit VuFixture(const std::string& source, std::map<std::string, std::string> env = {},
                       js::RuntimeOptions runtime_options = {})
        : engine_(registry_, interner_) {
        static const bool registered = [] {
            modules::register_all();
            return true;
        }();
        (void)registered;
        std::random_device rd;
        dir_ = std::filesystem::temp_directory_path() / ("volley-bench-" + std::to_string(rd()));
        std::filesystem::create_directories(dir_);
        std::ofstream(dir_ / "script.js") << source;
        shared_.env = std::move(env);
        shared_.runtime_options = runtime_options;
        shared_.settings.system_tags = {"proto", "subproto", "status", "url",        "name",
                                        "group", "check",    "error",  "error_code", "scenario"};
        shared_.registry = &registry_;
        shared_.interner = &interner_;
        engine_.start();
        sink_ = engine_.make_thread_sink();
        run_on_coroutine(io_, [this](Yield yield) {
            auto compiled =
                vu::compile_script(shared_, (dir_ / "script.js").string(), io_, *sink_, yield);
            shared_.bundle = compiled.bundle;
        });
    }
    ~VuFixture() {
        sink_->flush();
        engine_.stop();
        std::filesystem::remove_all(dir_);
    }
    VuFixture(const VuFixture&) = delete;
    VuFixture& operator=(const VuFixture&) = delete;

    // A VU from the bytecode; call on a coroutine of io().
    std::unique_ptr<vu::Vu> make_vu(std::uint64_t id, Yield yield) {
        return vu::make_vu(shared_, id, 0, io_, *sink_, yield);
    }

    boost::asio::io_context& io() { return io_; }
    metrics::Registry& registry() { return registry_; }
    metrics::TagInterner& interner() { return interner_; }

private:
    std::filesystem::path dir_;
    metrics::Registry registry_;
    metrics::TagInterner interner_;
    metrics::Engine engine_;
    std::unique_ptr<metrics::SampleSink> sink_;
    vu::VuShared shared_;
    boost::asio::io_context io_{1};
};

} // namespace volley::bench
