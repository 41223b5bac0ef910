#!/usr/bin/env python3
"""Writes a 200 KiB ES module of exported functions (docs/performance.md, "Remote modules")."""
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "root/lib/big.js"
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
parts = ["// generated library for the module-memory benchmark\n"]
i = 0
while sum(len(p) for p in parts) < 200 * 1024:
    parts.append(f"""export function fn{i}(a, b) {{
  const list = [a, b, {i}, '{"x" * 20}'];
  let acc = 0;
  for (const v of list) {{ acc += typeof v === 'number' ? v : v.length; }}
  return acc + '{i}';
}}
""")
    i += 1
with open(out, "w") as f:
    f.write("".join(parts))
