// Bad input, side by side with k6 v1.6.1 (docs/reliability.md): each case is what a user might
// type or write, with the exit code k6 gives for it and the error record k6 prints (as it appears
// in volley's logfmt line; volley adds a hint= field). Run in a fresh folder each.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "process.hpp"

namespace volley::test {
namespace {

struct BadInput {
    const char* name;
    std::map<std::string, std::string> files; // s.js is the script run
    std::vector<std::string> args;            // between `run` and the script
    std::map<std::string, std::string> env;
    int exit_code;
    const char* error; // a part of stderr ("" = no level=error line at all)
};

void PrintTo(const BadInput& c, std::ostream* os) {
    *os << c.name;
}

const char* const kPlain = "export default function () {}\n";

const BadInput kCases[] = {
    {"VusFlagNotANumber",
     {{"s.js", kPlain}},
     {"--vus", "x"},
     {},
     255,
     R"(msg="invalid argument \"x\" for \"-u, --vus\" flag: strconv.ParseInt: parsing \"x\": )"
     R"(invalid syntax")"},
    {"DurationFlagBadUnit",
     {{"s.js", kPlain}},
     {"--duration", "10parsecs"},
     {},
     255,
     R"(msg="invalid argument \"10parsecs\" for \"-d, --duration\" flag: time: unknown unit )"
     R"(\"parsecs\" in duration \"10parsecs\"")"},
    {"StageFlagBadDuration",
     {{"s.js", kPlain}},
     {"--stage", "1x:2"},
     {},
     255,
     R"(msg="error for stage 0: time: unknown unit \"x\" in duration \"1x\"")"},
    {"VusEnvNotANumber", {{"s.js", kPlain}}, {}, {{"K6_VUS", "abc"}}, 104, "K6_VUS"},
    {"NegativeVusWarnsOnly", {{"s.js", kPlain}}, {"--vus", "-3"}, {}, 0, ""},
    {"OptionsDurationBad",
     {{"s.js",
       "export const options = { duration: '10 parsecs', vus: 1 };\n" + std::string(kPlain)}},
     {},
     {},
     104,
     "10 parsecs"},
    {"ThresholdOnUnknownMetric",
     {{"s.js",
       "export const options = { thresholds: { nope: ['count>0'] } };\n" + std::string(kPlain)}},
     {},
     {},
     104,
     R"(msg="invalid threshold defined on nope; reason: no metric name \"nope\" found")"},
    {"ThresholdExpressionBad",
     {{"s.js", "export const options = { thresholds: { iterations: ['count>>0'] } };\n" +
                   std::string(kPlain)}},
     {},
     {},
     104,
     R"(msg="failed parsing threshold expresion's \"count>>0\" right hand side; reason: )"
     R"(strconv.ParseFloat: parsing \">0\": invalid syntax")"},
    {"MissingExecFunction",
     {{"s.js", "export const options = { scenarios: { a: { executor: 'shared-iterations', "
               "exec: 'nope' } } };\n" +
                   std::string(kPlain)}},
     {},
     {},
     104,
     "executor a: function 'nope' not found in exports"},
    {"UnknownExecutor",
     {{"s.js", "export const options = { scenarios: { a: { executor: 'warp-drive' } } };\n" +
                   std::string(kPlain)}},
     {},
     {},
     104,
     "unknown executor type 'warp-drive'"},
    {"NoExportedFunctions",
     {{"s.js", "export const options = {};\n"}},
     {},
     {},
     255,
     R"(msg="no exported functions in script")"},
    {"SetupNotAFunction",
     {{"s.js", "export const setup = 5;\n" + std::string(kPlain)}},
     {},
     {},
     255,
     R"(msg="exported 'setup' must be a function")"},
    {"InvalidUtf8",
     {{"s.js", "export default function () { const s = \"\xff\xfe\"; }\n"}},
     {},
     {},
     107,
     "/s.js: Line 1:41 Invalid UTF-8 character"},
    {"InvalidUtf8InAnImport",
     {{"s.js", "import './b.js';\n" + std::string(kPlain)}, {"b.js", "export const x = '\xc3';\n"}},
     {},
     {},
     107,
     "/b.js: Line 1:19 Invalid UTF-8 character"},
    {"MissingImport",
     {{"s.js", "import { x } from './nope.js';\n" + std::string(kPlain)}},
     {},
     {},
     107,
     R"(The moduleSpecifier \"./nope.js\" couldn't be found on local disk.)"},
    {"CircularImportIsFine",
     {{"s.js", "import { b } from './b.js';\nexport const a = 1;\n"
               "export default function () { if (b !== 2) throw new Error('b'); }\n"},
      {"b.js", "import { a } from './s.js';\nexport const b = 2;\n"
               "export function useA() { return a; }\n"}},
     {},
     {},
     0,
     ""},
    {"MalformedWsUrlIsAResultNotAnError",
     {{"s.js", "import ws from 'k6/ws';\nexport default function () {\n"
               "  const r = ws.connect('ht!tp://::::', {}, function () {});\n"
               "  if (r.status !== 0 || r.error === '') throw new Error('no error');\n}\n"}},
     {},
     {},
     0,
     ""},
    {"UnwritableJsonOutput",
     {{"s.js", kPlain}},
     {"--out", "json=/nonexistent-dir/o.json"},
     {},
     255,
     R"(msg="open /nonexistent-dir/o.json: no such file or directory")"},
    {"UnwritableCsvOutput",
     {{"s.js", kPlain}},
     {"--out", "csv=/nonexistent-dir/o.csv"},
     {},
     255,
     R"(msg="could not create the 'csv' output: open /nonexistent-dir/o.csv: no such file or )"
     R"(directory")"},
    {"UnwritableSummaryExport",
     {{"s.js", kPlain}},
     {"--summary-export", "/nonexistent-dir/s.json"},
     {},
     0,
     R"(msg="failed to handle the end-of-test summary" error="Could not save some summary )"
     R"(information:\n\t- could not open '/nonexistent-dir/s.json': open /nonexistent-dir/s.json: )"
     R"(no such file or directory")"},
};

class BadInputs : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputs, ExitAndFirstErrorAsK6) {
    const BadInput& c = GetParam();
    std::string dir = make_temp_dir("volley-bad");
    for (const auto& [name, text] : c.files) {
        write_file(dir + "/" + name, text);
    }
    std::vector<std::string> argv = {volley_binary(), "run", "--quiet"};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    argv.push_back(dir + "/s.js");
    ProcessOptions opts;
    opts.env = c.env;
    opts.cwd = dir;
    auto r = run_process(argv, opts);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
    if (std::string(c.error).empty()) {
        EXPECT_EQ(r.err.find("level=error"), std::string::npos) << r.err;
    } else {
        EXPECT_NE(r.err.find(c.error), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find("level=error", r.err.find("level=error") + 1), std::string::npos)
            << "more than one error record: " << r.err;
    }
    std::filesystem::remove_all(dir);
}

std::string case_name(const ::testing::TestParamInfo<BadInput>& p) {
    return p.param.name;
}

INSTANTIATE_TEST_SUITE_P(SideBySideWithK6, BadInputs, ::testing::ValuesIn(kCases), case_name);

} // namespace
} // namespace volley::test
