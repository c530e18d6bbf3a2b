"""Clark stage, figure group "overlaps": PRX Fig. 7 (right-left mode overlaps) and PRL Fig. 6
(partially symmetric couplings) -- sampled DMFT theory and simulations
(docs/models/clark2025.md#sampled-dmft).

Families of points (``family``):

* ``fig7``: (alpha PR^D, g_eff, gamma_rho) -- random-mode model, alpha = 1, exponential D, sigmoidal
  rho_a (beta_rho, u_flip so that <D rho> = 0); theory PRX 51 from the sampled DMFT, simulation PR^phi
  from the streaming block statistics (:func:`simulate.simulate_blocks`);
* ``prl6``: (g, rho) -- partially symmetric i.i.d. J, tanh; theory PRX H19 = PRL 18 and
  psi^phi(tau, tau); simulation from stored traces with a cross-trajectory-group estimator;
* ``ref``: one fig7 point solved with the profile's DMFT settings and with fuller reference settings
  (convergence check of the cheap settings).

Every point is computed independently (seed key per point, never per job), so any chunking of the
points into jobs gives the same numbers; :func:`merge` puts all families into one file.
Seed keys: ("clark", "sampled_dmft", family, phi, parameters..., settings tag) and
("clark", "rmm_overlap" | "partial_symmetric", N, parameters..., rep, stream).
"""

from __future__ import annotations

import functools
from typing import Mapping, Sequence

import numpy as np
import xarray as xr

from rnnstruct.core import chunks, seeds
from rnnstruct.clark import connectivity, dmft, simulate
from rnnstruct.clark import sampled_dmft as sd
from rnnstruct.clark.stages.dimension import REFERENCE
from rnnstruct.numerics import participation

FAMILIES = ("fig7", "prl6", "ref")
META = {
    "dmft": {
        "title": "Sampled DMFT of structured connectivity (chunk)",
        "summary": "PR^phi from PRX 51 (overlaps) or PRX H19 (partial symmetry) at a chunk of points",
        "stage": "clark_overlaps_dmft",
        "references": REFERENCE,
    },
    "sim": {
        "title": "Simulations of structured connectivity (chunk)",
        "summary": "PR^phi (and psi^phi(tau,tau)) of RMM networks with overlaps or partially symmetric i.i.d. networks",
        "stage": "clark_overlaps_sim",
        "references": REFERENCE,
    },
    "merged": {
        "title": "Structured connectivity: PRX Fig. 7 and PRL Fig. 6, theory and simulation",
        "summary": "sampled-DMFT theory and simulated PR^phi versus overlap amplitude / symmetry, psi^phi(tau,tau)",
        "stage": "clark_overlaps_merge",
        "references": REFERENCE,
    },
}


def _ov(params: Mapping) -> Mapping:
    return params["clark"]["overlaps"]


# ---- points ----------------------------------------------------------------------------------------


def dmft_points(params: Mapping, family: str) -> list[dict]:
    ov = _ov(params)
    if family == "fig7":
        f = ov["fig7"]
        return [
            {"eff_rank": float(e), "g_eff": float(g), "gamma_rho": float(c)}
            for e in f["eff_rank"]
            for g in f["g_eff"]
            for c in f["gamma_theory"]
        ]
    if family == "prl6":
        f = ov["prl6"]
        return [{"g": float(g), "rho": float(r)} for g in f["g"] for r in f["rho_theory"]]
    if family == "ref":
        r = ov["reference"]
        return [{"eff_rank": float(r["eff_rank"]), "g_eff": float(r["g_eff"]), "gamma_rho": float(r["gamma_rho"]), "which": w}
                for w in ("profile", "reference")]
    raise ValueError(f"family must be one of {FAMILIES}, got {family!r}")


def sim_points(params: Mapping, family: str) -> list[dict]:
    ov = _ov(params)
    if family == "fig7":
        f = ov["fig7"]
        return [
            {"eff_rank": float(e), "g_eff": float(g), "gamma_rho": float(c)}
            for e in f["eff_rank"]
            for g in f["sim_g_eff"]
            for c in f["sim_gamma"]
        ]
    if family == "prl6":
        f = ov["prl6"]
        return [{"g": float(g), "rho": float(r)} for g in f["sim_g"] for r in f["sim_rho"]]
    raise ValueError(f"simulated families are fig7 and prl6, got {family!r}")


