"""Clark simulator benchmark: RK4 step rate of both backends against the same-run float32 GEMM rate,
the trajectory-count sweep behind the configured ``n_traj``, and the paper profile's cost from these rates.

    python benchmarks/bench_clark.py                 # full run (a few minutes, one thread)
    python benchmarks/bench_clark.py --quick         # tiny runs, for the smoke test
    python benchmarks/bench_clark.py --json benchmarks/out/bench_clark.json

See benchmarks/README.md (section bench_clark.py) for what every number means.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from harness import best_time, blas_summary, cpu_model, run_cli  # noqa: E402
from snakemake.utils import update_config  # noqa: E402
from rnnstruct.clark import cluster, connectivity, simulate  # noqa: E402
from rnnstruct.clark import simulate_jax as sj  # noqa: E402
from rnnstruct.core.config import fill_defaults, load_schema  # noqa: E402
from rnnstruct.numerics import rk4_jax as rj  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = 5
GAIN = 3.0
GOAL_RATIO = 0.6  # RK4 flop rate / float32 GEMM rate at N >= GOAL_N
GOAL_N = 2000
GOAL_CORE_HOURS = 5000.0
GOAL_GPU_HOURS = 24.0
# H100 assumptions of the GPU estimate (not measured here: no GPU): float32 GEMM without tensor cores
# (Precision.HIGHEST), ~70 % of the SXM peak of 67 TFLOP/s; HBM3 bandwidth 3.35 TB/s; ~10 kernel
# launches per RK4 step inside one compiled loop at ~5 us each.
# The host work of a GPU job (drawing J, the stored-trace analyses) runs on the job's CPU cores
# (profiles/slurm-gpu: 8 per GPU) at 0.8 x 8 x the single-core float64 rate measured here.
GPU = {"name": "H100 SXM (assumed)", "gemm_tflops": 47.0, "bandwidth_tbs": 3.35, "step_overhead_us": 50.0, "host_cores": 8}


@dataclass(frozen=True)
class Budget:
    Ns: tuple
    Bs: tuple
    seconds: float  # per timed call
    repeats: int
    sim_N: int  # N of the full-simulator overhead row
    sim_B: int
    sim_block_len: int  # samples per block of that row (the paper profile's blocks are 50 samples)

    @classmethod
    def of(cls, quick: bool) -> "Budget":
        if quick:
            return cls(Ns=(100, 200), Bs=(4, 16), seconds=0.01, repeats=2, sim_N=100, sim_B=16, sim_block_len=4)
        return cls(Ns=(1000, 2000, 5000), Bs=(4, 8, 16, 32, 64, 128, 256), seconds=0.6, repeats=3, sim_N=1000, sim_B=64,
                   sim_block_len=25)


def _timed(fn, budget: Budget) -> tuple[int, float]:
    """(repetitions n, best seconds of fn(n)) with n chosen so that one call takes ~budget.seconds."""
    t = best_time(lambda: fn(1), 1)
    n = max(1, int(budget.seconds / max(t, 1e-9)))
    return n, best_time(lambda: fn(n), budget.repeats)


def gemm_rates(N: int, budget: Budget) -> dict:
    """Square N x N @ N x N GEMM rates (GFLOP/s): numpy float32 and float64, JAX float32."""
    rng = np.random.default_rng(SEED)
    out = {}
    for name, dtype in (("numpy_f32", np.float32), ("numpy_f64", np.float64)):
        A, B = (rng.standard_normal((N, N)).astype(dtype) for _ in range(2))
        C = np.empty_like(A)
        n, t = _timed(lambda k: [np.matmul(A, B, out=C) for _ in range(k)], budget)
        out[name] = 2.0 * N**3 * n / t / 1e9
    A, B = (rj.jnp.asarray(rng.standard_normal((N, N)).astype(np.float32)) for _ in range(2))
    mm = rj.jax.jit(rj.matmul)
    mm(A, B).block_until_ready()
    n, t = _timed(lambda k: [mm(A, B).block_until_ready() for _ in range(k)], budget)
    out["jax_f32"] = 2.0 * N**3 * n / t / 1e9
    return out


def network(N: int, B: int):
    rng = np.random.default_rng(SEED)
    J = connectivity.iid_matrix(N, GAIN, rng, np.float32)
    return J, (rng.standard_normal((N, B)) * GAIN).astype(np.float32)


def rk4_seconds(backend: str, N: int, B: int, budget: Budget) -> float:
    """Seconds per RK4 step of an N x B batch (float32, erf): the library's stepper of each backend."""
    J, X0 = network(N, B)
    if backend == "numpy":
        stepper = simulate.Stepper(J, "erf", 0.05, X0.shape, np.float32)
        X = X0.copy()
        n, t = _timed(lambda k: stepper.advance(X, k), budget)
        return t / n
    Jd, Xd = rj.jnp.asarray(J), rj.jnp.asarray(X0)
    sj._advance(Jd, Xd, 1, phi="erf", dt=0.05).block_until_ready()
    n, t = _timed(lambda k: sj._advance(Jd, Xd, k, phi="erf", dt=0.05).block_until_ready(), budget)
    return t / n


