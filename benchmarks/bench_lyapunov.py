#!/usr/bin/env python
"""Cost of ``rnnstruct.numerics.lyapunov.map_spectrum`` per QR interval against its GEMM + QR lower bound.

Run as ``python benchmarks/bench_lyapunov.py [--quick] [--json PATH]``.  One BLAS thread; see
benchmarks/README.md ("Lyapunov spectra") for what each number means.  The goal (cost <= 1.5x the
lower bound for the full spectrum) is checked and printed here, never asserted in tests.
"""

from __future__ import annotations

import os

# One BLAS thread, set before numpy is imported (threadpool_limits in run_cli enforces it as well).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import math  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
from harness import best_time, blas_summary, run_cli  # noqa: E402

from rnnstruct.numerics.lyapunov import map_spectrum  # noqa: E402

GAIN = 2.0  # W = GAIN * standard_normal / sqrt(N): chaotic
SEED = 20251124
REPEATS = 3  # spectrum timings: best of REPEATS
KERNEL_REPEATS = 10  # GEMM and QR timings: best of KERNEL_REPEATS
GOAL = 1.5  # full spectrum: cost per QR interval <= GOAL x (qr_every GEMMs + 1 QR)
QR_EVERY = (1, 10)


def cases(quick: bool) -> tuple[int, list[tuple[int, int, int, bool]]]:
    """N and the rows (k, qr_every, QR intervals of the long run, goal row?)."""
    if quick:
        N = 120
        return N, [(N, 1, 4, True), (N, 10, 3, True), (12, 1, 4, False), (12, 10, 3, False)]
    N = 1000
    return N, [(N, 1, 8, True), (N, 10, 3, True), (100, 1, 40, False), (100, 10, 8, False)]


def network(N: int):
    rng = np.random.default_rng([SEED, N])
    return GAIN * rng.standard_normal((N, N)) / math.sqrt(N), rng.uniform(-1.0, 1.0, N)


def kernels(W: np.ndarray, k: int) -> dict:
    """Best times of the two unavoidable kernels: W @ Q (N x N times N x k) and QR of an N x k block."""
    N = W.shape[0]
    rng = np.random.default_rng([SEED, N, k])
    Q = np.linalg.qr(rng.standard_normal((N, k)))[0]
    H = np.empty((N, k))
    gemm = best_time(lambda: np.matmul(W, Q, out=H), KERNEL_REPEATS)
    A = np.ascontiguousarray(H * rng.uniform(0.1, 1.0, N)[:, None])  # a tangent block as the step makes it
    qr = best_time(lambda: np.linalg.qr(A), KERNEL_REPEATS)
    return {"gemm_s": gemm, "qr_s": qr, "gemm_gflops": 2.0 * N * N * k / gemm / 1e9}


def spectrum_seconds(W, x0, k: int, qr_every: int, intervals: int) -> float:
    """Best time of map_spectrum over ``intervals`` QR intervals (no transients, one block)."""

    def run():
        map_spectrum(
            W,
            x0,
            k,
            n_transient=0,
            n_ons_transient=0,
            n_steps=qr_every * intervals,
            qr_every=qr_every,
            n_blocks=1,
        )

    return best_time(run, REPEATS)


def check_reference() -> float:
    """map_spectrum with qr_every = 10 and 1 agree on a small well-conditioned case (else stop)."""
    W, x0 = network(60)
    run = dict(n_transient=50, n_ons_transient=50, n_steps=500)
    a = map_spectrum(W, x0, 4, qr_every=1, **run).exponents
    b = map_spectrum(W, x0, 4, qr_every=10, **run).exponents
    err = float(np.max(np.abs(a - b)))
    if not err < 1e-9:
        raise AssertionError(f"qr_every = 1 and 10 disagree: max |d lambda| = {err:g}")
    return err