def chunk(points: Sequence, c: int, per_job: int) -> list:
    out = list(points[c * per_job : (c + 1) * per_job])
    if not out:
        raise ValueError(f"chunk {c} is empty ({len(points)} points, {per_job} per job)")
    return out


# ---- theory ---------------------------------------------------------------------------------------


def _settings(ov: Mapping, which: str = "profile") -> sd.Settings:
    return sd.Settings.from_mapping(ov["dmft"] if which == "profile" else ov["reference"]["dmft"])


@functools.lru_cache(maxsize=32)
def _prx38(g: float, tau_max: float, dtau: float) -> dmft.DimensionTheory:
    return dmft.dimension_theory(g, tau_max, dtau)


def solve_point(params: Mapping, family: str, pt: Mapping) -> dict:
    """Sampled DMFT at one point: PR^phi, C^phi(0), margin, condensed flag, C^phi(0) per iteration and
    (prl6) psi^phi(tau, tau) on integer lags 0..psi_tau_max."""
    ov = _ov(params)
    which = pt.get("which", "profile")
    st = _settings(ov, which)
    if family == "prl6":
        st = sd.Settings(**{**st.__dict__, "L": float(ov["prl6"]["L"])})
        phi = "tanh"
        kernel = sd.SymmetricKernel(pt["g"], pt["rho"])
        key = ("clark", "sampled_dmft", family, phi, pt["g"], pt["rho"], which)
    else:
        phi = params["clark"]["phi"]
        D, rho, alpha, u = sd.mode_sample(pt["g_eff"], pt["eff_rank"], pt["gamma_rho"], int(ov["dmft"]["n_modes"]),
                                          float(ov["fig7"]["beta_rho"]))
        kernel = sd.OverlapKernel(D, rho, alpha)
        key = ("clark", "sampled_dmft", "fig7", phi, pt["g_eff"], pt["eff_rank"], pt["gamma_rho"], which)
    res = sd.sampled_dmft(kernel, phi, st, seeds.rng(params["seed"], key))
    out = {"margin": res.margin, "condensed": int(res.condensed), "c0_history": res.c0_history, "c_phi0": res.c0}
    if res.condensed:
        out["pr_phi"] = float("nan")
    elif family == "prl6":
        psi = sd.psi_symmetric(res.c_w, res.s_w, pt["g"], pt["rho"])
        out["pr_phi"] = participation.from_moments(res.c0, sd.psi00(psi, st.dtau))
        step = int(round(1.0 / st.dtau))
        n_tau = int(ov["prl6"]["psi_tau_max"]) + 1
        out["psi_diag"] = (sd.psi_diagonal(psi, st.dtau) - res.c_tau**2)[::step][:n_tau]
    else:
        psi = sd.psi_overlaps(res.c_w, res.s_w, D, rho, alpha)
        out["pr_phi"] = participation.from_moments(res.c0, sd.psi00(psi, st.dtau))
    if family != "prl6":
        out["u_flip"] = u
        out["eff_rank_modes"] = kernel.eff_rank
        if phi == "erf":  # gamma_rho = 0 reference: PRX 38 at the mode sample's effective rank (Gaussian DMFT)
            out["pr_prx38"] = float(_prx38(pt["g_eff"], 100.0, 0.1).pr_phi(kernel.eff_rank))
    return out


def _pad(h: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, np.nan)
    out[: min(n, h.size)] = h[:n]
    return out


