#pragma once

// Runs a JS snippet in a real VU (module tests, style.md rule 25): the snippet is written to a
// temporary file as the entry module, compiled like `volley run` does, and its default function
// is called for a number of iterations on a worker thread. Bounded in time by the caller's
// script (no test loops forever: run_js interrupts the VU after `timeout`).

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "exec/vu.hpp"
#include "modules/vu_api.hpp"
#include "sample_capture.hpp"

namespace volley::test {

struct JsOptions {
    int iterations = 1;
    int vus = 1;          // VUs 1..vus, made one after another, each running `iterations`
    bool insight = false; // --insight: its metrics defined, settings.insight set
    std::map<std::string, std::string> env;
    modules::ModuleSettings settings = default_settings();
    std::chrono::milliseconds timeout{10000};
    std::map<std::string, std::string> extra_files; // name -> contents, next to the script

    static modules::ModuleSettings default_settings();
};

struct JsRun {
    std::string error; // UserError text if loading failed
    std::vector<exec::IterationResult> results;
    std::vector<NamedSample> samples;
    std::string options_json;
};

JsRun run_js(const std::string& source, const JsOptions& options = {});

} // namespace volley::test
