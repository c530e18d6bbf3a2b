"""Clark stage, activity-trace analyses (PRX Figs. 3 and 9, PRL Fig. 4; docs/models/clark2025.md#measures).

* ``traces(params, panel)``: one i.i.d. network (erf), stored activity, for panel ``fig3``
  (g = 2.25: windows of C^phi_ij(0) and C^phi(t1, t2)) or ``fig9`` (g = 6: spectrum of C^phi(0),
  PC traces, weighted PC autocorrelations lambda_k C^{p_k}(tau), the two weighted sums, direct and
  cross-half estimates of C^phi(tau) and Psi^phi(tau, 0), DMFT theory);
* ``merge_traces(parts)``: both panels in one file (variables prefixed ``pcs_fig3_`` / ``pcs_fig9_``);
* ``timescales(params, g, N, reps)``: PRL Fig. 4 (phi = tanh), FWHM timescales of every PC and of
  the single-unit C^phi(tau) per realisation at one (g, N);
* ``merge_timescales(params, parts)``: panel (a) (pooled densities over realisations at N = prl_fig4.N)
  and panel (b) (medians of the leading PCs vs N at g = prl_fig4.g_scan, SEM, fit a + b ln N).

Seed keys: ``("clark", "pcs", ensemble, N, g, rep, stream)`` with ensemble "iid_erf" / "iid_tanh" and
stream in {"J", "init"}: a realisation is the same whatever job computes it.
"""

from __future__ import annotations

import warnings
from typing import Mapping, Sequence

import numpy as np
import xarray as xr

from rnnstruct.core import chunks, seeds
from rnnstruct.clark import connectivity, dmft, pcs, simulate

REFERENCE = (
    "Clark, Marschall, van Meegen & Litwin-Kumar 2025, Phys. Rev. X 15:041019 (doi:10.1103/2jt7-c8cq); "
    "Clark, Abbott & Litwin-Kumar 2023, Phys. Rev. Lett. 131:118401"
)
META = {
    "traces": {
        "title": "Stored activity of i.i.d. networks: covariance heatmaps and principal-component timescales",
        "summary": "PRX Fig. 3 (g = 2.25) and Fig. 9 (g = 6) data from one network each, erf, with DMFT theory",
        "stage": "clark_pcs_traces",
        "references": REFERENCE,
    },
    "traces_merged": {
        "title": "Activity traces of i.i.d. networks (PRX Figs. 3 and 9)",
        "summary": "covariance windows, PC spectrum, weighted PC autocorrelations and identities vs DMFT theory",
        "stage": "clark_pcs_traces_merge",
        "references": REFERENCE,
    },
    "timescales": {
        "title": "Principal-component timescales of i.i.d. tanh networks (chunk)",
        "summary": "FWHM of every PC autocovariance and of the single-unit C^phi(tau) per realisation",
        "stage": "clark_pcs_timescales",
        "references": REFERENCE,
    },
    "timescales_merged": {
        "title": "Principal-component timescales of i.i.d. tanh networks (PRL Fig. 4)",
        "summary": "pooled FWHM densities at g = 3, 5, 10 and leading-PC medians vs N with a log N fit",
        "stage": "clark_pcs_timescales_merge",
        "references": REFERENCE,
    },
}
PANELS = ("fig3", "fig9")


def _dtype(pp: Mapping):
    return np.float32 if pp["precision"] == "float32" else np.float64


def _record(pp: Mapping, ensemble: str, phi: str, N: int, g: float, rep: int, n_samples: int, n_traj: int, seed, backend: str):
    """Stored rates (T, N, n_traj) of realisation ``rep`` of an i.i.d. network."""
    key = ("clark", "pcs", ensemble, int(N), float(g), int(rep))
    J = connectivity.iid_matrix(N, g, seeds.rng(seed, key + ("J",)), _dtype(pp))
    X0 = seeds.rng(seed, key + ("init",)).standard_normal((N, n_traj)) * (pp["init_scale"] * g)
    _, rates = simulate.record_activity(
        J, X0, n_samples, phi=phi, dt=pp["dt"], t_transient=pp["transient"], sample_every=1.0, dtype=_dtype(pp), backend=backend
    )
    return rates


