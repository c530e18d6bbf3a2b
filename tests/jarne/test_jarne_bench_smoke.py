"""Smoke test of benchmarks/bench_jarne.py: it runs and reports finite, positive numbers (timings are
printed by the benchmark, never asserted)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_bench_jarne_quick(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_jarne.py"), "--quick", "--json", str(out)],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )
    assert proc.returncode == 0, f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    rows = json.loads(out.read_text())["rows"]
    assert [r["N"] for r in rows] == [32, 64]
    for r in rows:
        for key in ("batched_s", "single_s", "batched_gflops", "gemm_shape_gflops", "ratio_batched",
                    "ratio_single", "ratio_batched_square"):
            assert isinstance(r[key], float) and math.isfinite(r[key]) and r[key] > 0, key
        assert r["batched_gflops"] == 6.0 * r["B"] * r["T"] * r["N"] ** 2 / r["batched_s"] / 1e9
        assert r["ratio_batched"] == r["batched_gflops"] / r["gemm_shape_gflops"]
    assert "ratio" in proc.stdout
