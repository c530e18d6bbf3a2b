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


def test_paper_cost_model_of_train_until_success(tmp_path, monkeypatch):
    """The paper-profile estimate: fixed epochs = nets x cap steps per condition at the measured cost per
    network-step; train until success = nets x (m + (1/r - 1) cap) steps per condition from the pilot lines
    of its (task, init, constraint) at the nearest N, all lines pooled where none match, at most
    max_attempts x cap; lines of another schedule or profile are ignored."""
    import yaml

    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    import bench_jarne

    from rnnstruct.jarne import design, tasks

    line = {"config": "config/paper.yaml", "lr": 1e-4, "batch": 64, "task": "and", "init": "orthogonal",
            "constraint": "0.5", "N": 100, "first_pass": [1000, None, 2000, None]}  # r = 1/2, m = 1500
    other = {**line, "batch": 16, "first_pass": [None] * 4}  # another schedule: ignored
    pilots = tmp_path / "pilots.jsonl"
    pilots.write_text(json.dumps(line) + "\n" + json.dumps(other) + "\n")
    monkeypatch.setattr(bench_jarne, "PILOTS", pilots)
    step_s = {100: 1.0, 200: 1.0, 500: 1.0}  # one second per network-step at every N
    out = bench_jarne.paper_core_hours(step_s, gemm_gflops_best=100.0)
    cfg = yaml.safe_load((REPO / "config/paper.yaml").read_text())["jarne"]
    conds = design.conditions(cfg)
    cap, nets = out["cap_steps"], cfg["nets"]
    T = {c["task"]: tasks.trial_length(c["task"]) / tasks.BOOL_T for c in conds.values()}
    assert cap == cfg["training"]["epochs"] * -(-cfg["data"]["n_train"] // cfg["training"]["batch_size"])
    assert math.isclose(out["fixed_epochs_core_hours"] * 3600, sum(nets * cap * T[c["task"]] for c in conds.values()),
                        rel_tol=1e-9)
    per_net = 1500 + (1 / 0.5 - 1) * cap  # every condition falls back to the one pilot line (pooled or matched)
    assert math.isclose(out["until_success_core_hours"] * 3600,
                        sum(nets * per_net * T[c["task"]] for c in conds.values()), rel_tol=1e-9)
    bases = {r["condition"]: r["basis"] for r in out["per_condition"]}
    assert bases["and_orthogonal_ei0.5_N300"] == "and orthogonal 0.5 N = 100"
    assert bases["or_normal_free_N100"] == "pooled"
    assert out["pilots"]["candidates"] == 4 and out["pilots"]["passed"] == 2
    flops = sum(nets * cap * 6.0 * cfg["training"]["batch_size"] * tasks.trial_length(c["task"]) * c["N"] ** 2
                for c in conds.values())
    assert math.isclose(out["fixed_epochs_floor_core_hours"], flops / 100e9 / 3600, rel_tol=1e-9)
    assert math.isclose(out["until_success_floor_core_hours"],
                        out["fixed_epochs_floor_core_hours"] * per_net / cap, rel_tol=1e-9)