def simulator_overhead(backend: str, N: int, B: int, step_s: float, block_len: int) -> dict:
    """Full simulate_blocks (x and phi covariance, two-point and Psi(tau, 0) lags up to 20; 4 blocks of
    ``block_len`` samples in 2 groups) against its RK4 alone.  The difference, per streamed flop
    (:attr:`rnnstruct.clark.cluster.Run.stream_flops` of this layout), is the rate at which the cost model
    charges every run's streamed statistics: the fixed cost per block is spread over as many samples as in the
    profiles' blocks (25-50)."""
    J, X0 = network(N, B)
    n_blocks = 4
    kw = dict(dt=0.05, t_transient=0.0, sample_every=1.0, block_len=block_len, n_blocks=n_blocks, n_groups=2, psi_max_lag=20,
              backend=backend)
    simulate.simulate_blocks(J, X0, **kw)  # compile (jax)
    t = best_time(lambda: simulate.simulate_blocks(J, X0, **kw), 2)
    samples = block_len * n_blocks
    rk4 = 20 * samples * step_s
    stream = cluster.Run("overhead", N, B, 20 * samples, samples, observables=2, psi=True).stream_flops
    return {"seconds": t, "rk4_seconds": rk4, "overhead": t / rk4 - 1.0, "stream_flops": stream,
            "stream_gflops": stream / max(t - rk4, 1e-3 * rk4) / 1e9}


# ---- cost model -------------------------------------------------------------------------------------


def traj_step_seconds(table: dict, N: int, B: int) -> float:
    """Seconds per trajectory-step at (N, B) from the measured table {(N, B): s per step}: the nearest
    measured B (log scale) at the nearest measured N, scaled by (N / N_measured)^2."""
    Ns = sorted({n for n, _ in table})
    Nm = min(Ns, key=lambda n: abs(np.log(n / N)))
    Bs = sorted(b for n, b in table if n == Nm)
    Bm = min(Bs, key=lambda b: abs(np.log(b / B)))
    return table[(Nm, Bm)] / Bm * (N / Nm) ** 2


def gpu_traj_step_seconds(N: int, B: int, efficiency: float) -> float:
    """GPU estimate per trajectory-step: four GEMMs per step, each the slower of its flops at
    ``efficiency`` x the assumed GEMM rate and one read of J at the assumed bandwidth, plus launches."""
    flops = 2.0 * N * N * B / (GPU["gemm_tflops"] * 1e12 * efficiency)
    memory = 4.0 * N * N / (GPU["bandwidth_tbs"] * 1e12)
    return (4.0 * max(flops, memory) + GPU["step_overhead_us"] * 1e-6) / B


