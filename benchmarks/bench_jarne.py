#!/usr/bin/env python
"""Training-step throughput of ``rnnstruct.jarne.train`` as a ratio to the GEMM FLOP/s of this machine.

Run as ``python benchmarks/bench_jarne.py [--quick] [--json PATH]``.  One thread (XLA single-threaded
by rnnstruct.jarne.train, one BLAS thread).  A training step on a batch of B trials of T steps does,
per time step, the recurrent product (B x N)(N x N) forward and two products of the same size backward
(gradients with respect to h and W_rec): ~6 B T N^2 flops, the count used here (input and readout terms
are O(B T N) and ignored).  The reference is a float32 GEMM of the same (B x N)(N x N) shape measured in
the same run (numpy/OpenBLAS, and the square N x N GEMM); the ratio is step FLOP/s / GEMM FLOP/s.
The measured step time also gives the core-hours of the paper configuration (printed).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

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


def step_seconds(N: int, B: int, task: str, steps: int) -> float:
    """Mean wall time of a jit-compiled, projected training step (compilation excluded)."""
    rng = np.random.default_rng([SEED, N])
    tr = tasks.sample(task, B * (steps + 1), rng)
    p = model.initial_params(N, "orthogonal", rng)
    sign = model.sign_vector(N, 0.5)
    warm = np.arange(B)[None, :]
    kw = dict(sign=sign, constrained=True, dale_axis="pre", opt=OPT, batch_size=B, progress=False)
    train.train(p, tr.x[:B], tr.y[:B], warm, **kw)  # compiles (cached for the timed run)
    order = np.arange(B * steps)[None, :]
    t0 = time.perf_counter()
    train.train(p, tr.x[B:], tr.y[B:], order, **kw)
    return (time.perf_counter() - t0) / steps


def gemm_gflops(m: int, n: int, k: int) -> float:
    rng = np.random.default_rng([SEED, m, n, k])
    A = rng.standard_normal((m, k)).astype(np.float32)
    Bm = rng.standard_normal((k, n)).astype(np.float32)
    C = np.empty((m, n), dtype=np.float32)
    reps = max(3, int(2e8 / (2 * m * n * k)))
    t = best_time(lambda: [np.matmul(A, Bm, out=C) for _ in range(reps)], 5) / reps
    return 2.0 * m * n * k / t / 1e9


def paper_core_hours(step_s: dict[int, float]) -> dict:
    """Core-hours of config/paper.yaml's Jarne part from the measured step times (N^2 fit through them)."""
    cfg = yaml.safe_load((REPO / "config/paper.yaml").read_text())["jarne"]
    Ns = np.array(sorted(step_s), dtype=float)
    coef = np.polyfit(Ns, [step_s[int(n)] for n in Ns], 2)
    steps = cfg["training"]["epochs"] * -(-cfg["data"]["n_train"] // cfg["training"]["batch_size"])
    total = 0.0
    for c in design.conditions(cfg).values():
        T_ratio = tasks.trial_length(c["task"]) / tasks.BOOL_T
        total += cfg["nets"] * steps * max(float(np.polyval(coef, c["N"])), 0.0) * T_ratio
    return {"steps_per_network": steps, "conditions": len(design.conditions(cfg)), "core_hours": total / 3600}


def measure(quick: bool) -> dict:
    B, T = (16, tasks.BOOL_T) if quick else (64, tasks.BOOL_T)
    Ns = (32, 64) if quick else (100, 200, 500)
    steps = 3 if quick else 20
    rows = []
    for N in Ns:
        s = step_seconds(N, B, "and", steps if N < 500 else max(steps // 4, 2))
        flops = 6.0 * B * T * N * N
        g_shape = gemm_gflops(B, N, N)
        g_square = gemm_gflops(N, N, N)
        rows.append({
            "N": N, "B": B, "T": T, "step_s": s, "step_gflops": flops / s / 1e9,
            "gemm_shape_gflops": g_shape, "gemm_square_gflops": g_square,
            "ratio_shape": flops / s / 1e9 / g_shape, "ratio_square": flops / s / 1e9 / g_square,
        })
    out = {"python": platform.python_version(), "machine": platform.machine(), "blas": blas_summary(),
           "rows": rows}
    if not quick:
        out["paper"] = paper_core_hours({r["N"]: r["step_s"] for r in rows})
    return out


def report(res: dict) -> None:
    print("Jarne training step (B trials x T steps, projected Adam step) vs float32 GEMM, one thread")
    print(f"{'N':>5} {'B':>4} {'step ms':>9} {'step GF/s':>10} {'GEMM(BxN.NxN)':>14} {'GEMM(NxN)':>10} "
          f"{'ratio':>7} {'ratio sq':>9}")
    for r in res["rows"]:
        print(f"{r['N']:>5} {r['B']:>4} {1e3 * r['step_s']:>9.2f} {r['step_gflops']:>10.2f} "
              f"{r['gemm_shape_gflops']:>14.2f} {r['gemm_square_gflops']:>10.2f} {r['ratio_shape']:>7.2f} "
              f"{r['ratio_square']:>9.2f}")
    if "paper" in res:
        p = res["paper"]
        print(f"paper config: {p['conditions']} conditions x nets x {p['steps_per_network']} steps "
              f"= {p['core_hours']:.1f} core-hours (from the measured step times)")


if __name__ == "__main__":
    sys.exit(run_cli(__doc__, measure, report, "small N and few steps (smoke test)"))