def dmft_chunk(params: Mapping, family: str, c: int, per_job: int) -> xr.Dataset:
    """Sampled-DMFT results at chunk ``c`` of the points of ``family`` (dimension ``point``)."""
    pts = chunk(dmft_points(params, family), c, per_job)
    rows = [solve_point(params, family, p) for p in pts]
    n_it = max(int(_ov(params)["dmft"]["n_iter"]), int(_ov(params)["reference"]["dmft"]["n_iter"]))
    data = {
        "ovl_pr_phi_theory": ("ovl_point", [r["pr_phi"] for r in rows]),
        "ovl_c_phi0_theory": ("ovl_point", [r["c_phi0"] for r in rows]),
        "ovl_margin": ("ovl_point", [r["margin"] for r in rows]),
        "ovl_condensed": ("ovl_point", np.array([r["condensed"] for r in rows], dtype=np.int8)),
        "ovl_c0_history": (("ovl_point", "iteration"), np.array([_pad(r["c0_history"], n_it) for r in rows])),
    }
    coords = {"ovl_point": np.arange(c * per_job, c * per_job + len(pts)), "iteration": np.arange(1, n_it + 1)}
    for name in pts[0]:
        coords[f"pt_{name}"] = ("ovl_point", np.array([p[name] for p in pts], dtype=str if name == "which" else float))
    if family == "prl6":
        data["psym_psi_diag_theory"] = (("ovl_point", "tau_diag"), np.array([r["psi_diag"] if "psi_diag" in r else
                                                                          np.full(int(_ov(params)["prl6"]["psi_tau_max"]) + 1, np.nan) for r in rows]))
        coords["tau_diag"] = np.arange(int(_ov(params)["prl6"]["psi_tau_max"]) + 1, dtype=float)
    else:
        data["ovl_u_flip"] = ("ovl_point", [r["u_flip"] for r in rows])
        data["ovl_eff_rank_modes"] = ("ovl_point", [r["eff_rank_modes"] for r in rows])
        data["ovl_pr_phi_prx38"] = ("ovl_point", [r.get("pr_prx38", float("nan")) for r in rows])
    return xr.Dataset(data, coords=coords)


# ---- simulations ----------------------------------------------------------------------------------


def _sim_fig7(params: Mapping, pt: Mapping, rep: int) -> dict:
    c, ov = params["clark"], _ov(params)
    sp, s7 = c["simulation"], ov["fig7"]["sim"]
    N = int(s7["N"])
    spec = connectivity.exponential_spectrum(N, pt["g_eff"], pt["eff_rank"])
    rho, _ = connectivity.sigmoidal_overlaps(spec.D, N, pt["gamma_rho"], float(ov["fig7"]["beta_rho"]))
    dtype = np.float32 if sp["precision"] == "float32" else np.float64
    key = ("clark", "rmm_overlap", N, pt["g_eff"], pt["eff_rank"], pt["gamma_rho"], rep)
    rngs = [seeds.rng(params["seed"], key + (s,)) for s in ("left", "right", "shared")]
    J = connectivity.rmm_overlap_matrix(spec, rho, *rngs, dtype=dtype)
    X0 = seeds.rng(params["seed"], key + ("init",)).standard_normal((N, int(s7["n_traj"]))) * (sp["init_scale"] * pt["g_eff"])
    st = simulate.simulate_blocks(
        J, X0, phi=c["phi"], dt=sp["dt"], t_transient=float(s7["transient"]), sample_every=sp["sample_every"],
        block_len=int(s7["block_len"]), n_blocks=int(s7["n_blocks"]), n_groups=int(s7["n_groups"]), dtype=dtype,
        backend=simulate.backend_of(c),
    )["phi"]
    out = {}
    for kind in participation.ESTIMATORS:
        out[kind], out[f"{kind}_se"] = participation.from_blocks(
            st.gram, st.block_trace, st.block_sqnorm, st.group_of_block, N, kind
        )
    return out


def lagged_cov(A: np.ndarray, lag: int) -> np.ndarray:
    """C_ij(lag) = <a_i(t) a_j(t + lag)>_t of stored activity A (T, N, n_traj), trajectories pooled
    (one lag of :func:`estimators.lagged_covariances`)."""
    T, N = A.shape[:2]
    u = A[: T - lag].transpose(1, 0, 2).reshape(N, -1)
    v = A[lag:].transpose(1, 0, 2).reshape(N, -1)
    return (u @ v.T) / u.shape[1]


#: largest Gram matrix of all stored samples (bytes) for which :func:`cross_group_statistics` uses the
#: Gram form; beyond it, the lag-by-lag N x N covariances (same result)
GRAM_BYTES = 4e9


