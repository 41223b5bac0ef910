#!/usr/bin/env python3
"""Tests of scripts/check-layout on small made-up repositories: it must fail on a forbidden
include or link, and pass when the rule holds. (The real repository is checked by the `layout`
test.) Python 3 stdlib only."""

import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOL = os.path.join(ROOT, "scripts", "check-layout")

TABLE = """# arch

| folder | step | may use |
|---|---|---|
| `app/` | top | everything |
| `net/` | network | util |
| `js/` | JS | util |
| `util/` | basics | std, Boost, fmt |
| `tools/wsecho/` | echo | util |
"""


def make_repo(files):
    d = tempfile.mkdtemp(prefix="layout-")
    base = {"docs/architecture.md": TABLE,
            "CMakeLists.txt": "volley_library(util PUBLIC fmt::fmt)\n"
                              "volley_library(net PUBLIC volley_util)\n"
                              "volley_library(js PUBLIC volley_util)\n"
                              "volley_library(app PRIVATE volley_net volley_js)\n",
            "tools/native_client/CMakeLists.txt": "",
            "src/net/a.cpp": '#include "net/a.hpp"\n#include "util/log.hpp"\n',
            "src/util/log.cpp": "#include <boost/asio.hpp>\n#include <vector>\n"}
    base.update(files)
    for rel, text in base.items():
        path = os.path.join(d, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return d


def check(files):
    r = subprocess.run([sys.executable, TOOL, make_repo(files)], capture_output=True, text=True,
                       check=False)
    return r.returncode, r.stdout


class CheckLayout(unittest.TestCase):
    def test_passes_when_the_rule_holds(self):
        code, out = check({})
        self.assertEqual(code, 0, out)

    def test_a_forbidden_include_is_named(self):
        code, out = check({"src/net/b.cpp": '#include "js/runtime.hpp"\n'})
        self.assertEqual(code, 1)
        self.assertIn('src/net/b.cpp:1: net/ may not include "js/runtime.hpp"', out)

    def test_app_may_include_everything_and_tools_resolve(self):
        code, out = check({"src/app/m.cpp": '#include "js/x.hpp"\n#include "wsecho/e.hpp"\n',
                           "tools/wsecho/e.cpp": '#include "util/log.hpp"\n'})
        self.assertEqual(code, 0, out)

    def test_util_may_not_use_other_libraries(self):
        code, out = check({"src/util/z.cpp": "#include <zlib.h>\n#include <openssl/ssl.h>\n"})
        self.assertEqual(code, 1)
        self.assertIn("not <zlib.h>", out)
        self.assertIn("not <openssl/ssl.h>", out)

    def test_a_forbidden_link_is_named(self):
        code, out = check({"CMakeLists.txt": "volley_library(util PUBLIC fmt::fmt)\n"
                                             "volley_library(net PUBLIC volley_util volley_js)\n"})
        self.assertEqual(code, 1)
        self.assertIn("net links volley_js", out)

    def test_no_table_is_an_error(self):
        code, _ = check({"docs/architecture.md": "no table here\n"})
        self.assertNotEqual(code, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
