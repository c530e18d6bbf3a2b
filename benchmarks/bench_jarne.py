#!/usr/bin/env python
"""Training throughput of ``rnnstruct.jarne.train`` as a ratio to the GEMM FLOP/s of this machine.

Run as ``python benchmarks/bench_jarne.py [--quick] [--json PATH]``.  One thread (one JAX compute thread:
rnnstruct.numerics.jax_threads; one BLAS thread).  A training step on a batch of B trials of T steps does,
per time step, the recurrent product (B x N)(N x N) forward and two products of the same size backward
(the backpropagated error and the weight gradient): ~6 B T N^2 flops per network, the count used here
(input and readout terms are O(B T N) and ignored).  Two trainers are timed:

* ``batched``: :class:`rnnstruct.jarne.train.SlotTrainer`, ``slots`` networks per compiled call of
  ``steps`` optimizer steps (what the workflow runs);
* ``single``: :func:`rnnstruct.jarne.train.train`, one network, one compiled step per mini-batch (the
  reference).

The reference rate is a float32 GEMM of the same (B x N)(N x N) shape measured in the same run
(numpy/OpenBLAS; the square N x N GEMM alongside); the ratio is training FLOP/s / GEMM FLOP/s.  The measured
cost per network-step also gives the core-hours of the paper configuration (printed): for the paper's own
protocol (every network trained the 20 epochs, no retries) and for train until success with the success
rate and steps to success of a pilot file (``--pilots``, lines written by ``benchmarks/pilot_jarne.py``).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import yaml  # noqa: E402
from harness import best_time, blas_summary, run_cli  # noqa: E402

from rnnstruct.jarne import design, model, tasks, train  # noqa: E402

SEED = 20240101
REPO = Path(__file__).resolve().parents[1]
OPT = dict(lr=1e-4, decay=1e-4, clipnorm=0.5, b1=0.9, b2=0.999, eps=1e-8)
PILOTS: Path | None = None  # set from --pilots


def _networks(N: int, n: int, rng) -> list[dict]:
    return [model.initial_params(N, "orthogonal", rng) for _ in range(n)]


def batched_seconds(N: int, B: int, slots: int, steps: int, repeats: int) -> float:
    """Best wall time per network-step of SlotTrainer.advance (``steps`` steps of ``slots`` networks per
    call; compilation excluded)."""
    rng = np.random.default_rng([SEED, N, slots])
    tr = tasks.sample("and", 4 * B, rng)
    trainer = train.SlotTrainer(N=N, slots=slots, opt=OPT, x_train=tr.x, y_train=tr.y, x_test=tr.x[:4])
    mask = train.mask_of(model.sign_vector(N, 0.5), True, "pre")
    for c, p in enumerate(_networks(N, slots, rng)):
        trainer.load(c, p, mask, True, 10**9)
    idx = rng.integers(0, 4 * B, size=(steps, slots, B)).astype(np.int32)
    wts = np.ones((steps, slots, B), dtype=np.float32)
    trainer.advance(idx, wts)  # compiles
    return best_time(lambda: trainer.advance(idx, wts), repeats) / (steps * slots)


def single_seconds(N: int, B: int, steps: int) -> float:
    """Mean wall time of one step of the reference trainer (one network; compilation excluded)."""
    rng = np.random.default_rng([SEED, N])
    tr = tasks.sample("and", B * (steps + 1), rng)
    p = model.initial_params(N, "orthogonal", rng)
    kw = dict(sign=model.sign_vector(N, 0.5), constrained=True, dale_axis="pre", opt=OPT, batch_size=B,
              progress=False)
    train.train(p, tr.x[:B], tr.y[:B], np.arange(B)[None, :], **kw)  # compiles (cached for the timed run)
    t0 = time.perf_counter()
    train.train(p, tr.x[B:], tr.y[B:], np.arange(B * steps)[None, :], **kw)
    return (time.perf_counter() - t0) / steps


def gemm_gflops(m: int, n: int, k: int) -> float:
    rng = np.random.default_rng([SEED, m, n, k])
    A = rng.standard_normal((m, k)).astype(np.float32)
    Bm = rng.standard_normal((k, n)).astype(np.float32)
    C = np.empty((m, n), dtype=np.float32)
    reps = max(3, int(2e8 / (2 * m * n * k)))
    t = best_time(lambda: [np.matmul(A, Bm, out=C) for _ in range(reps)], 5) / reps
    return 2.0 * m * n * k / t / 1e9


def _pilot_lines(path: Path | None, training: dict) -> list[dict]:
    """The pilot lines run with the paper profile's data and schedule (its ``training`` lr and batch), or []."""
    if path is None or not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [r for r in rows if r.get("config") == "config/paper.yaml" and r["lr"] == training["lr"]
            and r["batch"] == training["batch_size"]]


