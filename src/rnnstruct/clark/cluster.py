"""Memory requests of the cluster jobs whose footprint grows with the configured network size.

A SLURM job asks for its memory up front (``sbatch --mem``) and a request larger than any node is
rejected outright ("Requested node configuration is not available").  A fixed paper-size request
would therefore break every smaller run through the SLURM profile (the 1500-neuron connectome
stand-in of the laptop config asking for the 48 GB of the 18028-neuron one), and would let only one
job at a time onto a small node.  So the Clark rules whose memory is dominated by dense N x N
float64 arrays get ``mem_mb`` from the config (``rule ...: resources: mem_mb=CLUSTER_MEM_MB[rule]``)
and ``profiles/slurm/profile.yaml`` gives them ``runtime`` only.

Model: ``BASE_MB + arrays x N^2 x 8 B`` for the largest N any job of the rule uses, where ``arrays``
counts the N x N matrices held at peak (jackknife group sums, lagged covariances, SVD factors...)
including a margin of about 2-3x.  The counts are calibrated so that the paper config reproduces
the per-rule estimates written in the profile (e.g. 8 GB for an N = 5000 Fig. 4 realisation, 48 GB
for the 18028-neuron connectome); they are upper estimates, not measurements.  Pure: config in,
numbers out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

BASE_MB = 1000  # interpreter + numpy/scipy/xarray + the job's own snakemake process (~150 MB) + margin
BYTES = 8  # float64


def n2_mem_mb(n: int, arrays: float) -> int:
    """MB for a job holding ``arrays`` float64 n x n matrices at peak, plus BASE_MB."""
    return BASE_MB + math.ceil(arrays * n * n * BYTES / 1e6)


def _dmft_mem_mb(clark: Mapping) -> int:
    """Sampled DMFT (clark_overlaps_dmft): a few n x n four-point arrays and the path history
    (n_paths x n, two copies), n = L / dtau time steps; x3 margin.  Largest over the three uses
    (PRX Fig. 7 grid, the Eq. 38 reference point, PRL Fig. 6 at its own L)."""
    ov = clark["overlaps"]
    runs = [
        (ov["dmft"]["n_paths"], ov["dmft"]["L"], ov["dmft"]["dtau"]),
        (ov["reference"]["dmft"]["n_paths"], ov["reference"]["dmft"]["L"], ov["reference"]["dmft"]["dtau"]),
        (ov["dmft"]["n_paths"], ov["prl6"]["L"], ov["dmft"]["dtau"]),
    ]
    steps = [(n_paths, math.ceil(length / dtau)) for n_paths, length, dtau in runs]
    peak = max((4 * n * n + 2 * n_paths * n) * BYTES for n_paths, n in steps)
    return BASE_MB + math.ceil(3 * peak / 1e6)


def _connectome_n(clark: Mapping) -> int:
    con = clark["connectome"]
    return con["standin"]["N"] if con["path"] is None else con["expected_kept"]


# rule -> function clark config -> MB.  The array counts (second argument of n2_mem_mb) reproduce the
# profile's paper estimates: Fig. 4 realisation at N = 5000 ~4.5 GB (x1.8), gains 4 observables
# (N = 5000) / 2 (N = 6500) ~9.5 GB (x1.7), PRL realisation with 51 lagged covariances per half at
# N = 2500 ~6 GB (x1.5), traces ~3 GB at N = 4000 (x2), timescales ~8 GB at N = 10^4 (x1.4), PRL Fig. 6
# with 101 lags at N = 7500 ~4.5 GB (x1.6), connectome 6 matrices of 18028^2 (x3).
_MODELS: dict[str, Callable[[Mapping], int]] = {
    "clark_simulate_points": lambda c: n2_mem_mb(c["simulation"]["N"], 35),
    "clark_large_n_points": lambda c: n2_mem_mb(c["large_n"]["N"], 35),
    "clark_singular_values": lambda c: n2_mem_mb(c["svd"]["N"], 15),
    "clark_gains_simulate": lambda c: max(n2_mem_mb(c["gains"]["N"], 75), n2_mem_mb(c["step"]["N"], 44)),
    "clark_prl_simulate": lambda c: n2_mem_mb(c["prl"]["simulation"]["N"], 180),
    "clark_prl_finite_size": lambda c: n2_mem_mb(max(c["prl"]["finite_size"]["N"]), 180),
    "clark_prl_eigenmodes": lambda c: n2_mem_mb(c["prl"]["eigen"]["N"], 40),
    "clark_pcs_traces": lambda c: n2_mem_mb(max(c["pcs"]["fig3"]["N"], c["pcs"]["fig9"]["N"]), 40),
    "clark_pcs_timescales": lambda c: n2_mem_mb(
        max(c["pcs"]["prl_fig4"]["N"], *c["pcs"]["prl_fig4"]["N_scan"]), 14
    ),
    "clark_overlaps_dmft": _dmft_mem_mb,
    "clark_overlaps_sim": lambda c: max(
        n2_mem_mb(c["overlaps"]["fig7"]["sim"]["N"], 35), n2_mem_mb(c["overlaps"]["prl6"]["sim"]["N"], 16)
    ),
    "clark_connectome": lambda c: n2_mem_mb(_connectome_n(c), 18),
}

SIZED_RULES = tuple(_MODELS)


def clark_mem_mb(clark: Mapping) -> dict[str, int]:
    """``{rule: mem_mb}`` for the Clark rules whose memory grows with the configured N."""
    return {rule: model(clark) for rule, model in _MODELS.items()}


# ---- work of the simulation jobs (cost estimates of benchmarks/bench_clark.py) --------------------


@dataclass(frozen=True)
class Run:
    """The work of ``count`` identical simulated matrices of one rule: RK4 on N x n_traj states, the
    streamed block statistics and the stored-trace analysis after the run."""

    rule: str
    N: int
    n_traj: int
    steps: int  # RK4 steps per trajectory (transient and recording)
    samples: int  # sample times per trajectory
    observables: int = 0  # observables with streamed covariance (simulate_blocks); 0 for stored traces
    psi: bool = False  # streamed Psi(tau, 0) projections of every observable
    analysis_flops: float = 0.0  # float64 GEMM-like flops after the run (lagged covariances, Gram matrices, J)
    lapack_flops: float = 0.0  # eigen/Schur decompositions (slower per flop than a GEMM)
    count: int = 1
    device_analysis: bool = False  # the analysis runs on the simulation backend's device (JAX)

    @property
    def traj_steps(self) -> float:
        return float(self.count) * self.n_traj * self.steps

    @property
    def flops(self) -> float:
        """All the work of the run: RK4 (8 N^2 per trajectory-step: four stages, one (N x N)(N x B) product
        each), the streamed statistics and the analyses."""
        rk4 = self.traj_steps * 8.0 * self.N * self.N
        return rk4 + self.stream_flops + self.count * (self.analysis_flops + self.lapack_flops)

    @property
    def stream_flops(self) -> float:
        """Covariance updates (2 N^2 per sample column and observable) and Psi projections (as many)."""
        per_column = 2.0 * self.N * self.N * self.observables * (2 if self.psi else 1)
        return float(self.count) * self.samples * self.n_traj * per_column


def _steps(transient: float, samples: int, sample_every: float, dt: float) -> int:
    return int(round((transient + samples * sample_every) / dt))


def _rmm_flops(N: int, eff_rank: float) -> float:
    """J = L diag(D) R^T with M = max(1, E) N modes: 2 N^2 M flops."""
    return 2.0 * N * N * max(1.0, eff_rank) * N


def _blocks(rule, N, sim, count, observables, transient=None, psi=False, analysis=0.0, lapack=0.0, n_traj=None, dt=None, every=None):
    samples = int(sim["n_blocks"]) * int(sim["block_len"])
    dt = float(sim["dt"] if dt is None else dt)
    every = float(sim["sample_every"] if every is None else every)
    tr = float(sim["transient"] if transient is None else transient)
    return Run(rule, int(N), int(sim["n_traj"] if n_traj is None else n_traj), _steps(tr, samples, every, dt), samples,
               observables, psi, analysis, lapack, int(count))


def _record(rule, N, n_traj, n_samples, transient, dt, count, analysis=0.0, lapack=0.0, every=1.0, device=False):
    return Run(rule, int(N), int(n_traj), _steps(float(transient), int(n_samples), float(every), float(dt)), int(n_samples),
               0, False, float(analysis), float(lapack), int(count), bool(device))


def _pc_flops(N: int, T: int, n: int) -> tuple[float, float]:
    """pc_analysis: C(0), projections and Psi(tau, 0) (~6 N^2 T n) and the symmetric eigendecomposition (~9 N^3)."""
    return 6.0 * N * N * T * n, 9.0 * float(N) ** 3


def simulation_runs(config: Mapping) -> list[Run]:
    """Every simulated matrix of the Clark profile ``config`` (with defaults filled), grouped by rule."""
    from rnnstruct.clark import targets
    from rnnstruct.clark.stages.overlaps import sim_items, sim_lags

    c = config["clark"]
    sim, E = c["simulation"], targets.eff_ranks(config)
    runs = [
        _blocks("clark_simulate_points", sim["N"], sim, sim["reps"], 2, psi=True, analysis=_rmm_flops(sim["N"], E[ei]))
        for _, ei in targets.points(config)
    ]
    if targets.large_n_enabled(config):
        big = c["large_n"]
        runs += [
            _blocks("clark_large_n_points", big["N"], sim, big["reps"], 2, psi=True, analysis=_rmm_flops(big["N"], e))
            for _, e in targets.large_n_points(config)
        ]
    gp, st = c["gains"], c["step"]
    runs += [
        _blocks("clark_gains_simulate", gp["N"], sim, 1, 4, analysis=_rmm_flops(gp["N"], t["eff_rank"]))
        for t in targets.gains_tasks(config)
    ]
    n_step = len(targets.step_tasks(config))
    runs.append(_blocks("clark_gains_simulate", st["N"], sim, n_step, 2, analysis=_rmm_flops(st["N"], 1.0),
                        lapack=2 * 1.5 * float(st["N"]) ** 3))
    prl = c["prl"]
    ps, ep, fs = prl["simulation"], prl["psi"], prl["finite_size"]
    n_g = len(targets.prl_g(config))
    runs.append(_blocks("clark_prl_simulate", ps["N"], ps, n_g * ps["reps"], 2))
    L, T, n, N = int(ep["max_lag"]), int(ep["n_samples"]), int(ep["n_traj"]), int(ps["N"])
    psi_flops = 4.0 * (L + 1) * N * N * T * n + 6.0 * (2 * L + 1) ** 2 * N * N
    runs.append(_record("clark_prl_simulate", N, n, T, ps["transient"], ps["dt"], len(ep["g"]) * ps["reps"], analysis=psi_flops))
    runs += [_blocks("clark_prl_finite_size", n_fs, ps, fs["reps"], 2) for n_fs in targets.prl_fs_sizes(config)]
    eg = prl["eigen"]
    runs.append(_record("clark_prl_eigenmodes", eg["N"], eg["n_traj"], eg["n_samples"], ps["transient"], ps["dt"], 1,
                        analysis=2.0 * eg["N"] ** 2 * eg["n_samples"] * eg["n_traj"], lapack=25.0 * float(eg["N"]) ** 3))
    pp = c["pcs"]
    for panel in targets.PCS_PANELS:
        f = pp[panel]
        a, lp = _pc_flops(f["N"], f["n_samples"], f["n_traj"])
        runs.append(_record("clark_pcs_traces", f["N"], f["n_traj"], f["n_samples"], pp["transient"], pp["dt"], 1, a, lp))
    f = pp["prl_fig4"]
    for _, N in targets.pcs_points(config):
        a, lp = _pc_flops(N, f["n_samples"], f["n_traj"])
        runs.append(_record("clark_pcs_timescales", N, f["n_traj"], f["n_samples"], pp["transient"], pp["dt"], f["reps"], a, lp))
    ov, p = c["overlaps"], targets.params(config, "overlaps")
    s7, s6 = ov["fig7"]["sim"], ov["prl6"]["sim"]
    for pt, _ in sim_items(p, "fig7"):
        runs.append(_blocks("clark_overlaps_sim", s7["N"], {**sim, **s7}, 1, 2, analysis=_rmm_flops(s7["N"], pt["eff_rank"])))
    T6, n6, N6 = int(s6["n_samples"]), int(s6["n_traj"]), int(s6["N"])
    gram = float(N6) * (n6 * T6) ** 2 + len(sim_lags(p)) * T6 * T6 * (n6 // 2) * (n6 - n6 // 2)
    runs.append(_record("clark_overlaps_sim", N6, n6, T6, s6["transient"], sim["dt"], len(sim_items(p, "prl6")), gram,
                        every=sim["sample_every"], device=c["backend"] == "jax"))
    return runs