def measure(quick: bool) -> dict:
    N, rows_spec = cases(quick)
    setup = {
        "numpy": np.__version__,
        "python": platform.python_version(),
        "blas": blas_summary(),
        "quick": quick,
        "N": N,
        "gain": GAIN,
        "seed": SEED,
        "repeats": REPEATS,
        "kernel_repeats": KERNEL_REPEATS,
    }
    print(f"rnnstruct Lyapunov-spectrum benchmark{' (--quick)' if quick else ''}")
    print(f"python {setup['python']}, numpy {setup['numpy']}")
    for lib in setup["blas"]:
        print(
            f"BLAS {lib['internal_api']} {lib['version']} ({lib['library']}, {lib['architecture']}, "
            f"{lib['threading_layer']}): num_threads = {lib['num_threads']}"
        )
    print(f"map x <- tanh(W x), W = {GAIN:g} * standard_normal / sqrt(N), N = {N}; best of {REPEATS}")
    print(f"check: |lambda(qr_every=1) - lambda(qr_every=10)| = {check_reference():.1e}", flush=True)

    W, x0 = network(N)
    kern = {}
    rows = []
    for k, q, intervals, goal in rows_spec:
        if k not in kern:
            kern[k] = kernels(W, k)
            print(
                f"k = {k}: GEMM {kern[k]['gemm_s'] * 1e3:.2f} ms ({kern[k]['gemm_gflops']:.2f} GFLOP/s), "
                f"QR {kern[k]['qr_s'] * 1e3:.2f} ms",
                flush=True,
            )
        long = spectrum_seconds(W, x0, k, q, intervals)
        short = spectrum_seconds(W, x0, k, q, 1)
        per_interval = (long - short) / (intervals - 1)  # marginal: the one-off setup cancels
        bound = q * kern[k]["gemm_s"] + kern[k]["qr_s"]
        row = {
            "N": N,
            "k": k,
            "qr_every": q,
            "steps": q * intervals,
            "seconds_long": long,
            "seconds_one_interval": short,
            "s_per_interval": per_interval,
            "s_per_step": per_interval / q,
            "bound_s_per_interval": bound,
            "ratio": per_interval / bound,
            "goal_row": goal,
        }
        rows.append(row)
        print(f"k = {k:<5d} qr_every = {q:<3d} {per_interval:.4f} s per QR interval", flush=True)
    goals = [
        {
            "name": f"cost <= {GOAL:g}x lower bound",
            "N": N,
            "k": r["k"],
            "qr_every": r["qr_every"],
            "value": r["ratio"],
            "threshold": GOAL,
            "pass": bool(r["ratio"] <= GOAL),
        }
        for r in rows
        if r["goal_row"]
    ]
    return {"setup": setup, "kernels": {str(k): v for k, v in kern.items()}, "rows": rows, "goals": goals}


def report(res: dict) -> None:
    head = (
        f"{'N':>5} {'k':>5} {'qr_every':>8} {'steps':>6} {'s/step':>9} {'s/interval':>11} "
        f"{'bound':>9} {'ratio':>6}"
    )
    print()
    print(head)
    print("-" * len(head))
    for r in res["rows"]:
        print(
            f"{r['N']:>5} {r['k']:>5} {r['qr_every']:>8} {r['steps']:>6} {r['s_per_step']:>9.4f} "
            f"{r['s_per_interval']:>11.4f} {r['bound_s_per_interval']:>9.4f} {r['ratio']:>6.2f}"
            f"{'' if r['goal_row'] else '   (reference)'}"
        )
    print()
    print("s/interval: marginal time of one QR interval ((t(n intervals) - t(1 interval)) / (n - 1));")
    print(
        "bound: qr_every x GEMM (N x N @ N x k) + 1 QR (N x k), both timed in this run; ratio = s/interval / bound."
    )
    print()
    for g in res["goals"]:
        print(
            f"GOAL {g['name']} (N={g['N']}, k={g['k']}, qr_every={g['qr_every']}): {g['value']:.2f}x -> "
            f"{'PASS' if g['pass'] else 'FAIL'}"
        )
    if res["setup"]["quick"]:
        print("(--quick: tiny sizes, too short to judge the goal; run without --quick)")


def main(argv=None) -> int:
    return run_cli(__doc__, measure, report, "tiny sizes (a few seconds), for the smoke test", argv)


if __name__ == "__main__":
    sys.exit(main())
