#!/usr/bin/env python3
"""Smoke test of bench/run: the figure arithmetic, the workload scripts of bench/workloads (the
repository's own: no folder beside the repository is needed), and a `bench/run --quick` run (a
few seconds of each workload at tiny sizes) that must leave result files with positive figures.

The volley binary comes from $VOLLEY (ctest sets it), else bench/run's own search of build/*/.
$NATIVE_CLIENT likewise. Python 3 stdlib only: python3 tests/bench/harness_smoke_test.py
"""

import contextlib
import importlib.machinery
import importlib.util
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN = os.path.join(ROOT, "bench", "run")


def load_harness():
    loader = importlib.machinery.SourceFileLoader("bench_run", RUN)
    spec = importlib.util.spec_from_loader("bench_run", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


class FigureTest(unittest.TestCase):
    """The per-unit arithmetic of the published k6 benchmark, without running anything."""

    def setUp(self):
        self.h = load_harness()

    def test_cpu_per_message_counts_sent_and_received(self):
        r = {"workload": "pingpong", "cpu_s": 2.0,
             "metrics": {"ws_msgs_sent": 500_000, "ws_msgs_received": 500_000, "ws_sessions": 50}}
        self.h.add_figures(r)
        self.assertAlmostEqual(r["figures"]["cpu_us_per_msg"], 2.0)

    def test_cpu_per_session(self):
        r = {"workload": "churn", "cpu_s": 1.5,
             "metrics": {"ws_msgs_sent": 1, "ws_msgs_received": 1, "ws_sessions": 30_000}}
        self.h.add_figures(r)
        self.assertAlmostEqual(r["figures"]["cpu_us_per_session"], 50.0)

    def test_cpu_per_request(self):
        r = {"workload": "httpget", "cpu_s": 3.0,
             "metrics": {"ws_msgs_sent": 0, "ws_msgs_received": 0, "ws_sessions": 0,
                         "http_reqs": 60_000}}
        self.h.add_figures(r)
        self.assertAlmostEqual(r["figures"]["cpu_us_per_req"], 50.0)
        self.assertEqual(set(r["figures"]), {"cpu_us_per_req"})

    def test_scaling_is_two_threads_over_one_paired_by_repetition(self):
        def run(tool, workload, rep, msgs, cpu_s, wall_s):
            r = {"tool": tool, "workload": workload, "rep": rep, "cpu_s": cpu_s, "wall_s": wall_s,
                 "run_s": 10.0, "metrics": {"ws_msgs_sent": msgs // 2,
                                            "ws_msgs_received": msgs // 2, "ws_sessions": 20}}
            self.h.add_figures(r)
            return r
        results = [run("volley", "scale-1", 0, 50_000, 10.0, 10.5),
                   run("volley", "scale-2", 0, 95_000, 19.0, 10.5),
                   run("volley", "scale-1", 1, 40_000, 10.0, 10.5),
                   run("volley", "scale-2", 1, 84_000, 19.0, 10.5)]
        s = self.h.scaling(results)["volley"]
        self.assertAlmostEqual(s["gain"], (1.9 + 2.1) / 2)
        self.assertEqual(s["range"], (1.9, 2.1))
        self.assertAlmostEqual(s["msgs_per_s_1"], 4_500)
        self.assertAlmostEqual(s["cpu_us_per_msg_1"], (200 + 250) / 2)
        self.assertAlmostEqual(s["cores_2"], 19.0 / 10.5)
        w = self.h.select_workloads(self.h.parse_args(["scale"]))
        self.assertEqual([(x.name, x.workers) for x in w], [("scale-1", 1), ("scale-2", 2)])

    def test_http_run_with_failures_is_a_problem(self):
        ok = {"http_reqs": 100, "http_req_failed": 0, "checks_passes": 100, "checks_fails": 0}
        self.assertIsNone(self.h.http_problem(ok))
        self.assertIn("no HTTP requests",
                      self.h.http_problem({**ok, "http_reqs": 0, "checks_passes": 0}))
        self.assertIn("3 failed requests", self.h.http_problem({**ok, "http_req_failed": 3}))
        self.assertIn("2 failed", self.h.http_problem({**ok, "checks_fails": 2}))

    def test_cpu_per_request_is_judged_only_against_k6_measured_here(self):
        self.assertIsNone(self.h.published_k6("cpu_us_per_req", "httpget"))
        self.assertEqual(self.h.verdict("cpu_us_per_req", 10.0, None, False), "no k6 ref")
        self.assertEqual(self.h.verdict("cpu_us_per_req", 10.0, None, True), "-")  # k6 failed
        self.assertEqual(self.h.verdict("cpu_us_per_req", 10.0, 40.0, True), "ok")
        self.assertEqual(self.h.verdict("cpu_us_per_req", 13.0, 40.0, True), "MISSED")

    def test_figure_table_without_k6_names_the_missing_reference(self):
        runs = [{"tool": "volley", "workload": "httpget", "cpu_s": 1.0,
                 "metrics": {"ws_msgs_sent": 0, "ws_msgs_received": 0, "ws_sessions": 0,
                             "http_reqs": 20_000}}]
        self.h.compute_figures(runs)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.h.print_figures(runs, False)
        row = [line for line in out.getvalue().splitlines() if line.startswith("µs CPU/request")]
        self.assertEqual(len(row), 1, out.getvalue())
        self.assertIn("50.00", row[0])
        self.assertIn("no k6 ref", row[0])
        self.assertIn("k6 published no figure for k6/http", out.getvalue())

    def test_kib_per_vu_is_marginal_over_the_baseline(self):
        runs = [
            {"tool": "volley", "workload": "hold-100", "cpu_s": 1, "max_rss_kib": 20_000,
             "metrics": {"ws_msgs_sent": 0, "ws_msgs_received": 0, "ws_sessions": 100,
                         "ws_connecting_avg_ms": 1.0}},
            {"tool": "volley", "workload": "hold-4000", "cpu_s": 1, "max_rss_kib": 20_000 + 3900 * 90,
             "metrics": {"ws_msgs_sent": 0, "ws_msgs_received": 0, "ws_sessions": 4000,
                         "ws_connecting_avg_ms": 5.0}},
        ]
        self.h.compute_figures(runs)
        self.assertAlmostEqual(runs[1]["figures"]["kib_per_vu"], 90.0)
        self.assertNotIn("kib_per_vu", runs[0]["figures"])

    def test_hold_selection_adds_the_baseline(self):
        args = self.h.parse_args(["hold-4000"])
        self.assertEqual([w.name for w in self.h.select_workloads(args)], ["hold-100", "hold-4000"])

    def test_calibrated_target_is_point_three_of_k6_estimated_from_the_raw_floor(self):
        k6_est, verdict = self.h.calibrated("cpu_us_per_msg", 5.0, 4.0)
        self.assertAlmostEqual(k6_est, 4.0 * 7.2 / 1.53)
        self.assertEqual(verdict, "ok")  # 5.0 <= 0.3 * 18.8
        self.assertEqual(self.h.calibrated("cpu_us_per_session", 200.0, 100.0)[1], "MISSED")
        self.assertEqual(self.h.calibrated("kib_per_vu", 1.0, 1.0), (None, "-"))

    def test_too_many_descriptors_is_reported(self):
        w = self.h.hold(15000, 20)
        self.assertIn("file descriptors", self.h.too_big(w, 10_000))
        self.assertIsNone(self.h.too_big(w, 20_000))


class ReferenceToolTest(unittest.TestCase):
    """Artillery and Tsung as references (bench/reference/tools.py): their counts, their
    configurations, and the k6 estimate each gives. Recorded outputs, nothing is run."""

    # Two 10-second intervals of a Tsung 1.7.0 pingpong run (50 users): `request` counts the
    # 50 connect requests too; users/connected are gauges.
    TSUNG_PINGPONG = """# stats: dump at 1764129597
stats: users 50 50
stats: connect 50 1.03 0.48 2.184 0.311 0 0
stats: request 294741 0.96 0.39 7.93 0.027 0 0
stats: connected 50 50
# stats: dump at 1764129607
stats: users_count 0 50
stats: request 35789 0.98 0.35 7.93 0.027 0.96 294741
stats: connect 0 0 0 2.184 0.311 1.03 50
stats: connected 0 50
"""
    # A Tsung churn run: connect, message and close are three requests per session.
    TSUNG_CHURN = """stats: request 107308 1.27 0.80 9.15 0.03 0 0
stats: connect 35778 1.01 0.51 8.201 0.124 0 0
stats: request 12682 1.31 0.82 9.15 0.03 1.27 107308
stats: connect 4227 1.08 0.50 8.201 0.124 1.01 35778
stats: error_abort 1 1
stats: error_connect_econnrefused 1 1
"""

    def setUp(self):
        self.h = load_harness()
        self.ref = self.h.reference

    def test_tsung_pingpong_messages_exclude_connect_requests(self):
        m = self.ref.tsung_metrics(self.TSUNG_PINGPONG, "pingpong")
        self.assertEqual(m["ws_msgs_sent"], 294741 + 35789 - 50)
        self.assertEqual(m["ws_msgs_received"], m["ws_msgs_sent"])
        self.assertEqual(m["ws_sessions"], 50)
        self.assertEqual(m["errors"], 0)

    def test_tsung_churn_sessions_are_connects(self):
        m = self.ref.tsung_metrics(self.TSUNG_CHURN, "churn")
        self.assertEqual(m["ws_sessions"], 40_005)
        self.assertEqual(m["ws_msgs_sent"], 39_980)  # 119,990 requests: connect, message, close
        self.assertEqual(m["errors"], 1)  # error_connect; error_abort is the end of the test
        self.assertIn("1 errors", self.ref.count_problem(m, "churn", 20))

    def test_short_pingpong_is_a_problem(self):
        m = self.ref.tsung_metrics(self.TSUNG_PINGPONG, "pingpong")
        self.assertIsNone(self.ref.count_problem(m, "pingpong", 50))
        self.assertIn("only 50 of 60 users started", self.ref.count_problem(m, "pingpong", 60))
        m["users_started"] = 60  # all users started, yet only 50 sessions opened
        self.assertIn("only 50 of 60 sessions opened", self.ref.count_problem(m, "pingpong", 60))

    def test_artillery_report_counts(self):
        report = {"aggregate": {"counters": {
            "websocket.messages_sent": 136685, "websocket.messages_received": 136684,
            "vusers.completed": 50, "vusers.failed": 0}}}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(report, f)
        try:
            m = self.ref.artillery_metrics(f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual((m["ws_msgs_sent"], m["ws_msgs_received"], m["ws_sessions"]),
                         (136685, 136684, 50))

    def test_every_template_placeholder_is_filled(self):
        values = {"VUS": 7, "RUN_S": "3", "PORT": 4321, "URL": "ws://127.0.0.1:4321/"}
        expect = {("tsung", "pingpong"): ['maxnumber="7"', 'port="4321"', 'duration="3"'],
                  ("tsung", "churn"): ['maxnumber="7"', 'port="4321"', 'duration="3"'],
                  ("artillery", "pingpong"): ["arrivalCount: 7"],
                  ("artillery", "churn"): ["maxVusers: 7", "duration: 3"]}
        with tempfile.TemporaryDirectory() as d:
            for tool, files in self.ref.CONFIG_FILES.items():
                for workload in files:
                    with open(self.ref.fill_template(tool, workload, values, d)) as f:
                        text = f.read()
                    self.assertNotIn("@", text, f"{tool}/{workload}")
                    for want in expect[(tool, workload)]:
                        self.assertIn(want, text, f"{tool}/{workload}")
            self.assertTrue(os.path.exists(os.path.join(d, "processor.cjs")))
            with self.assertRaises(ValueError):
                self.ref.fill_template("tsung", "churn", {"VUS": 1}, d)

    def test_missing_reference_tool_exits_with_a_hint(self):
        args = self.h.parse_args(["--references", "--artillery", "/nonexistent/artillery",
                                  "--tsung", "/bin/true"])
        self.h.find_references(args)
        with self.assertRaises(SystemExit) as cm:
            self.h.check_tools(args)
        self.assertIn("no artillery at /nonexistent/artillery", str(cm.exception))
        self.assertIn("bench/reference/install", str(cm.exception))

    def test_k6_estimate_from_a_reference(self):
        factor = self.ref.k6_over("tsung", "cpu_us_per_msg")
        self.assertAlmostEqual(factor, 7.2 / 14.35)
        k6_est, verdict = self.h.calibrated("cpu_us_per_msg", 3.0, 20.0, factor)
        self.assertAlmostEqual(k6_est, 20.0 * 7.2 / 14.35)
        self.assertEqual(verdict, "ok")  # 3.0 <= 0.3 * 10.03
        self.assertEqual(self.h.calibrated("cpu_us_per_msg", 3.1, 20.0, factor)[1], "MISSED")


class WorkloadFolderTest(unittest.TestCase):
    """The workload scripts are bench/workloads; --shared only ever replaces them on request."""

    def setUp(self):
        self.h = load_harness()

    def test_default_folder_is_bench_workloads_with_all_scripts(self):
        folder = os.path.join(ROOT, "bench", "workloads")
        self.assertEqual(os.path.realpath(self.h.WORKLOADS_DIR), os.path.realpath(folder))
        for script in ("pingpong.js", "hold.js", "churn.js"):
            self.assertIn(script, self.h.WORKLOAD_SCRIPTS)
            self.assertTrue(os.path.isfile(os.path.join(folder, script)), script)
        with mock.patch.dict(os.environ):
            os.environ.pop("VOLLEY_SHARED", None)
            args = self.h.parse_args([])
        self.assertIsNone(args.shared)
        self.assertEqual(self.h.workload_dir(args.shared), self.h.WORKLOADS_DIR)
        self.assertEqual({w.script for w in self.h.select_workloads(args)},
                         set(self.h.WORKLOAD_SCRIPTS) | set(self.h.OWN_SCRIPTS))
        for script in self.h.OWN_SCRIPTS:
            self.assertTrue(os.path.isfile(os.path.join(folder, script)), script)

    def test_shared_folder_without_the_scripts_is_a_one_line_error(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "pingpong.js"), "w") as f:
                f.write("export default function () {}\n")  # hold.js and churn.js missing
            cmd = [sys.executable, RUN, "--quick", "--shared", d, "--results",
                   os.path.join(d, "results")]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertEqual(proc.stdout, "")
        lines = proc.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, proc.stderr)
        self.assertTrue(lines[0].startswith("bench/run: no workload scripts "), lines[0])
        self.assertIn(d, lines[0])
        self.assertFalse(os.path.exists(os.path.join(d, "results")))

    def test_shared_folder_or_its_bench_subfolder_is_used_when_given(self):
        with tempfile.TemporaryDirectory() as d:
            bench = os.path.join(d, "bench")
            os.mkdir(bench)
            for script in self.h.WORKLOAD_SCRIPTS:
                open(os.path.join(bench, script), "w").close()
            self.assertEqual(self.h.workload_dir(d), bench)
            self.assertEqual(self.h.workload_dir(bench), bench)
            # http_get.js is ours: a shared folder without it runs bench/workloads' copy
            self.assertEqual(self.h.script_path(bench, "http_get.js"),
                             os.path.join(self.h.WORKLOADS_DIR, "http_get.js"))
            self.assertEqual(self.h.script_path(bench, "churn.js"), os.path.join(bench, "churn.js"))
            open(os.path.join(bench, "http_get.js"), "w").close()
            self.assertEqual(self.h.script_path(bench, "http_get.js"),
                             os.path.join(bench, "http_get.js"))


class QuickRunTest(unittest.TestCase):
    """bench/run --quick end to end: volley echo, volley run, native_client, result files."""

    def test_quick_run_writes_positive_figures(self):
        env = dict(os.environ)
        env.pop("VOLLEY_SHARED", None)  # the default: bench/workloads, nothing outside the repo
        env.pop("K6", None)  # no k6: httpget's row must say it has no reference
        with tempfile.TemporaryDirectory() as results:
            cmd = [sys.executable, RUN, "--quick", "--results", results]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=170, env=env)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
            self.assertIn("workload scripts: " + os.path.join(ROOT, "bench", "workloads"),
                          proc.stderr)
            expect = {"pingpong": "cpu_us_per_msg", "churn": "cpu_us_per_session",
                      "hold-50": "kib_per_vu", "httpget": "cpu_us_per_req"}
            for name, figure in expect.items():
                path = os.path.join(results, f"quick-{name}.json")
                self.assertTrue(os.path.exists(path), f"{path} missing\n{proc.stdout}")
                with open(path) as f:
                    doc = json.load(f)
                volley = [r for r in doc["runs"] if r["tool"] == "volley"][0]
                self.assertNotIn("error", volley)
                self.assertEqual(doc["workload_scripts"],
                                 os.path.join(ROOT, "bench", "workloads"))
                self.assertTrue(volley["command"][-1].startswith(doc["workload_scripts"]))
                self.assertGreater(volley["cpu_s"], 0)
                self.assertGreater(volley["max_rss_kib"], 0)
                self.assertGreater(volley["figures"][figure], 0, f"{name}: {volley}")
            with open(os.path.join(results, "quick-pingpong.json")) as f:
                runs = {r["tool"]: r for r in json.load(f)["runs"]}
            if "native" in runs:
                self.assertGreater(runs["native"]["figures"]["cpu_us_per_msg"], 0)
                self.assertGreater(runs["raw"]["figures"]["cpu_us_per_msg"], 0)
                self.assertEqual(runs["raw"]["command"][-2:], ["--engine", "raw"])
                self.assertIn("k6 est.", proc.stdout)
            self.assertIn("µs CPU/msg", proc.stdout)
            with open(os.path.join(results, "quick-httpget.json")) as f:
                httpget = [r for r in json.load(f)["runs"] if r["tool"] == "volley"][0]
            self.assertTrue(httpget["command"][-1].endswith("/http_get.js"))
            mt = httpget["metrics"]
            self.assertGreater(mt["http_reqs"], 0)
            self.assertEqual(mt["http_req_failed"], 0)
            self.assertEqual(mt["checks_passes"], mt["http_reqs"])  # one check per request
            self.assertEqual(mt["checks_fails"], 0)
            rows = [line for line in proc.stdout.splitlines() if line.startswith("µs CPU/request")]
            self.assertEqual(len(rows), 1, proc.stdout)
            self.assertIn("no k6 ref", rows[0])


# Stand-ins for Artillery and Tsung: they write the report / tsung.log the real tools write, with
# fixed counts. The Tsung one reports a connect error on churn, which must fail that run.
ARTILLERY_STUB = """#!/usr/bin/env python3
import json, sys
args = sys.argv[1:]
out = args[args.index("--output") + 1]
churn = "churn" in args[-1]
counters = {"websocket.messages_sent": 400, "websocket.messages_received": 400,
            "vusers.completed": 400 if churn else 5, "vusers.failed": 0}
json.dump({"aggregate": {"counters": counters}}, open(out, "w"))
"""
TSUNG_STUB = """#!/usr/bin/env python3
import os, sys
args = sys.argv[1:]
churn = "churn" in args[args.index("-f") + 1]
log = os.path.join(args[args.index("-l") + 1], "20261126-0000")
os.makedirs(log)
with open(os.path.join(log, "tsung.log"), "w") as f:
    if churn:
        f.write("stats: users_count 2 2\\nstats: request 900 1 1 1 1 0 0\\n"
                "stats: connect 300 1 1 1 1 0 0\\nstats: error_connect_econnrefused 2 2\\n")
    else:
        f.write("stats: users_count 5 5\\nstats: request 1005 1 1 1 1 0 0\\n"
                "stats: connect 5 1 1 1 1 0 0\\nstats: error_abort 5 5\\n")
"""


class QuickReferenceRunTest(unittest.TestCase):
    """bench/run --quick with stand-ins for Artillery and Tsung: their runs, their counts, the
    calibration rows, and a failed reference run kept out of the figures."""

    def test_reference_runs_and_calibration_rows(self):
        with tempfile.TemporaryDirectory() as d:
            stubs = {}
            for name, text in (("artillery", ARTILLERY_STUB), ("tsung", TSUNG_STUB)):
                stubs[name] = os.path.join(d, name)
                with open(stubs[name], "w") as f:
                    f.write(text)
                os.chmod(stubs[name], 0o755)
            results = os.path.join(d, "results")
            cmd = [sys.executable, RUN, "--quick", "--results", results, "--artillery",
                   stubs["artillery"], "--tsung", stubs["tsung"], "pingpong", "churn"]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=170)
            self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)  # Tsung's churn
            with open(os.path.join(results, "quick-pingpong.json")) as f:
                pingpong = {r["tool"]: r for r in json.load(f)["runs"]}
            with open(os.path.join(results, "quick-churn.json")) as f:
                churn = {r["tool"]: r for r in json.load(f)["runs"]}
            self.assertEqual(pingpong["tsung"]["metrics"]["ws_msgs_sent"], 1000)
            self.assertNotIn("error", pingpong["tsung"])  # error_abort: the end of the test
            self.assertGreater(pingpong["artillery"]["figures"]["cpu_us_per_msg"], 0)
            self.assertGreater(churn["artillery"]["figures"]["cpu_us_per_session"], 0)
            self.assertIn("2 errors", churn["tsung"]["error"])
            self.assertNotIn("figures", churn["tsung"])
            rows = [line.split() for line in proc.stdout.splitlines()]
            refs = {(r[2], r[3]) for r in rows if len(r) > 4 and r[0] == "µs"}
            self.assertIn(("pingpong", "tsung"), refs)
            self.assertIn(("pingpong", "artillery"), refs)
            self.assertIn(("churn", "artillery"), refs)
            self.assertNotIn(("churn", "tsung"), refs)


if __name__ == "__main__":
    unittest.main()