def profile_cost(config: dict, table: dict, f64_gflops: float, stream_gflops: float) -> dict:
    """Core-hours per rule of the profile ``config`` with the measured per-trajectory-step times, the streamed
    statistics at the rate measured by :func:`simulator_overhead` and the analyses at the float64 GEMM rate."""
    out: dict = {}
    for run in cluster.simulation_runs(config):
        s = run.traj_steps * traj_step_seconds(table, run.N, run.n_traj)
        s += run.stream_flops / (stream_gflops * 1e9) + run.count * run.analysis_flops / (f64_gflops * 1e9)
        s += run.count * run.lapack_flops / (f64_gflops * 1e9 / 3.0)
        out[run.rule] = out.get(run.rule, 0.0) + s / 3600.0
    return out


def profile_flops(config: dict) -> dict:
    """Flops per rule of the profile ``config`` (:attr:`rnnstruct.clark.cluster.Run.flops`).  Divided by the best
    float32 GEMM rate of a run it is the cost the profile would have if every flop ran at that rate: the RK4 step
    reaches 0.8-1.0 of it at N >= 2000, so this is the least a CPU simulator of these sample counts can cost on
    that machine."""
    out: dict = {}
    for run in cluster.simulation_runs(config):
        out[run.rule] = out.get(run.rule, 0.0) + run.flops
    return out


def profile_gpu_hours(config: dict, efficiency: float, host_gflops: float) -> dict:
    """GPU-hours per rule (estimate): RK4 and the streamed statistics on the GPU at the assumed rates; drawing
    J and the stored-trace analyses on the job's host cores while the GPU waits."""
    out: dict = {}
    host = host_gflops * 1e9 * GPU["host_cores"] * 0.8
    for run in cluster.simulation_runs(config):
        s = run.traj_steps * gpu_traj_step_seconds(run.N, run.n_traj, efficiency)
        s += run.stream_flops / (GPU["gemm_tflops"] * 1e12 * efficiency)
        analysis = run.count * (run.analysis_flops + 3.0 * run.lapack_flops)
        s += analysis / (GPU["gemm_tflops"] * 1e12 * efficiency / 2.0 if run.device_analysis else host)  # float64 on the GPU
        out[run.rule] = out.get(run.rule, 0.0) + s / 3600.0
    return out


def load_profile(*files: str) -> dict:
    """The configuration the workflow runs with ``--configfile files``: each file merged in order over
    config/config.yaml (Snakemake's merge), every default filled in from the schema."""
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    for name in files:
        update_config(cfg, yaml.safe_load((ROOT / name).read_text()))
    return fill_defaults(cfg, load_schema(ROOT / "workflow" / "schemas" / "config.schema.yaml"))


def batch_sweep(table: dict, N: int, transient: float, samples: int) -> list[dict]:
    """Cost of one realisation with ``samples`` sample columns (n_traj x sample times) at each measured B,
    with the same transient per trajectory: (B transient + samples) time units of trajectory."""
    rows = []
    for (n, B), step_s in sorted(table.items()):
        if n != N:
            continue
        units = B * transient + samples
        rows.append({"B": B, "us_per_traj_step": step_s / B * 1e6, "realisation_s": units * 20 * step_s / B})
    return rows


