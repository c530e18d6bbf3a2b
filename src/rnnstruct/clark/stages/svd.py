"""Clark et al. 2025, PRX Fig. 8: singular values of the random-mode model with D_a = 1 (App. C).

``singular_values(params)``: for every alpha in clark.svd.alpha one matrix J = L R^T (N x N,
M = round(alpha N) modes, L, R i.i.d. N(0, 1/N)), its M non-zero singular values, the App. C density
p(S) on a grid, the support edges S_-+ and the singular-value participation ratio against PRX 13.
Seed key: ("clark", "rmm_constant", N, alpha, rep, stream).
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import xarray as xr

from rnnstruct.core import seeds
from rnnstruct.clark import connectivity
from rnnstruct.clark.stages.dimension import REFERENCE
from rnnstruct.numerics import rmt

META = {
    "title": "Singular values of the random-mode model with constant mode strengths (PRX Fig. 8)",
    "summary": "non-zero singular values of J = L R^T against the App. C density and its support edges",
    "stage": "clark_singular_values",
    "references": REFERENCE,
}


def singular_values(params: Mapping) -> xr.Dataset:
    sv = params["clark"]["svd"]
    N = int(sv["N"])
    alphas = np.asarray(sv["alpha"], dtype=float)
    M_max = max(int(round(a * N)) for a in alphas)
    S_all = np.full((alphas.size, M_max), np.nan)
    grid = np.linspace(0.0, 2.5, 1001)
    dens = np.empty((alphas.size, grid.size))
    edges = np.empty((alphas.size, 2))
    pr_s = np.empty(alphas.size)
    pr_s_theory = np.empty(alphas.size)
    for i, a in enumerate(alphas):
        spec = connectivity.constant_spectrum(N, a)
        key = ("clark", "rmm_constant", N, float(a), 0)
        J = connectivity.rmm_matrix(spec, seeds.rng(params["seed"], key + ("left",)), seeds.rng(params["seed"], key + ("right",)))
        S = np.linalg.svd(J, compute_uv=False)[: spec.M]
        S_all[i, : spec.M] = S
        dens[i] = rmt.rmm_singular_value_density(grid, spec.alpha)
        edges[i] = rmt.rmm_singular_value_edges(spec.alpha)
        pr_s[i] = np.sum(S**2) ** 2 / (N * np.sum(S**4))
        pr_s_theory[i] = rmt.rmm_pr_singular(spec.alpha, 1.0)
    return xr.Dataset(
        {
            "singular_value": (("alpha", "mode"), S_all),
            "sv_density": (("alpha", "s_grid"), dens),
            "sv_edge_lower": ("alpha", edges[:, 0]),
            "sv_edge_upper": ("alpha", edges[:, 1]),
            "pr_s": ("alpha", pr_s),
            "pr_s_theory": ("alpha", pr_s_theory),
        },
        coords={"alpha": alphas, "mode": np.arange(M_max), "s_grid": grid},
    )
