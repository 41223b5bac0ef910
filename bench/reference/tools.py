"""The reference load tools of the published k6 benchmark README (docs/performance.md), run by
bench/run in the same run as volley: Artillery 2.0.34 ($ARTILLERY) and Tsung 1.7.0 ($TSUNG).

The README measured both beside k6 v1.6.1 on its machine, so each one measured here estimates
what k6 would cost here: k6 here ~ tool here x (k6 / tool in the README's run). Together with
the raw epoll floor this gives three estimates of k6 on a machine where k6 cannot run, each
resting on a different mix of user and kernel time (the floor is ~95 % kernel, Artillery
~80 % user, Tsung about half and half).

Only pingpong and churn have reference configurations (bench/reference/<tool>/<workload>.*):
templates whose @VUS@, @RUN_S@, @PORT@ and @URL@ are filled in per run. Python 3 stdlib only.
"""

import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))

# That README, "Other tools measured on the same workloads and machine (same run as a k6
# v1.6.1 reference of 7.2 µs, 167-190 KiB, 159-167 µs)": the midpoints of each tool's range,
# the raw epoll client of that run ("raw", native_client --engine raw here), and k6's figure
# of that run (the lower session figure, so the estimate errs against volley).
README_SAME_RUN = {
    "k6": {"cpu_us_per_msg": 7.2, "cpu_us_per_session": 159.0},
    "raw": {"cpu_us_per_msg": 1.53, "cpu_us_per_session": 27.9},
    "artillery": {"cpu_us_per_msg": (22.5 + 23.3) / 2, "cpu_us_per_session": (456 + 464) / 2},
    "tsung": {"cpu_us_per_msg": (14.0 + 14.7) / 2, "cpu_us_per_session": (214 + 222) / 2},
}
CONFIG_FILES = {"artillery": {"pingpong": "pingpong.yml", "churn": "churn.yml"},
                "tsung": {"pingpong": "pingpong.xml", "churn": "churn.xml"}}


def k6_over(tool, figure):
    """k6's cost as a multiple of tool's in the README's same run."""
    return README_SAME_RUN["k6"][figure] / README_SAME_RUN[tool][figure]


def fill_template(tool, workload, values, workdir):
    """Writes tool's configuration for workload into workdir with the @NAME@ values filled in;
    returns its path. The Artillery processor is copied beside it (Artillery resolves it
    relative to the configuration)."""
    name = CONFIG_FILES[tool][workload]
    with open(os.path.join(HERE, tool, name)) as f:
        text = f.read()
    for key, value in values.items():
        text = text.replace(f"@{key}@", str(value))
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        raise ValueError(f"{tool}/{name}: no value for {', '.join(sorted(set(left)))}")
    path = os.path.join(workdir, name)
    with open(path, "w") as f:
        f.write(text)
    if tool == "artillery":
        with open(os.path.join(HERE, tool, "processor.cjs")) as src, \
                open(os.path.join(workdir, "processor.cjs"), "w") as dst:
            dst.write(src.read())
    return path


def prepare(tool, binary, workload, values, workdir):
    """The command line and environment of one run of tool on workload (its configuration
    written into workdir), and a function that reads the run's counts afterwards (OSError or
    ValueError when the tool left none)."""
    config = fill_template(tool, workload, values, workdir)
    if tool == "artillery":
        report = os.path.join(workdir, "report.json")
        env = {"DO_NOT_TRACK": "1", "ARTILLERY_DISABLE_TELEMETRY": "true",
               "RUN_S": str(values["RUN_S"])}  # processor.cjs bounds pingpong's loop
        cmd = [binary, "run", "--target", values["URL"], "--output", report, config]
        return cmd, env, lambda: artillery_metrics(report)
    logdir = os.path.join(workdir, "log")
    # -n: no web dashboard (it would listen on port 8091). Tsung leaves Erlang's epmd daemon
    # running after the first run; it is idle and outside the measured process tree.
    cmd = [binary, "-n", "-f", config, "-l", logdir, "start"]
    return cmd, {}, lambda: tsung_metrics(read_tsung_log(logdir), workload)


def artillery_metrics(report):
    """Counts from an `artillery run --output` JSON report: every virtual user holds one
    WebSocket session."""
    with open(report) as f:
        counters = json.load(f).get("aggregate", {}).get("counters", {})
    return {"ws_msgs_sent": counters.get("websocket.messages_sent", 0),
            "ws_msgs_received": counters.get("websocket.messages_received", 0),
            "ws_sessions": counters.get("vusers.completed", 0),
            "errors": counters.get("vusers.failed", 0)}  # (no users_started: open model)


def tsung_totals(log_text):
    """Totals of the counters in a tsung.log: each `stats: NAME COUNT ...` line holds the count
    of one 10-second interval. `users_count NEW TOTAL` gives the users started so far (kept as
    "users_started"); the other gauges are skipped."""
    totals = {}
    for line in log_text.splitlines():
        parts = line.split()
        if len(parts) < 3 or parts[0] != "stats:":
            continue
        name = parts[1]
        if name == "users_count" and len(parts) >= 4:
            started = int(float(parts[3]))
            totals["users_started"] = max(totals.get("users_started", 0), started)
            continue
        if name in ("users", "connected", "finish_users_count"):
            continue
        try:
            totals[name] = totals.get(name, 0) + int(float(parts[2]))
        except ValueError:
            continue
    return totals


def tsung_metrics(log_text, workload):
    """Messages and sessions from tsung.log totals. Every websocket request counts as a
    `request` (connect, message and close alike); a message request waits for its echo
    (ack="parse"), so it is one message sent and one received."""
    t = tsung_totals(log_text)
    connects = t.get("connect", 0)
    closes = connects if workload == "churn" else 0  # churn closes every session it opens
    messages = max(t.get("request", 0) - connects - closes, 0)
    # error_abort counts the users still running when the test's duration ends (Tsung stops
    # them): the end of the run, not a failure.
    errors = sum(v for k, v in t.items() if k.startswith("error") and k != "error_abort")
    return {"ws_msgs_sent": messages, "ws_msgs_received": messages, "ws_sessions": connects,
            "errors": errors, "users_started": t.get("users_started", 0)}


def count_problem(metrics, workload, vus):
    """Why the counts of a reference run cannot be trusted, or None."""
    if metrics["errors"]:
        return f"{metrics['errors']} errors reported by the tool"
    if "users_started" in metrics and metrics["users_started"] < vus:
        return f"only {metrics['users_started']} of {vus} users started"
    if workload == "pingpong" and metrics["ws_sessions"] < vus:
        return f"only {metrics['ws_sessions']} of {vus} sessions opened"
    if metrics["ws_msgs_sent"] + metrics["ws_msgs_received"] == 0:
        return "no messages counted"
    return None


def read_tsung_log(logdir):
    """The tsung.log that tsung writes into a dated subfolder of -l."""
    for root, _, files in os.walk(logdir):
        if "tsung.log" in files:
            with open(os.path.join(root, "tsung.log")) as f:
                return f.read()
    raise OSError("no tsung.log")
