#!/usr/bin/env python
"""Throughput of ``rnnstruct.metzner.dynamics.simulate`` (numpy) and of the compiled sweep kernel
``rnnstruct.metzner.kernel.simulate_stack`` against single-thread GEMM and a naive loop.

Run as ``python benchmarks/bench_simulator.py [--quick] [--json PATH]`` (``make bench``).
Everything is measured in one run with one BLAS thread; see benchmarks/README.md for what each
number means and how flops are counted.  The performance goals are checked and printed here,
never asserted in timed tests.
"""

from __future__ import annotations

import os

# One BLAS thread, set before numpy is imported (threadpool_limits below enforces it as well).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import math  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from functools import partial  # noqa: E402
from typing import Callable  # noqa: E402

import numpy as np  # noqa: E402
from harness import best_time, blas_summary, cpu_model, run_cli  # noqa: E402

from rnnstruct.metzner import kernel  # noqa: E402
from rnnstruct.metzner.dynamics import simulate  # noqa: E402

GAIN = 2.0  # W = GAIN * standard_normal / sqrt(N): chaotic regime
SEED = 20251123
REPEATS = 3  # simulator and naive-loop timings: best of REPEATS
GEMM_REPEATS = 5  # GEMM timings: best of GEMM_REPEATS
SQUARE_N = 1000  # the machine's GEMM rate: square N x N times N x N
SIM_CASES = ((100, 32), (100, 64), (1000, 32))  # (N, B) of the simulator rows
SPEEDUP_CASES = ((100, 32), (1000, 32))  # (N, B) compared with the naive loop
SWEEP_R, SWEEP_N = 16, 100  # Metzner sweep: R matrices of size N, one trajectory each
MAX_PERIOD = 100  # simulate's default; capped at T // 2 in quick mode
GOAL_RATIO = 0.5  # core iteration at N = 100, B = 32, ratio to the square GEMM rate
GOAL_SPEEDUP = 5.0  # simulate with tangent vs the naive loop, per trajectory-step
GOAL_SWEEP = 0.3  # compiled kernel, Metzner sweep row, ratio to the square GEMM rate
SWEEP_T = 2000  # steps of the compiled sweep row (the workflow's n_transient + n_measure)

#: mode -> (observe, with tangent v0, flops per step in units of 2 N^2 B R)
MODES = {
    "core": (False, False, 1),
    "tangent": (False, True, 2),
    "measures": (True, True, 2),
}


def steps_for(run: Callable[[int], object], pilot_steps: int, target_s: float, min_steps: int) -> int:
    """Number of steps (>= min_steps) for which ``run(steps)`` takes about ``target_s``.

    Two pilot runs: the second, at about a quarter of the target, dilutes the fixed cost per call
    (e.g. simulate's end-of-run period check) that inflates the per-step time of the first.
    """
    steps = pilot_steps
    for fraction in (0.25, 1.0):
        per_step = best_time(lambda: run(steps), 1) / steps
        steps = max(pilot_steps, int(fraction * target_s / per_step))
    return max(min_steps, steps)


def gemm_gflops(N: int, cols: int, target_s: float, R: int = 0) -> float:
    """GFLOP/s of ``W @ X`` into a preallocated output, W (N, N), X (N, cols); R > 0 stacks R."""
    rng = np.random.default_rng(SEED)
    lead = (R,) if R else ()
    W = rng.standard_normal(lead + (N, N))
    X = rng.standard_normal(lead + (N, cols))
    out = np.empty(lead + (N, cols))

    def run(k: int) -> None:
        for _ in range(k):
            np.matmul(W, X, out=out)

    reps = steps_for(run, 1, target_s, 1)
    seconds = best_time(lambda: run(reps), GEMM_REPEATS) / reps
    return 2.0 * N * N * cols * max(R, 1) / seconds / 1e9