def measure(quick: bool) -> dict:
    budget = Budget.of(quick)
    setup = {
        "numpy": np.__version__,
        "jax": rj.jax.__version__,
        "jax_devices": [str(d) for d in rj.jax.devices()],
        "python": platform.python_version(),
        "cpu": cpu_model(),
        "blas": blas_summary(),
        "xla_flags": os.environ.get("XLA_FLAGS", ""),
        "quick": quick,
        "date": time.strftime("%Y-%m-%d"),
    }
    print(f"rnnstruct Clark simulator benchmark{' (--quick)' if quick else ''}: {setup['cpu']}, numpy {setup['numpy']}, "
          f"jax {setup['jax']} on {setup['jax_devices']}", flush=True)
    gemm = {N: gemm_rates(N, budget) for N in budget.Ns}
    for N, r in gemm.items():
        print(f"GEMM {N}^3: numpy float32 {r['numpy_f32']:.1f}, float64 {r['numpy_f64']:.1f}, jax float32 {r['jax_f32']:.1f} GFLOP/s", flush=True)
    rows, tables = [], {"numpy": {}, "jax": {}}
    for backend in ("numpy", "jax"):
        for N in budget.Ns:
            for B in budget.Bs:
                s = rk4_seconds(backend, N, B, budget)
                tables[backend][(N, B)] = s
                gf = 8.0 * N * N * B / s / 1e9
                row = {"backend": backend, "N": N, "B": B, "s_per_step": s, "us_per_traj_step": s / B * 1e6, "gflops": gf,
                       "ratio": gf / gemm[N]["numpy_f32"], "ratio_own_gemm": gf / gemm[N][f"{'jax' if backend == 'jax' else 'numpy'}_f32"]}
                rows.append(row)
                print(f"rk4 {backend:5s} N={N:<5d} B={B:<4d} {row['us_per_traj_step']:9.2f} us/traj-step {gf:7.1f} GFLOP/s "
                      f"ratio {row['ratio']:.2f}", flush=True)
    over = {b: simulator_overhead(b, budget.sim_N, budget.sim_B, tables[b][(budget.sim_N, budget.sim_B)], budget.sim_block_len)
            for b in tables}
    paper = load_profile("config/paper.yaml")
    laptop = load_profile()
    f64 = max(r["numpy_f64"] for r in gemm.values())
    cost = {b: profile_cost(paper, tables[b], f64, over[b]["stream_gflops"]) for b in tables}
    best = max(tables, key=lambda b: -sum(cost[b].values()))
    eff = float(np.median([r["ratio_own_gemm"] for r in rows if r["backend"] == "jax" and r["B"] >= 64 and r["N"] >= 1000] or [0.8]))
    gpu = profile_gpu_hours(load_profile("config/paper.yaml", "config/overlays/clark_gpu.yaml"), min(eff, 1.0), f64)
    peak = max(max(r["numpy_f32"], r["jax_f32"]) for r in gemm.values())
    flops = profile_flops(paper)
    per_rule = {k: v / (peak * 1e9) / 3600.0 for k, v in flops.items()}
    at_gemm = {"flops": sum(flops.values()), "gemm_gflops": peak, "core_hours": sum(per_rule.values()),
               "per_rule_core_hours": per_rule}
    sweeps = {}
    for N in budget.Ns:
        for b in tables:
            sweeps[f"{b}_N{N}"] = batch_sweep(tables[b], N, float(paper["clark"]["simulation"]["transient"]),
                                              int(paper["clark"]["simulation"]["n_blocks"]) * int(paper["clark"]["simulation"]["block_len"])
                                              * int(paper["clark"]["simulation"]["n_traj"]))
    goals = [
        {"name": f"RK4 / float32 GEMM >= {GOAL_RATIO} at N = {N}, {b}", "value": max(r["ratio"] for r in rows if r["backend"] == b and r["N"] == N),
         "threshold": GOAL_RATIO}
        for b in tables for N in budget.Ns if N >= GOAL_N
    ]
    goals.append({"name": f"paper profile <= {GOAL_CORE_HOURS:g} CPU core-hours ({best} backend)", "value": sum(cost[best].values()),
                  "threshold": GOAL_CORE_HOURS, "lower": True})
    goals.append({"name": f"paper profile <= {GOAL_GPU_HOURS:g} GPU-hours (estimate)", "value": sum(gpu.values()), "threshold": GOAL_GPU_HOURS,
                  "lower": True})
    for g in goals:
        g["pass"] = bool(g["value"] <= g["threshold"]) if g.get("lower") else bool(g["value"] >= g["threshold"])
    return {"setup": setup, "gemm": {str(k): v for k, v in gemm.items()}, "rk4": rows, "overhead": over, "sweeps": sweeps,
            "sweep_transient": float(paper["clark"]["simulation"]["transient"]),
            "paper_core_hours": cost, "paper_at_gemm_rate": at_gemm, "paper_gpu_hours": gpu, "gpu_assumptions": {**GPU, "efficiency": min(eff, 1.0)},
            "laptop_core_hours": {b: profile_cost(laptop, tables[b], f64, over[b]["stream_gflops"]) for b in tables},
            "goals": goals}