def _theory_at_lags(g: float, pp: Mapping, lags: np.ndarray) -> dict:
    ss = dmft.single_site(g, pp["theory_tau_max"], pp["theory_dtau"])
    p0 = dmft.four_point_sums(ss)["P0"]
    idx = np.rint(np.asarray(lags) / ss.dtau).astype(int)
    if idx.max() >= ss.tau.size:
        raise ValueError(f"lags up to {lags.max()} exceed clark.pcs.theory_tau_max = {pp['theory_tau_max']}")
    return {"tau": ss.tau, "c_phi": ss.c_phi, "psi": p0, "c_lag": ss.c_phi[idx], "psi_lag": p0[idx]}


def _fig3(params: Mapping) -> xr.Dataset:
    pp = params["clark"]["pcs"]
    f = pp["fig3"]
    N, g = int(f["N"]), float(f["g"])
    A = _record(pp, "iid_erf", "erf", N, g, 0, int(f["n_samples"]), int(f["n_traj"]), params["seed"], simulate.backend_of(params["clark"]))
    C0 = pcs.equal_time_covariance(A)
    n_show, window = int(f["n_neurons_shown"]), int(f["window"])
    tt = pcs.time_time_matrix(A[:window, :, 0])
    lags = np.arange(int(f["max_lag"]) + 1)
    # lag profile of the time x time matrix: mean of C^phi(t, t + tau) over t in the window
    tt_lag = np.array([np.mean(np.diagonal(tt, offset=int(k))) for k in lags])
    th = _theory_at_lags(g, pp, lags)
    off = C0[~np.eye(N, dtype=bool)]
    return xr.Dataset(
        {
            "pcs_fig3_cov_neurons": (("pcs_fig3_neuron", "pcs_fig3_neuron2"), C0[:n_show, :n_show]),
            "pcs_fig3_cov_time": (("pcs_fig3_time", "pcs_fig3_time2"), tt),
            "pcs_fig3_cov_time_lag": ("pcs_fig3_lag", tt_lag),
            "pcs_fig3_c_phi_sim": ("pcs_fig3_lag", pcs.two_point(A, int(lags[-1]))),
            "pcs_fig3_c_phi_theory": ("pcs_fig3_lag", th["c_lag"]),
            "pcs_fig3_diag_mean": ((), float(np.mean(np.diag(C0)))),
            "pcs_fig3_offdiag_rms": ((), float(np.sqrt(np.mean(off**2)))),
            "pcs_fig3_g": ((), g),
            "pcs_fig3_N": ((), N),
        },
        coords={
            "pcs_fig3_neuron": np.arange(n_show),
            "pcs_fig3_neuron2": np.arange(n_show),
            "pcs_fig3_time": np.arange(window, dtype=float),
            "pcs_fig3_time2": np.arange(window, dtype=float),
            "pcs_fig3_lag": lags.astype(float),
        },
    )