def network(N: int, B: int, R: int = 0):
    """W = GAIN * standard_normal / sqrt(N), x0 ~ U(-1, 1), v0 standard normal; R > 0 stacks R."""
    rng = np.random.default_rng([SEED, N, B, R])
    lead = (R,) if R else ()
    W = GAIN * rng.standard_normal(lead + (N, N)) / math.sqrt(N)
    x0 = rng.uniform(-1.0, 1.0, lead + (N, B))
    v0 = rng.standard_normal(lead + (N, B))
    return W, x0, v0


def run_simulate(W, x0, v0, T: int, mode: str):
    """One call of ``simulate`` over T measured steps (no transient) in the given mode."""
    observe, tangent, _ = MODES[mode]
    return simulate(
        W,
        x0,
        v0=v0 if tangent else None,
        n_transient=0,
        n_measure=T,
        max_period=min(MAX_PERIOD, T // 2),
        observe=observe,
    )


def naive_loop(W: np.ndarray, x0: np.ndarray, v0: np.ndarray, steps: int) -> np.ndarray:
    """Reference: each trajectory on its own, matrix-vector products, numpy call per operation.

    Returns lambda_max per trajectory (columns of x0), the same quantity as simulate's.
    """
    lyap = np.empty(x0.shape[1])
    for b in range(x0.shape[1]):
        x = x0[:, b].copy()
        v = v0[:, b] / np.linalg.norm(v0[:, b])
        acc = 0.0
        for _ in range(steps):
            h = W @ x
            x = np.tanh(h)
            v = (1.0 - x * x) * (W @ v)
            n = np.linalg.norm(v)
            v /= n
            acc += math.log(n)
        lyap[b] = acc / steps
    return lyap


def naive_sweep(Ws: np.ndarray, X0: np.ndarray, V0: np.ndarray, steps: int) -> None:
    """The naive loop over a stack of matrices, one after the other."""
    for W, x0, v0 in zip(Ws, X0, V0):
        naive_loop(W, x0, v0, steps)


def check_reference() -> float:
    """Largest |lambda_naive - lambda_simulate| on a short run; the two must compute the same."""
    W, x0, v0 = network(100, 8)
    steps = 20
    ref = naive_loop(W, x0, v0, steps)
    sim = run_simulate(W, x0, v0, steps, "tangent").measures["lyap_max"]
    err = float(np.max(np.abs(ref - sim)))
    if not err < 1e-9:
        raise AssertionError(f"naive reference and simulate disagree: max |d lambda| = {err:g}")
    return err


@dataclass(frozen=True)
class Budget:
    """How long the timed calls run: normal mode, or tiny runs with ``--quick``."""

    sim_s: float  # seconds per timed simulate / naive-loop call
    gemm_s: float  # seconds per timed GEMM loop
    pilot: int  # steps of simulate's first pilot run
    min_steps: int  # least T of simulate
    naive_pilot: int  # steps of the naive loop's first pilot run

    @classmethod
    def of(cls, quick: bool) -> "Budget":
        if quick:
            return cls(sim_s=0.02, gemm_s=0.01, pilot=10, min_steps=20, naive_pilot=2)
        return cls(sim_s=1.0, gemm_s=0.1, pilot=200, min_steps=2 * MAX_PERIOD, naive_pilot=5)


def measure_gemm(budget: Budget) -> dict:
    """The square GEMM rate and the rates of the shapes the simulator multiplies."""
    square = gemm_gflops(SQUARE_N, SQUARE_N, budget.gemm_s)
    print(f"GEMM {SQUARE_N}x{SQUARE_N} @ {SQUARE_N}x{SQUARE_N}: {square:.2f} GFLOP/s", flush=True)
    shapes = []
    for N, B in SIM_CASES:
        rate = gemm_gflops(N, B, budget.gemm_s)
        shapes.append({"R": 1, "N": N, "B": B, "gflops": rate})
        print(f"GEMM {N}x{N} @ {N}x{B}: {rate:.2f} GFLOP/s", flush=True)
    # the sweep's shape: with few trajectories simulate multiplies W @ [X | V], (R, N, N) @ (R, N, 2)
    rate = gemm_gflops(SWEEP_N, 2, budget.gemm_s, R=SWEEP_R)
    shapes.append({"R": SWEEP_R, "N": SWEEP_N, "B": 2, "gflops": rate})
    print(f"GEMM {SWEEP_R} x ({SWEEP_N}x{SWEEP_N} @ {SWEEP_N}x2): {rate:.2f} GFLOP/s", flush=True)
    return {"square": {"N": SQUARE_N, "gflops": square}, "shapes": shapes}


def time_simulate(W, x0, v0, mode: str, budget: Budget, square: float, shape: float) -> dict:
    """One simulator row: calibrated T, best time, GFLOP/s and the ratios to the GEMM rates."""
    R, N, B = W.shape[0] if W.ndim == 3 else 1, x0.shape[-2], x0.shape[-1]
    run = partial(run_simulate, W, x0, v0, mode=mode)
    T = steps_for(run, budget.pilot, budget.sim_s, budget.min_steps)
    seconds = best_time(lambda: run(T), REPEATS)
    gflops = MODES[mode][2] * 2.0 * N * N * B * R * T / seconds / 1e9
    print(
        f"simulate {mode:8s} R={R:<3d} N={N:<5d} B={B:<3d} T={T:<6d} {seconds:6.3f} s  {gflops:6.2f} GFLOP/s",
        flush=True,
    )
    return {
        "mode": mode,
        "R": R,
        "N": N,
        "B": B,
        "T": T,
        "seconds": seconds,
        "gflops": gflops,
        "ratio_to_gemm": gflops / square,
        "ratio_to_shape_gemm": gflops / shape,
        "us_per_traj_step": seconds / (T * B * R) * 1e6,
    }


def time_naive(run: Callable[[int], object], n_traj: int, budget: Budget) -> tuple[int, float]:
    """Steps and best time per trajectory-step (microseconds) of a naive loop over n_traj trajectories."""
    steps = steps_for(run, budget.naive_pilot, budget.sim_s, 2)
    return steps, best_time(lambda: run(steps), REPEATS) / (steps * n_traj) * 1e6


def compare(row: dict, naive_steps: int, naive_us: float) -> None:
    """Add the naive loop's time and the speed-up to a simulator row."""
    row.update(
        naive_steps=naive_steps, naive_us_per_traj_step=naive_us, speedup=naive_us / row["us_per_traj_step"]
    )


def goals_of(rows: list[dict]) -> list[dict]:
    """The goal checks, each with the values printed beside it for context."""

    def row_of(mode, N, B):
        return next(r for r in rows if (r["mode"], r["N"], r["B"]) == (mode, N, B))

    goals = [
        {
            "name": f"ratio >= {GOAL_RATIO:g} at N = 100",
            "mode": "core",
            "N": 100,
            "B": 32,
            "threshold": GOAL_RATIO,
            "value": row_of("core", 100, 32)["ratio_to_gemm"],
            "context": {m: row_of(m, 100, 32)["ratio_to_gemm"] for m in ("tangent", "measures")},
        }
    ]
    for N, B in SPEEDUP_CASES:
        goals.append(
            {
                "name": f"speed-up >= {GOAL_SPEEDUP:g}x at N = {N}",
                "mode": "tangent",
                "N": N,
                "B": B,
                "threshold": GOAL_SPEEDUP,
                "value": row_of("tangent", N, B)["speedup"],
                "context": {"measures": row_of("measures", N, B)["speedup"]},
            }
        )
    for goal in goals:
        goal["pass"] = bool(goal["value"] >= goal["threshold"])
    return goals


def measure(quick: bool) -> dict:
    """All measurements; returns the JSON-serialisable results."""
    budget = Budget.of(quick)
    setup = {
        "numpy": np.__version__,
        "python": platform.python_version(),
        "cpu": cpu_model(),
        "blas": blas_summary(),
        "quick": quick,
        "repeats": REPEATS,
        "gain": GAIN,
        "seed": SEED,
        "max_period": MAX_PERIOD,
    }
    print_header(setup)
    print(
        f"naive reference check: max |lambda_naive - lambda_simulate| = {check_reference():.1e}", flush=True
    )

    gemm = measure_gemm(budget)
    square = gemm["square"]["gflops"]
    shape_rate = {(g["R"], g["N"], g["B"]): g["gflops"] for g in gemm["shapes"]}

    rows = []
    for N, B in SIM_CASES:
        W, x0, v0 = network(N, B)
        rows += [time_simulate(W, x0, v0, mode, budget, square, shape_rate[1, N, B]) for mode in MODES]

    for N, B in SPEEDUP_CASES:
        W, x0, v0 = network(N, B)
        steps, naive_us = time_naive(partial(naive_loop, W, x0, v0), B, budget)
        print(
            f"naive loop N={N:<5d} B={B:<3d} steps={steps:<5d} {naive_us:8.2f} us per trajectory-step",
            flush=True,
        )
        for row in rows:
            if (row["N"], row["B"]) == (N, B) and row["mode"] in ("tangent", "measures"):
                compare(row, steps, naive_us)

    Ws, X0, V0 = network(SWEEP_N, 1, R=SWEEP_R)
    sweep_numpy = time_simulate(Ws, X0, V0, "measures", budget, square, shape_rate[SWEEP_R, SWEEP_N, 2])
    sweep_numpy["mode"] = "sweep-np"
    sweep = time_kernel_sweep(Ws, X0, V0, budget, square, shape_rate[SWEEP_R, SWEEP_N, 2])
    steps, naive_us = time_naive(partial(naive_sweep, Ws, X0, V0), SWEEP_R, budget)
    print(
        f"naive sweep R={SWEEP_R} N={SWEEP_N} B=1 steps={steps:<5d} {naive_us:8.2f} us per trajectory-step",
        flush=True,
    )
    compare(sweep, steps, naive_us)
    compare(sweep_numpy, steps, naive_us)
    goals = goals_of(rows)
    goals.append(
        {
            "name": f"sweep ratio >= {GOAL_SWEEP:g} (compiled kernel)",
            "mode": "sweep",
            "N": SWEEP_N,
            "B": 1,
            "threshold": GOAL_SWEEP,
            "value": sweep["ratio_to_gemm"],
            "context": {"numpy kernel": sweep_numpy["ratio_to_gemm"]},
            "pass": bool(sweep["ratio_to_gemm"] >= GOAL_SWEEP),
        }
    )
    return {
        "setup": setup,
        "gemm": gemm,
        "simulator": rows,
        "metzner_sweep_numpy": sweep_numpy,
        "metzner_sweep": sweep,
        "goals": goals,
    }


def time_kernel_sweep(Ws, X0, V0, budget: Budget, square: float, shape: float) -> dict:
    """The compiled kernel on the sweep stack: all measures and the tangent, T fixed (one compilation,
    done by an untimed first call), best of REPEATS."""
    R, N, B = X0.shape
    T = SWEEP_T if not budget.sim_s < 1.0 else 2 * budget.min_steps

    def run():
        return kernel.simulate_stack(Ws, X0, v0=V0, n_transient=0, n_measure=T, max_period=min(MAX_PERIOD, T // 2))

    run()  # compile
    seconds = best_time(run, REPEATS)
    gflops = 2 * 2.0 * N * N * B * R * T / seconds / 1e9
    print(
        f"kernel   sweep    R={R:<3d} N={N:<5d} B={B:<3d} T={T:<6d} {seconds:6.3f} s  {gflops:6.2f} GFLOP/s",
        flush=True,
    )
    return {
        "mode": "sweep",
        "R": R,
        "N": N,
        "B": B,
        "T": T,
        "seconds": seconds,
        "gflops": gflops,
        "ratio_to_gemm": gflops / square,
        "ratio_to_shape_gemm": gflops / shape,
        "us_per_traj_step": seconds / (T * B * R) * 1e6,
    }


def print_header(setup: dict) -> None:
    """Versions, BLAS library and threads, and the setup of the runs."""
    print(f"rnnstruct simulator benchmark{' (--quick)' if setup['quick'] else ''}")
    print(f"python {setup['python']}, numpy {setup['numpy']}, CPU {setup['cpu']}")
    for lib in setup["blas"]:
        print(
            f"BLAS {lib['internal_api']} {lib['version']} ({lib['library']}, {lib['architecture']}, "
            f"{lib['threading_layer']}): num_threads = {lib['num_threads']}"
        )
    print(
        f"W = {setup['gain']:g} * standard_normal / sqrt(N), x0 ~ U(-1, 1), v0 standard normal; "
        f"best of {setup['repeats']} timings; max_period = min({setup['max_period']}, T // 2)"
    )
    print(flush=True)


def print_report(res: dict) -> None:
    """The final table and the goal lines."""
    square = res["gemm"]["square"]
    head = (
        f"{'mode':<9} {'R':>3} {'N':>5} {'B':>4} {'T':>6} {'GFLOP/s':>8} {'/GEMM':>6} {'/shape':>6} "
        f"{'us/traj-step':>12} {'naive us':>9} {'speed-up':>8}"
    )
    print()
    print(head)
    print("-" * len(head))

    def fmt(x, spec, suffix=""):
        return "-" if x is None else format(x, spec) + suffix

    print(
        f"{'gemm':<9} {1:>3} {square['N']:>5} {square['N']:>4} {'-':>6} {square['gflops']:>8.2f} "
        f"{1.0:>6.2f} {'-':>6} {'-':>12} {'-':>9} {'-':>8}"
    )
    for g in res["gemm"]["shapes"]:
        print(
            f"{'gemm':<9} {g['R']:>3} {g['N']:>5} {g['B']:>4} {'-':>6} {g['gflops']:>8.2f} "
            f"{g['gflops'] / square['gflops']:>6.2f} {1.0:>6.2f} {'-':>12} {'-':>9} {'-':>8}"
        )
    for r in [*res["simulator"], res["metzner_sweep_numpy"], res["metzner_sweep"]]:
        print(
            f"{r['mode']:<9} {r['R']:>3} {r['N']:>5} {r['B']:>4} {r['T']:>6} {r['gflops']:>8.2f} "
            f"{r['ratio_to_gemm']:>6.2f} {r['ratio_to_shape_gemm']:>6.2f} {r['us_per_traj_step']:>12.3f} "
            f"{fmt(r.get('naive_us_per_traj_step'), '.2f'):>9} {fmt(r.get('speedup'), '.1f', 'x'):>8}"
        )
    print()
    print(
        "/GEMM: ratio to the square GEMM rate; /shape: ratio to the GEMM of the same shape "
        "(N x N times N x B, R stacked)."
    )
    print("Flops per step: core 2 N^2 B; tangent and measures 2 * 2 N^2 B (times R for the sweep).")
    print()
    for g in res["goals"]:
        ctx = ", ".join(f"{m} {v:.2f}" for m, v in g["context"].items())
        unit = "x" if "speed-up" in g["name"] else ""
        print(
            f"GOAL {g['name']} ({g['mode']}, N={g['N']}, B={g['B']}): {g['value']:.2f}{unit} -> "
            f"{'PASS' if g['pass'] else 'FAIL'}   [not a goal: {ctx}{unit}]"
        )
    if res["setup"]["quick"]:
        print("(--quick: the timings are too short to judge the goals; run without --quick)")
    sweep, sweep_np = res["metzner_sweep"], res["metzner_sweep_numpy"]
    print(
        f"Metzner sweep (R={sweep['R']} matrices, N={sweep['N']}, B=1, measures) speed-up over the naive "
        f"loop: compiled kernel {sweep['speedup']:.1f}x, numpy kernel {sweep_np['speedup']:.1f}x"
    )


def main(argv=None) -> int:
    return run_cli(__doc__, measure, print_report, "tiny runs (< 20 s), for the smoke test", argv)


if __name__ == "__main__":
    sys.exit(main())
