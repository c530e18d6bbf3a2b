"""Smoke test of benchmarks/bench_simulator.py: it runs and reports sane numbers.

Only that the script works is tested; its timing goals are printed by the benchmark itself and
never asserted here (timings depend on the machine and its load).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "benchmarks" / "bench_simulator.py"


def test_bench_simulator_quick(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert proc.returncode == 0, f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    res = json.loads(out.read_text())

    def positive(x):
        return isinstance(x, (int, float)) and math.isfinite(x) and x > 0

    assert positive(res["gemm"]["square"]["gflops"])
    assert all(positive(g["gflops"]) for g in res["gemm"]["shapes"])
    rows = res["simulator"]
    assert {r["mode"] for r in rows} == {"core", "tangent", "measures"}
    assert all(positive(r["gflops"]) for r in rows)
    compared = [r for r in rows if "speedup" in r]
    assert {r["mode"] for r in compared} == {"tangent", "measures"}
    assert all(positive(r["speedup"]) and positive(r["naive_us_per_traj_step"]) for r in compared)
    assert positive(res["metzner_sweep"]["gflops"]) and positive(res["metzner_sweep"]["speedup"])
    assert all(isinstance(g["pass"], bool) for g in res["goals"])