def report(res: dict) -> None:
    print()
    print(f"{'backend':<7} {'N':>5} {'B':>4} {'us/traj-step':>12} {'GFLOP/s':>8} {'/GEMM32':>8} {'/own GEMM':>9}")
    for r in res["rk4"]:
        print(f"{r['backend']:<7} {r['N']:>5} {r['B']:>4} {r['us_per_traj_step']:>12.2f} {r['gflops']:>8.1f} {r['ratio']:>8.2f} {r['ratio_own_gemm']:>9.2f}")
    print("/GEMM32: RK4 flops (8 N^2 B per step) per second over numpy's float32 N^3 GEMM rate of the same run; "
          "/own GEMM: over the backend's own float32 GEMM rate.")
    for b, o in res["overhead"].items():
        print(f"full simulator ({b}): {o['seconds']:.3f} s vs RK4 alone {o['rk4_seconds']:.3f} s: overhead {100 * o['overhead']:+.1f} %, "
              f"streamed statistics at {o['stream_gflops']:.1f} GFLOP/s")
    print()
    print(f"Trajectory-count sweep: one paper-profile realisation (clark.simulation: {res['sweep_transient']:g} time units of "
          "transient per trajectory, the same number of sample columns), hours on one core:")
    for key, rows in res["sweeps"].items():
        line = "  ".join(f"B={r['B']}: {r['realisation_s'] / 3600:.2f}" for r in rows)
        print(f"  {key}: {line}")
    print()
    print("Paper profile (config/paper.yaml), simulation rules, core-hours from the measured rates:")
    rules = sorted(set().union(*[set(v) for v in res["paper_core_hours"].values()]))
    print(f"  {'rule':<26} " + " ".join(f"{b:>9}" for b in res["paper_core_hours"]) + f" {'GPU-h (est.)':>13}")
    for rule in rules:
        print(f"  {rule:<26} " + " ".join(f"{res['paper_core_hours'][b].get(rule, 0):9.1f}" for b in res["paper_core_hours"])
              + f" {res['paper_gpu_hours'].get(rule, 0):13.2f}")
    print(f"  {'total':<26} " + " ".join(f"{sum(v.values()):9.1f}" for v in res["paper_core_hours"].values())
          + f" {sum(res['paper_gpu_hours'].values()):13.2f}")
    fl = res["paper_at_gemm_rate"]
    print(f"  at the GEMM rate: {fl['flops']:.3g} flops at the best float32 GEMM rate of this run ({fl['gemm_gflops']:.1f} GFLOP/s, "
          f"one core) = {fl['core_hours']:.0f} core-hours: the cost if every flop of the profile ran at that rate "
          f"(largest: " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(fl["per_rule_core_hours"].items(), key=lambda kv: -kv[1])[:3]) + ")")
    a = res["gpu_assumptions"]
    print(f"  GPU estimate: config/paper.yaml + config/overlays/clark_gpu.yaml on one {a['name']}: float32 GEMM "
          f"{a['gemm_tflops']:g} TFLOP/s x {a['efficiency']:.2f} (the JAX CPU RK4/GEMM ratio measured here), J reads at "
          f"{a['bandwidth_tbs']:g} TB/s, {a['step_overhead_us']:g} us launches per step; J and analyses on "
          f"{a['host_cores']} host cores.")
    print("  Laptop profile (config/config.yaml), same model: " + ", ".join(
        f"{b} {sum(v.values()) * 3600:.0f} core-s" for b, v in res["laptop_core_hours"].items()))
    print()
    for g in res["goals"]:
        print(f"GOAL {g['name']}: {g['value']:.2f} -> {'PASS' if g['pass'] else 'FAIL'}")
    if res["setup"]["quick"]:
        print("(--quick: the timings are too short to judge the goals)")


def main(argv=None) -> int:
    return run_cli(__doc__, measure, report, "tiny runs (seconds), for the smoke test", argv)


if __name__ == "__main__":
    sys.exit(main())