def _stats(rows: list[dict]) -> dict:
    first = [f for r in rows for f in r["first_pass"]]
    ok = [f for f in first if f is not None]
    return {"lines": len(rows), "candidates": len(first), "passed": len(ok), "rate": len(ok) / len(first),
            "mean_steps": float(np.mean(ok)) if ok else float("nan")}


def _condition_stats(rows: list[dict], c: dict) -> dict:
    """Pilot statistics for condition ``c``: the lines of its (task, init, constraint) at the nearest N,
    or all lines pooled when the pilots did not run that combination."""
    con = "free" if c["ei_frac"] is None else format(float(c["ei_frac"]), "g")
    same = [r for r in rows if (r["task"], r["init"], str(r["constraint"])) == (c["task"], c["init"], con)]
    if not same:
        return {**_stats(rows), "basis": "pooled"}
    n = min({r["N"] for r in same}, key=lambda m: (abs(m - c["N"]), m))
    return {**_stats([r for r in same if r["N"] == n]), "basis": f"{c['task']} {c['init']} {con} N = {n}"}


def paper_core_hours(net_step_s: dict[int, float], gemm_gflops_best: float = float("nan")) -> dict:
    """Core-hours of config/paper.yaml's Jarne part from the measured batched cost per network-step (a
    quadratic in N through the measured sizes; Flip-Flop trials are 410/290 as long).

    Two protocols: every network trained the 20 epochs with no retries (the paper's), and train until
    success with early stop (the workflow's), from the pilot lines (``--pilots``) of the paper's schedule:
    a condition with success rate r and mean steps to success m needs, per learned network, m steps plus
    (1/r - 1) failed candidates at the step cap, and at most ``max_attempts`` candidates in all.
    The flop floor of the paper's protocol is its 6 B T N^2 flops per network-step at the best GEMM rate of
    the run (``gemm_gflops_best``): no trainer on this CPU does the paper's protocol in fewer core-hours.
    """
    cfg = yaml.safe_load((REPO / "config/paper.yaml").read_text())["jarne"]
    Ns = np.array(sorted(net_step_s), dtype=float)
    coef = np.polyfit(Ns, [net_step_s[int(n)] for n in Ns], min(2, len(Ns) - 1))
    cap = cfg["training"]["epochs"] * -(-cfg["data"]["n_train"] // cfg["training"]["batch_size"])
    nets, attempts = cfg["nets"], cfg["until_success"]["max_attempts"]
    rows = _pilot_lines(PILOTS, cfg["training"])
    conds = design.conditions(cfg)
    fixed = until = flops = until_flops = 0.0
    per_condition = []
    B = cfg["training"]["batch_size"]
    for name, c in conds.items():
        step_s = max(float(np.polyval(coef, c["N"])), 0.0) * tasks.trial_length(c["task"]) / tasks.BOOL_T
        fixed += nets * cap * step_s
        step_flops = 6.0 * B * tasks.trial_length(c["task"]) * c["N"] ** 2
        flops += nets * cap * step_flops
        if rows:
            st = _condition_stats(rows, c)
            if st["passed"]:
                steps = min(nets * (st["mean_steps"] + (1 / st["rate"] - 1) * cap), attempts * cap)
            else:
                steps = attempts * cap
            until += steps * step_s
            until_flops += steps * step_flops
            per_condition.append({"condition": name, "basis": st["basis"], "rate": st["rate"],
                                  "mean_steps": st["mean_steps"], "core_hours": steps * step_s / 3600})
    out = {"cap_steps": cap, "conditions": len(conds), "nets": nets,
           "fixed_epochs_core_hours": fixed / 3600, "fixed_epochs_flops": flops,
           "fixed_epochs_floor_core_hours": flops / (gemm_gflops_best * 1e9) / 3600}
    if rows:
        out.update(pilots={**_stats(rows), "schedule": f"lr {cfg['training']['lr']:g}, B = {B}"}, per_condition=per_condition, until_success_core_hours=until / 3600,
                   until_success_floor_core_hours=until_flops / (gemm_gflops_best * 1e9) / 3600)
    return out


def measure(quick: bool) -> dict:
    B = 16 if quick else 64
    Ns = (32, 64) if quick else (100, 200, 500)
    slots = 4 if quick else 8
    rows = []
    for N in Ns:
        steps = 2 if quick else (20 if N <= 200 else 4)
        b = batched_seconds(N, B, slots, steps, 2 if quick else 3)
        s = single_seconds(N, B, 2 if quick else (10 if N <= 200 else 3))
        flops = 6.0 * B * tasks.BOOL_T * N * N
        g_shape, g_square = gemm_gflops(B, N, N), gemm_gflops(N, N, N)
        rows.append({
            "N": N, "B": B, "T": tasks.BOOL_T, "slots": slots, "steps_per_call": steps,
            "batched_s": b, "single_s": s,
            "batched_gflops": flops / b / 1e9, "single_gflops": flops / s / 1e9,
            "gemm_shape_gflops": g_shape, "gemm_square_gflops": g_square,
            "ratio_batched": flops / b / 1e9 / g_shape, "ratio_single": flops / s / 1e9 / g_shape,
            "ratio_batched_square": flops / b / 1e9 / g_square,
        })
    out = {"python": platform.python_version(), "machine": platform.machine(), "blas": blas_summary(),
           "rows": rows}
    if not quick:
        best = max(max(r["gemm_shape_gflops"], r["gemm_square_gflops"]) for r in rows)
        out["paper"] = paper_core_hours({r["N"]: r["batched_s"] for r in rows}, best)
        main = next(r for r in rows if r["N"] == 100)
        out["goals"] = [{"name": "batched training >= 0.5 of the same-shape GEMM rate at N = 100",
                         "value": main["ratio_batched"], "threshold": 0.5, "pass": main["ratio_batched"] >= 0.5}]
        if "until_success_core_hours" in out["paper"]:
            v = out["paper"]["until_success_core_hours"]
            out["goals"].append({"name": "paper profile (train until success) <= 15 core-hours", "value": v,
                                 "threshold": 15.0, "pass": v <= 15.0})
    return out


def report(res: dict) -> None:
    print("Jarne training (B trials x T steps, projected Adam step) vs float32 GEMM, one thread")
    print(f"{'N':>5} {'B':>4} {'slots':>5} {'batched ms':>11} {'GF/s':>6} {'single ms':>10} {'GF/s':>6} "
          f"{'GEMM(BxN.NxN)':>14} {'GEMM(NxN)':>10} {'ratio':>6} {'ratio 1':>8}")
    for r in res["rows"]:
        print(f"{r['N']:>5} {r['B']:>4} {r['slots']:>5} {1e3 * r['batched_s']:>11.2f} {r['batched_gflops']:>6.1f} "
              f"{1e3 * r['single_s']:>10.2f} {r['single_gflops']:>6.1f} {r['gemm_shape_gflops']:>14.1f} "
              f"{r['gemm_square_gflops']:>10.1f} {r['ratio_batched']:>6.2f} {r['ratio_single']:>8.2f}")
    print("(ms per network-step; ratio = batched FLOP/s / same-shape GEMM FLOP/s; ratio 1 = the one-network "
          "reference trainer)")
    if "paper" in res:
        p = res["paper"]
        print(f"paper config: {p['conditions']} conditions x {p['nets']} networks x {p['cap_steps']} steps "
              f"(fixed 20 epochs, no retries) = {p['fixed_epochs_core_hours']:.1f} core-hours; its "
              f"{p['fixed_epochs_flops']:.2e} flops at the best GEMM rate of this run: "
              f"{p['fixed_epochs_floor_core_hours']:.1f} core-hours (floor)")
        if "until_success_core_hours" in p:
            st = p["pilots"]
            print(f"train until success (early stop), from {st['lines']} pilot lines of the paper schedule "
                  f"({st['schedule']}, {st['candidates']} candidates, {st['passed']} passed):")
            for basis in sorted({r["basis"] for r in p["per_condition"]}):
                rs = [r for r in p["per_condition"] if r["basis"] == basis]
                print(f"  {len(rs):>2} conditions from {basis}: success rate {rs[0]['rate']:.2f}, "
                      f"{rs[0]['mean_steps']:.0f} steps to success, {sum(r['core_hours'] for r in rs):.1f} core-hours")
            print(f"  total {p['until_success_core_hours']:.1f} core-hours; the same network-steps at the best GEMM "
                  f"rate of this run: {p['until_success_floor_core_hours']:.1f} core-hours (floor)")
    for g in res.get("goals", []):
        print(f"goal: {g['name']}: {g['value']:.2f} -> {'PASS' if g['pass'] else 'FAIL'}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--pilots", type=Path)
    known, rest = ap.parse_known_args()
    PILOTS = known.pilots
    sys.exit(run_cli(__doc__, measure, report, "small N and few steps (smoke test)", argv=rest))
