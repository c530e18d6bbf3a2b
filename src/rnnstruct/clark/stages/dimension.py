"""Clark et al. 2025/2023 stage (parameters in, xarray out).

* ``theory_dimension(params)``: PR^phi and PR^x of the random-mode model over (g_eff, eff_rank)
  (PRX 38, I22) with the i.i.d. limit and the per-g four-point sums from which the formula is exact
  at any effective rank (:func:`theory_at`);
* ``simulate_points(params, g, E, reps)``: random-mode networks with an exponential mode spectrum at
  one (g_eff, alpha PR^D) point, realisations ``reps``; per realisation the block sufficient
  statistics, naive and cross-block PR with jackknife errors, for x and phi;
* ``merge_simulations(params, parts, theory)``: one file over (g_eff, eff_rank, rep) with means and
  standard errors over realisations and the theory at the realised effective ranks.

Seed keys: ``("clark", "rmm_exponential", N, g_eff, eff_rank, rep, stream)``, stream in
{"left", "right", "init"}: a realisation is the same whatever job computes it.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import xarray as xr

from rnnstruct.core import chunks, seeds
from rnnstruct.clark import connectivity, dmft, simulate
from rnnstruct.numerics import participation

REFERENCE = (
    "Clark, Marschall, van Meegen & Litwin-Kumar 2025, Phys. Rev. X 15:041019 (doi:10.1103/2jt7-c8cq); "
    "Clark, Abbott & Litwin-Kumar 2023, Phys. Rev. Lett. 131:118401"
)
META = {
    "theory": {
        "title": "Dimension of activity of the random-mode model: DMFT theory",
        "summary": "PR^phi and PR^x versus g_eff and effective rank alpha PR^D (PRX Eq. 38, I22), erf network",
        "stage": "clark_theory_dimension",
        "references": REFERENCE,
    },
    "points": {
        "title": "Random-mode model simulations at PRX Fig. 4 points (chunk)",
        "summary": "block sufficient statistics and participation ratios per realisation",
        "stage": "clark_simulate_points",
        "references": REFERENCE,
    },
    "merged": {
        "title": "Dimension of activity of the random-mode model: simulations",
        "summary": "PR^phi and PR^x per realisation, means and errors over realisations, theory at the realised rank",
        "stage": "clark_simulations_merge",
        "references": REFERENCE,
    },
}
OBS = ("phi", "x")


def eff_rank_grid(th: Mapping) -> np.ndarray:
    return np.geomspace(th["eff_rank_min"], th["eff_rank_max"], th["eff_rank_num"])


def theory_dimension(params: Mapping) -> xr.Dataset:
    th = params["clark"]["theory"]
    g_vals = np.asarray(sorted(th["g_eff"]), dtype=float)
    E = eff_rank_grid(th)
    rows = [dmft.dimension_theory(g, th["tau_max"], th["dtau"]) for g in g_vals]
    sums = {k: np.array([r.sums[k] for r in rows]) for k in ("I0", "I1", "J0", "J1")}
    n_tau = int(round(20.0 / th["dtau"])) + 1
    c_tau = np.array([dmft.single_site(g, th["tau_max"], th["dtau"]).c_phi[:n_tau] for g in g_vals])
    ds = xr.Dataset(
        {
            "pr_phi": (("g_eff", "eff_rank"), np.array([r.pr_phi(E) for r in rows])),
            "pr_x": (("g_eff", "eff_rank"), np.array([r.pr_x(E) for r in rows])),
            "pr_phi_iid": ("g_eff", [r.pr_phi_iid for r in rows]),
            "pr_x_iid": ("g_eff", [r.pr_x_iid for r in rows]),
            "k_phi": ("g_eff", [r.k_phi for r in rows]),
            "k_x": ("g_eff", [r.k_x for r in rows]),
            "c_phi0": ("g_eff", [r.c_phi0 for r in rows]),
            "c_x0": ("g_eff", [r.c_x0 for r in rows]),
            "psi_phi_i0": ("g_eff", sums["I0"]),
            "psi_phi_i1": ("g_eff", sums["I1"]),
            "psi_x_j0": ("g_eff", sums["J0"]),
            "psi_x_j1": ("g_eff", sums["J1"]),
            "c_phi_tau": (("g_eff", "tau"), c_tau),
            "psi_phi_tau0_p0": (("g_eff", "tau"), np.array([r.sums["P0"][:n_tau] for r in rows])),
            "psi_phi_tau0_p1": (("g_eff", "tau"), np.array([r.sums["P1"][:n_tau] for r in rows])),
        },
        coords={"g_eff": g_vals, "eff_rank": E, "tau": np.arange(n_tau) * th["dtau"]},
    )
    return ds


def theory_at(theory: xr.Dataset, g: float, eff_rank) -> dict:
    """PR^phi, PR^x of PRX 38 / I22 at g_eff = g (a grid value) and any effective rank, exactly."""
    t = theory.sel(g_eff=g)
    e = np.asarray(eff_rank, dtype=float)
    return {
        "phi": float(t.c_phi0) ** 2 / (float(t.psi_phi_i0) + float(t.psi_phi_i1) / e),
        "x": float(t.c_x0) ** 2 / (float(t.psi_x_j0) + float(t.psi_x_j1) / e),
    }


def _rep_dims(name: str) -> tuple:
    if name.startswith("gram"):
        return ("rep", "group", "group2")
    if name.startswith("block"):
        return ("rep", "block")
    if name.startswith("psi_tau0"):
        return ("rep", "lag")
    return ("rep",)


def simulate_points(params: Mapping, g: float, E: float, reps: Sequence[int]) -> xr.Dataset:
    """Realisations ``reps`` of the exponential random-mode model at (g_eff, alpha PR^D) = (g, E)."""
    c = params["clark"]
    sp = c["simulation"]
    N = int(sp["N"])
    spec = connectivity.exponential_spectrum(N, g, E)
    dtype = np.float32 if sp["precision"] == "float32" else np.float64
    B, K = int(sp["n_blocks"]), int(sp["n_groups"])
    R = len(reps)
    n_lag = int(sp["psi_max_lag"]) + 1
    data = {}
    for n in OBS:
        data[f"gram_{n}"] = np.empty((R, K, K))
        data[f"block_trace_{n}"] = np.empty((R, B))
        data[f"block_sqnorm_{n}"] = np.empty((R, B))
        for kind in participation.ESTIMATORS:
            data[f"pr_{n}_{kind}"] = np.empty(R)
            data[f"pr_{n}_{kind}_se"] = np.empty(R)
        data[f"c0_{n}"] = np.empty(R)
        data[f"psi_tau0_{n}"] = np.empty((R, n_lag))
    for i, rep in enumerate(reps):
        key = ("clark", "rmm_exponential", N, float(g), float(E), int(rep))
        J = connectivity.rmm_matrix(spec, seeds.rng(params["seed"], key + ("left",)), seeds.rng(params["seed"], key + ("right",)), dtype)
        X0 = seeds.rng(params["seed"], key + ("init",)).standard_normal((N, int(sp["n_traj"]))) * (sp["init_scale"] * g)
        stats = simulate.simulate_blocks(
            J,
            X0,
            phi=c["phi"],
            dt=sp["dt"],
            t_transient=sp["transient"],
            sample_every=sp["sample_every"],
            block_len=int(sp["block_len"]),
            n_blocks=B,
            n_groups=K,
            psi_max_lag=n_lag - 1,
            dtype=dtype,
            backend=simulate.backend_of(c),
        )
        for n in OBS:
            st = stats[n]
            data[f"gram_{n}"][i] = st.gram
            data[f"block_trace_{n}"][i] = st.block_trace
            data[f"block_sqnorm_{n}"][i] = st.block_sqnorm
            data[f"c0_{n}"][i] = st.two_point[0]
            data[f"psi_tau0_{n}"][i] = st.psi_tau0
            for kind in participation.ESTIMATORS:
                pr, se = participation.from_blocks(st.gram, st.block_trace, st.block_sqnorm, st.group_of_block, N, kind)
                data[f"pr_{n}_{kind}"][i] = pr
                data[f"pr_{n}_{kind}_se"][i] = se
    ds = xr.Dataset(
        {
            name: (
                ("g_eff", "eff_rank") + _rep_dims(name),
                val[None, None],
            )
            for name, val in data.items()
        },
        coords={
            "g_eff": [float(g)],
            "eff_rank": [float(E)],
            "rep": np.asarray(reps, dtype=int),
            "block": np.arange(B),
            "group": np.arange(K),
            "group2": np.arange(K),
            "lag": np.arange(n_lag) * float(sp["sample_every"]),
        },
    )
    ds["eff_rank_realised"] = (("g_eff", "eff_rank"), [[spec.eff_rank]])
    ds["alpha"] = (("g_eff", "eff_rank"), [[spec.alpha]])
    ds["group_of_block"] = ("block", simulate.group_index(B, K))
    return ds


def merge_simulations(params: Mapping, parts: Sequence[xr.Dataset], theory: xr.Dataset) -> xr.Dataset:
    """Combine the point files; NaN marks (g_eff, eff_rank) pairs that are not simulated."""
    # a sparse design: every simulated point with all its realisations, other cells NaN; variables
    # without a dimension of the join (group_of_block) are taken once, so any chunking of the
    # realisations gives the same file (tested)
    ds = chunks.combine(parts, ("g_eff", "eff_rank", "rep"), join="outer", complete_along="rep", params=params)
    kind = params["clark"]["simulation"]["pr_estimator"]
    n_rep = ds.sizes["rep"]
    for n in OBS:
        vals = ds[f"pr_{n}_{kind}"]
        ds[f"pr_{n}"] = vals.mean("rep")
        ds[f"pr_{n}_err"] = vals.std("rep", ddof=1) / np.sqrt(n_rep) if n_rep > 1 else 0.0 * vals.mean("rep")
        th = np.full((ds.sizes["g_eff"], ds.sizes["eff_rank"]), np.nan)
        for i, g in enumerate(ds["g_eff"].values):
            th[i] = theory_at(theory, float(g), ds["eff_rank_realised"].values[i])[n]
        ds[f"pr_{n}_theory"] = (("g_eff", "eff_rank"), th)
    psibar = ds["psi_tau0_phi"] / ds["psi_tau0_phi"].isel(lag=0)
    ds["psibar_phi"] = psibar.mean("rep")
    ds["psibar_phi_err"] = psibar.std("rep", ddof=1) / np.sqrt(n_rep) if n_rep > 1 else 0.0 * psibar.mean("rep")
    ds["simulated"] = ds["eff_rank_realised"].notnull().astype(np.int8)
    return ds