def _cross_half_psi(A: np.ndarray, max_lag: int) -> np.ndarray:
    """Psi(tau, 0) = (1/N) tr[C^(1)(0) C^(2)(tau)] averaged over both orders of two disjoint halves of
    the trajectories (independent samples: no sampling-noise bias)."""
    n = A.shape[2]
    halves = (A[:, :, : n // 2], A[:, :, n // 2 :])
    return 0.5 * sum(pcs.psi_tau0(pcs.equal_time_covariance(a), b, max_lag) for a, b in (halves, halves[::-1]))


def _fig9(params: Mapping) -> xr.Dataset:
    pp = params["clark"]["pcs"]
    f = pp["fig9"]
    N, g = int(f["N"]), float(f["g"])
    A = _record(pp, "iid_erf", "erf", N, g, 0, int(f["n_samples"]), int(f["n_traj"]), params["seed"], simulate.backend_of(params["clark"])).astype(np.float64)
    max_lag = int(f["max_lag"])
    res = pcs.pc_analysis(A, max_lag)
    shown = np.asarray(f["pcs_shown"], dtype=int)
    n_t = int(f["t_trace"]) + 1
    traces = pcs.pc_series(A[:n_t, :, :1], res["lam"][shown - 1], res["V"][:, shown - 1])[:, :, 0].T
    lags = np.arange(max_lag + 1)
    th = _theory_at_lags(g, pp, lags)
    keep = th["tau"] <= max_lag + 1e-9
    return xr.Dataset(
        {
            "pcs_fig9_eigenvalue": ("pcs_fig9_pc", res["lam"]),
            "pcs_fig9_weighted_autocorr": (("pcs_fig9_lag", "pcs_fig9_pc"), res["weighted"]),
            "pcs_fig9_trace": (("pcs_fig9_shown", "pcs_fig9_t"), traces),
            "pcs_fig9_sum_c": ("pcs_fig9_lag", res["sum_c"]),
            "pcs_fig9_sum_psi": ("pcs_fig9_lag", res["sum_psi"]),
            "pcs_fig9_c_phi_direct": ("pcs_fig9_lag", res["c_tau"]),
            "pcs_fig9_psi_direct": ("pcs_fig9_lag", res["psi_tau0"]),
            "pcs_fig9_psi_crosshalf": ("pcs_fig9_lag", _cross_half_psi(A, max_lag)),
            "pcs_fig9_c_phi_theory": ("pcs_fig9_lag", th["c_lag"]),
            "pcs_fig9_psi_theory": ("pcs_fig9_lag", th["psi_lag"]),
            "pcs_fig9_c_phi_theory_line": ("pcs_fig9_tau", th["c_phi"][keep]),
            "pcs_fig9_psi_theory_line": ("pcs_fig9_tau", th["psi"][keep]),
            "pcs_fig9_pc_fwhm": ("pcs_fig9_pc", pcs.fwhm(res["pc_autocorr"].T)),
            "pcs_fig9_g": ((), g),
            "pcs_fig9_N": ((), N),
        },
        coords={
            "pcs_fig9_pc": np.arange(1, N + 1),
            "pcs_fig9_lag": lags.astype(float),
            "pcs_fig9_shown": shown,
            "pcs_fig9_t": np.arange(n_t, dtype=float),
            "pcs_fig9_tau": th["tau"][keep],
        },
    )


def traces(params: Mapping, panel: str) -> xr.Dataset:
    if panel == "fig3":
        return _fig3(params)
    if panel == "fig9":
        return _fig9(params)
    raise ValueError(f"panel must be one of {PANELS}, got {panel!r}")


def merge_traces(params: Mapping, parts: Sequence[xr.Dataset]) -> xr.Dataset:
    """One file of the PRX Fig. 3 and Fig. 9 panels (their variables are distinct)."""
    chunks.check_provenance(parts, params)
    return xr.merge([p.drop_attrs() for p in parts], combine_attrs="drop")


def timescales(params: Mapping, g: float, N: int, reps: Sequence[int]) -> xr.Dataset:
    """PRL Fig. 4 at one (g, N): FWHM of every PC and of C^phi(tau), realisations ``reps`` (tanh)."""
    pp = params["clark"]["pcs"]
    f = pp["prl_fig4"]
    max_lag = int(f["max_lag"])
    pc_fwhm = np.empty((len(reps), N))
    unit = np.empty(len(reps))
    for i, rep in enumerate(reps):
        A = _record(pp, "iid_tanh", "tanh", N, g, rep, int(f["n_samples"]), int(f["n_traj"]), params["seed"], simulate.backend_of(params["clark"]))
        res = pcs.pc_analysis(A, max_lag)
        pc_fwhm[i] = pcs.fwhm(res["pc_autocorr"].T)
        unit[i] = pcs.fwhm(res["c_tau"])
    return xr.Dataset(
        {
            "pcs_pc_fwhm": (("rep", "pcs_pc"), pc_fwhm),
            "pcs_unit_fwhm": ("rep", unit),
            "pcs_g": ((), float(g)),
            "pcs_N": ((), int(N)),
        },
        coords={"rep": np.asarray(reps, dtype=int), "pcs_pc": np.arange(1, N + 1)},
    )


def _concat_reps(params: Mapping, parts: Sequence[xr.Dataset]) -> xr.Dataset:
    return chunks.concat(parts, "rep", params=params)


def merge_timescales(params: Mapping, parts: Sequence[xr.Dataset]) -> xr.Dataset:
    f = params["clark"]["pcs"]["prl_fig4"]
    by_point: dict = {}
    for p in parts:
        by_point.setdefault((float(p["pcs_g"]), int(p["pcs_N"])), []).append(p)
    points = {k: _concat_reps(params, v) for k, v in by_point.items()}
    g_a, N_a = [float(g) for g in f["g"]], int(f["N"])
    g_b, N_b = float(f["g_scan"]), [int(n) for n in f["N_scan"]]
    lead = np.asarray(f["lead_pcs"], dtype=int)
    a = [points[(g, N_a)] for g in g_a]
    pc_fwhm = np.stack([d["pcs_pc_fwhm"].values for d in a])
    bins = np.linspace(0.0, float(f["density_max"]), int(f["density_bins"]) + 1)
    density = np.stack([np.histogram(v[np.isfinite(v)], bins=bins, density=True)[0] for v in pc_fwhm])
    b = [points[(g_b, n)] for n in N_b]
    lead_fwhm = np.stack([d["pcs_pc_fwhm"].values[:, lead - 1] for d in b])  # (N, rep, lead)
    n_rep = lead_fwhm.shape[1]
    count = np.sum(np.isfinite(lead_fwhm), axis=1)
    with warnings.catch_warnings():  # all-NaN slices are documented NaNs (nan_meaning)
        warnings.simplefilter("ignore", RuntimeWarning)
        median = np.nanmedian(lead_fwhm, axis=1)
        sd = np.nanstd(lead_fwhm, axis=1, ddof=1)
    sem = np.where(count >= 2, sd / np.sqrt(np.maximum(count, 1)), np.nan)
    fit = np.array([pcs.log_fit(N_b, median[:, j]) for j in range(lead.size)])
    unit_b = np.stack([d["pcs_unit_fwhm"].values for d in b])
    return xr.Dataset(
        {
            "pcs_a_pc_fwhm": (("pcs_g_a", "rep", "pcs_pc"), pc_fwhm),
            "pcs_a_unit_fwhm": (("pcs_g_a", "rep"), np.stack([d["pcs_unit_fwhm"].values for d in a])),
            "pcs_a_density": (("pcs_g_a", "pcs_fwhm_bin"), density),
            "pcs_a_median": ("pcs_g_a", np.nanmedian(pc_fwhm.reshape(len(g_a), -1), axis=1)),
            "pcs_a_unresolved": ("pcs_g_a", np.mean(~np.isfinite(pc_fwhm.reshape(len(g_a), -1)), axis=1)),
            "pcs_b_lead_fwhm": (("pcs_N_b", "rep", "pcs_lead"), lead_fwhm),
            "pcs_b_median": (("pcs_N_b", "pcs_lead"), median),
            "pcs_b_sem": (("pcs_N_b", "pcs_lead"), sem),
            "pcs_b_unit_fwhm": (("pcs_N_b", "rep"), unit_b),
            "pcs_b_logslope": ("pcs_lead", fit[:, 0]),
            "pcs_b_intercept": ("pcs_lead", fit[:, 1]),
            "pcs_b_logslope_se": ("pcs_lead", fit[:, 2]),
            "pcs_a_N": ((), N_a),
            "pcs_b_g": ((), g_b),
        },
        coords={
            "pcs_g_a": g_a,
            "rep": np.arange(n_rep),
            "pcs_pc": np.arange(1, N_a + 1),
            "pcs_fwhm_bin": 0.5 * (bins[1:] + bins[:-1]),
            "pcs_N_b": N_b,
            "pcs_lead": lead,
        },
    )