def cross_group_statistics(A: np.ndarray, lags: Sequence[int], gram=None) -> dict:
    """PR and Psi(tau, tau), C(tau) from stored activity A (T, N, n_traj) with two independent
    trajectory groups a, b (first and second half): Psi(tau, tau) = (1/N) sum_ij C^a_ij(tau) C^b_ij(tau)
    is free of the sampling-noise bias of the plug-in (1/N) ||C(tau)||_F^2; PR = tr C^a(0) tr C^b(0) /
    (N tr C^a(0) C^b(0)^T).  Also the plug-in (naive) pooled PR.

    Computed from the Gram matrix of the samples, K_pq = a_p . a_q over every pair of stored samples
    p = (trajectory, time): with C^a(tau) = U_a V_a^T / n_a (U, V the samples at t and t + tau),
    sum_ij C^a_ij C^b_ij = sum_{p in a, q in b} K_pq K_{p+tau, q+tau} / (n_a n_b), a sum over shifted
    blocks of one Gram matrix instead of one N x N covariance pair per lag (cost 2 N (n_traj T)^2 once
    instead of ~2 N^2 n_traj T per lag).  Stored runs too long for the Gram matrix (> GRAM_BYTES) use the
    lag-by-lag covariances; both forms are equal to round-off (tested).  ``gram`` computes M M^T of the
    sample matrix (default numpy; the JAX backend passes its device product)."""
    A = np.asarray(A, dtype=np.float64)
    T, N, n = A.shape
    if n < 2:
        raise ValueError("the cross-group estimator needs at least 2 trajectories")
    if 0 not in lags:
        raise ValueError("lags must contain 0 (the participation ratio)")
    if (n * T) ** 2 * 8 > GRAM_BYTES:
        return _cross_group_direct(A, lags)
    na = n // 2
    M = A.transpose(2, 0, 1).reshape(n * T, N)  # rows (trajectory, time)
    G = M @ M.T if gram is None else gram(M)
    K = G[: na * T, na * T :].reshape(na, T, n - na, T)  # K[k, t, l, s] = a_k(t) . b_l(s)
    diag = np.array([[np.trace(G[k * T : (k + 1) * T, k * T : (k + 1) * T], offset=lag) for lag in lags] for k in range(n)])
    psi, c = [], []
    for j, lag in enumerate(lags):
        m = T - lag
        cross = np.einsum("ktls,ktls->", K[:, :m, :, :m], K[:, lag:, :, lag:])
        tra, trb = diag[:na, j].sum() / (m * na), diag[na:, j].sum() / (m * (n - na))
        psi.append(cross / (N * (m * na) * (m * (n - na))))
        c.append(0.5 * (tra + trb) / N)
        if lag == 0:
            cross_pr = float(tra * trb / (N * N * psi[-1]))
    naive = float(np.trace(G) ** 2 / (N * np.vdot(G, G)))
    psi, c = np.array(psi), np.array(c)
    return {"psi_diag": psi - c**2, "c": c, "pr_crossblock": cross_pr, "pr_naive": naive}


