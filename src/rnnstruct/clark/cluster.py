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