def _cross_group_direct(A: np.ndarray, lags: Sequence[int]) -> dict:
    """:func:`cross_group_statistics` from one pair of N x N lagged covariances per lag."""
    n, N = A.shape[2], A.shape[1]
    ga, gb = A[:, :, : n // 2], A[:, :, n // 2 :]
    psi, c = [], []
    for lag in lags:
        ca, cb = lagged_cov(ga, lag), lagged_cov(gb, lag)
        psi.append(float(np.vdot(ca, cb)) / N)
        c.append(0.5 * (np.trace(ca) + np.trace(cb)) / N)
        if lag == 0:
            pooled = lagged_cov(A, 0)
            naive = float(np.trace(pooled) ** 2 / (N * np.vdot(pooled, pooled)))
            cross = float(np.trace(ca) * np.trace(cb) / (N * np.vdot(ca, cb)))
    psi, c = np.array(psi), np.array(c)
    return {"psi_diag": psi - c**2, "c": c, "pr_crossblock": cross, "pr_naive": naive}


def _sim_prl6(params: Mapping, pt: Mapping, rep: int) -> dict:
    c, ov = params["clark"], _ov(params)
    sp, s6 = c["simulation"], ov["prl6"]["sim"]
    N = int(s6["N"])
    dtype = np.float32 if sp["precision"] == "float32" else np.float64
    key = ("clark", "partial_symmetric", N, pt["g"], pt["rho"], rep)
    J = connectivity.partially_symmetric_matrix(N, pt["g"], pt["rho"], seeds.rng(params["seed"], key + ("J",)), dtype=dtype)
    X0 = seeds.rng(params["seed"], key + ("init",)).standard_normal((N, int(s6["n_traj"]))) * (sp["init_scale"] * pt["g"])
    _, ph = simulate.record_activity(J, X0, int(s6["n_samples"]), phi="tanh", dt=sp["dt"], t_transient=float(s6["transient"]),
                                     sample_every=sp["sample_every"], dtype=dtype, backend=simulate.backend_of(c))
    gram = None
    if simulate.backend_of(c) == "jax":
        from rnnstruct.clark.simulate_jax import gram64 as gram
    st = cross_group_statistics(ph, sim_lags(params), gram)
    return {"naive": st["pr_naive"], "crossblock": st["pr_crossblock"], "psi_diag": st["psi_diag"]}


def sim_lags(params: Mapping) -> list[int]:
    s6 = _ov(params)["prl6"]["sim"]
    return list(range(0, int(s6["max_lag"]) + 1, int(s6["lag_step"])))


def sim_items(params: Mapping, family: str) -> list[tuple[dict, int]]:
    """(point, realisation) pairs of ``family``: the unit of work of the simulation jobs."""
    reps = int(_ov(params)[family]["sim"]["reps"])
    return [(p, r) for p in sim_points(params, family) for r in range(reps)]


def sim_chunk(params: Mapping, family: str, c: int, per_job: int) -> xr.Dataset:
    """Simulations of chunk ``c`` of the (point, realisation) items of ``family`` (dimension ``item``)."""
    items = chunk(sim_items(params, family), c, per_job)
    coords = {"ovl_item": np.arange(c * per_job, c * per_job + len(items)), "pt_rep": ("ovl_item", [r for _, r in items])}
    for name in items[0][0]:
        coords[f"pt_{name}"] = ("ovl_item", np.array([p[name] for p, _ in items], dtype=float))
    if family == "fig7":
        rows = [_sim_fig7(params, p, r) for p, r in items]
        data = {f"ovl_pr_phi_{k}_rep": ("ovl_item", [row[k] for row in rows]) for k in ("naive", "naive_se", "crossblock", "crossblock_se")}
        return xr.Dataset(data, coords=coords)
    rows = [_sim_prl6(params, p, r) for p, r in items]
    coords["lag_diag"] = np.asarray(sim_lags(params), dtype=float) * float(params["clark"]["simulation"]["sample_every"])
    data = {f"psym_pr_phi_{k}_rep": ("ovl_item", [row[k] for row in rows]) for k in ("naive", "crossblock")}
    data["psym_psi_diag_rep"] = (("ovl_item", "lag_diag"), np.array([row["psi_diag"] for row in rows]))
    return xr.Dataset(data, coords=coords)


# ---- merge ----------------------------------------------------------------------------------------


def _grid(ds: xr.Dataset, dims: Sequence[str]) -> xr.Dataset:
    """point-indexed dataset -> gridded over ``dims`` (from the pt_<dim> coordinates)."""
    dim = "ovl_item" if "ovl_item" in ds.dims else "ovl_point"
    ds = ds.set_index({dim: [f"pt_{d}" for d in dims]}).unstack(dim)
    return ds.rename({f"pt_{d}": d for d in dims})


def _mean_err(x: xr.DataArray, single: xr.DataArray | None = None) -> tuple[xr.DataArray, xr.DataArray]:
    """Mean and standard error over ``rep``; with one realisation the error is ``single`` (its
    jackknife error) or NaN."""
    n = x.sizes["rep"]
    mean = x.mean("rep")
    if n > 1:
        err = x.std("rep", ddof=1) / np.sqrt(n)
    elif single is not None:
        err = single.isel(rep=0, drop=True)
    else:
        err = xr.full_like(mean, np.nan)
    return mean, err.where(mean.notnull())


def merge(params: Mapping, dmft: Mapping[str, Sequence[xr.Dataset]], sims: Mapping[str, Sequence[xr.Dataset]]) -> xr.Dataset:
    """One file: fig7 over (eff_rank, g_eff, gamma_rho), prl6 over (g, rho_sym), reference over dmft_settings."""
    kind = params["clark"]["simulation"]["pr_estimator"]
    def _fixed(d: xr.Dataset) -> xr.Dataset:  # one string width, or concat truncates to the first file's
        if "pt_which" in d.coords:
            d = d.assign_coords(pt_which=("ovl_point", d["pt_which"].values.astype("U16")))
        return d

    # every point (item) of a family exactly once, in order; the options keep xarray's concat defaults
    opts = {"data_vars": "all", "coords": "different", "join": "outer"}
    cat = {
        f"d_{k}": chunks.concat(
            [_fixed(d) for d in v], "ovl_point", expected={"ovl_point": range(len(dmft_points(params, k)))}, params=params, **opts
        ).drop_vars("ovl_point")
        for k, v in dmft.items()
    }
    cat.update(
        {
            f"s_{k}": chunks.concat(v, "ovl_item", expected={"ovl_item": range(len(sim_items(params, k)))}, params=params, **opts)
            .drop_vars("ovl_item")
            for k, v in sims.items()
        }
    )
    f7_dims = ("eff_rank", "g_eff", "gamma_rho")
    th7 = _grid(cat["d_fig7"], f7_dims)
    sm7 = _grid(cat["s_fig7"], f7_dims + ("rep",)).reindex({d: th7[d] for d in f7_dims})
    out = th7
    for k in ("naive", "crossblock"):
        out[f"ovl_pr_phi_{k}_rep"] = sm7[f"ovl_pr_phi_{k}_rep"]
        out[f"ovl_pr_phi_{k}_se_rep"] = sm7[f"ovl_pr_phi_{k}_se_rep"]
    out["ovl_pr_phi_sim"], out["ovl_pr_phi_sim_err"] = _mean_err(sm7[f"ovl_pr_phi_{kind}_rep"], sm7[f"ovl_pr_phi_{kind}_se_rep"])
    th6 = _grid(cat["d_prl6"], ("g", "rho")).rename({"rho": "rho_sym"})
    sm6 = _grid(cat["s_prl6"], ("g", "rho", "rep")).rename({"rho": "rho_sym", "rep": "rep_sym"})
    sm6 = sm6.reindex({"g": th6["g"], "rho_sym": th6["rho_sym"]})
    p6 = {f"psym_{k[4:]}" if k.startswith("ovl_") else k: v for k, v in th6.data_vars.items()}
    for name, v in p6.items():
        out[name] = v
    for k in ("naive", "crossblock"):
        out[f"psym_pr_phi_{k}_rep"] = sm6[f"psym_pr_phi_{k}_rep"]
    out["psym_psi_diag_rep"] = sm6["psym_psi_diag_rep"]
    out["psym_pr_phi_sim"], out["psym_pr_phi_sim_err"] = _mean_err(sm6[f"psym_pr_phi_{kind}_rep"].rename(rep_sym="rep"))
    out["psym_psi_diag_sim"], out["psym_psi_diag_sim_err"] = _mean_err(sm6["psym_psi_diag_rep"].rename(rep_sym="rep"))
    ref = cat["d_ref"].swap_dims(ovl_point="pt_which").rename(pt_which="dmft_settings")
    out["ovl_ref_pr_phi"] = ref["ovl_pr_phi_theory"]
    out["ovl_ref_c_phi0"] = ref["ovl_c_phi0_theory"]
    out["ovl_ref_margin"] = ref["ovl_margin"]
    out = out.drop_vars([v for v in out.variables if str(v).startswith("pt_")], errors="ignore")
    for v in out.variables.values():  # no inherited on-disk encodings (string widths, chunking) of the parts
        v.encoding = {}
    return out
