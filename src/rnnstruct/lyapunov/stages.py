"""Spectral and Lyapunov analysis stage (parameters in, xarray out).

* ``iid_system(params, "iid_map" | "iid_flow")``: lambda_max versus g (k = 1) and full spectra at
  selected g for the i.i.d. ensemble W_ij ~ N(0, g^2/N), discrete map or RK4 rate network, with the
  per-block sums of log|diag R| stored so that error bars are computed afterwards.
* ``regularity_spectra(params, reg)``: full Lyapunov spectra (k = N) of a Metzner regularity at
  selected (w, b) points for every control value, with Kaplan–Yorke dimension, KS entropy rate and
  unstable fraction, plus the eigen- and singular-value summary of each matrix.
* ``numerics(params)``: convergence evidence (exponents versus run length, QR interval and N).

Seed keys: ``("lyapunov", kind, g, rep, stream)`` for the i.i.d. systems; the Metzner matrices are
the regularity realisations of :mod:`rnnstruct.metzner.stages.regularities` (same keys as the sweeps).
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import xarray as xr
from rnnstruct.core.progress import progress as progress_bar

from rnnstruct.numerics import lyapunov
from rnnstruct.core import seeds
from rnnstruct.metzner import theory
from rnnstruct.core.grids import grid_values
from rnnstruct.metzner.stages.regularities import regularity_matrix
from rnnstruct.lyapunov import variables  # noqa: F401  (registers the metadata table of the outputs)
from rnnstruct.numerics import spectral

CLARK_REFERENCE = (
    "Engelken, Wolf & Abbott 2023, Lyapunov spectra of chaotic recurrent neural networks, Phys. Rev. Research 5:043044; "
    "Clark, Marschall, van Meegen & Litwin-Kumar 2025, Phys. Rev. X 15:041019"
)


def _iid_matrix(params: Mapping, kind: str, g: float, rep: int, N: int):
    key = ("lyapunov", kind, float(g), int(rep))
    J = float(g) * seeds.rng(params["seed"], key + ("matrix",)).standard_normal((N, N)) / np.sqrt(N)
    x0 = seeds.rng(params["seed"], key + ("init",)).uniform(-1.0, 1.0, N)
    Q0 = seeds.rng(params["seed"], key + ("tangent",)).standard_normal((N, N))
    return J, x0, Q0


def run_system(params: Mapping, kind: str, J: np.ndarray, x0: np.ndarray, k: int, Q0: np.ndarray):
    """One QR run of the map or the flow with the section's time settings (k exponents)."""
    sysp = params["lyapunov"][kind]
    Q = Q0[:, :k]
    if kind == "iid_map":
        return lyapunov.map_spectrum(
            J,
            x0,
            k,
            n_transient=int(sysp["transient"]),
            n_ons_transient=int(sysp["ons_transient"]),
            n_steps=int(sysp["total"]),
            qr_every=sysp["qr_every"],
            n_blocks=sysp["n_blocks"],
            seed_Q=Q,
        )
    lp = params["lyapunov"]
    return lyapunov.flow_spectrum(
        J,
        x0,
        k,
        phi=lp["flow_phi"],
        dt=lp["dt"],
        t_transient=sysp["transient"],
        t_ons_transient=sysp["ons_transient"],
        t_total=sysp["total"],
        qr_every=sysp["qr_every"],
        n_blocks=sysp["n_blocks"],
        seed_Q=Q,
    )


def _derived(exponents: np.ndarray, N: int) -> dict:
    return {
        "kaplan_yorke": lyapunov.kaplan_yorke_dimension(exponents),
        "ks_entropy": lyapunov.ks_entropy_rate(exponents),
        "unstable_fraction": lyapunov.unstable_fraction(exponents, N),
    }


def iid_system(params: Mapping, kind: str, progress: bool = True) -> xr.Dataset:
    """lambda_max versus g and full spectra at spectrum_g for the i.i.d. map or flow."""
    if kind not in ("iid_map", "iid_flow"):
        raise ValueError(f"kind must be 'iid_map' or 'iid_flow', got {kind!r}")
    sysp = params["lyapunov"][kind]
    N, R, nb = sysp["N"], sysp["reps"], sysp["n_blocks"]
    g_vals = grid_values(sysp["g"])
    g_spec = np.asarray(sysp["spectrum_g"], dtype=float)
    k = min(int(sysp["spectrum_k"]), N)
    lam = np.empty((len(g_vals), R))
    lam_blocks = np.empty((len(g_vals), R, nb))
    spec = np.empty((len(g_spec), R, k))
    spec_blocks = np.empty((len(g_spec), R, nb, k))
    block_time = None
    derived = {n: np.empty((len(g_spec), R)) for n in ("kaplan_yorke", "ks_entropy", "unstable_fraction")}
    diag = {n: np.empty((len(g_spec), R)) for n in ("max_log10_cond", "n_clipped")}
    jobs = [("curve", i, g, r) for i, g in enumerate(g_vals) for r in range(R)]
    jobs += [("spectrum", i, g, r) for i, g in enumerate(g_spec) for r in range(R)]
    for what, i, g, r in progress_bar(jobs, desc=kind, disable=not progress):
        J, x0, Q0 = _iid_matrix(params, kind, g, r, N)
        res = run_system(params, kind, J, x0, 1 if what == "curve" else k, Q0)
        block_time = res.block_time
        if what == "curve":
            lam[i, r] = res.exponents[0]
            lam_blocks[i, r] = res.block_sums[:, 0]
        else:
            spec[i, r] = res.exponents
            spec_blocks[i, r] = res.block_sums
            for name, val in _derived(res.exponents, N).items():
                derived[name][i, r] = val
            diag["max_log10_cond"][i, r] = res.max_log10_cond
            diag["n_clipped"][i, r] = res.n_clipped
    ds = xr.Dataset(
        {
            "lyap_max": (("g", "rep"), lam),
            "lyap_max_block_sums": (("g", "rep", "block"), lam_blocks),
            "exponents": (("g_spectrum", "rep", "index"), spec),
            "block_sums": (("g_spectrum", "rep", "block", "index"), spec_blocks),
            "block_time": (("block",), np.asarray(block_time, dtype=float)),
            **{name: (("g_spectrum", "rep"), val) for name, val in {**derived, **diag}.items()},
        },
        coords={
            "g": g_vals,
            "g_spectrum": g_spec,
            "rep": np.arange(R),
            "block": np.arange(nb),
            "index": np.arange(k),
        },
    )
    g_fine = np.linspace(max(g_vals.min(), 1e-3), g_vals.max(), 300)
    if kind == "iid_map":
        ds["lyap_max_theory"] = ("g_theory", [theory.lyapunov_max(float(g)) for g in g_fine])
        ds["lyap_max_theory"].attrs.update(
            long_name="mean-field largest Lyapunov exponent of the map",
            units="1",
            comment="1/2 log(g^2 int Dz sech^4(sqrt(q) z)); log g for g <= 1 (rnnstruct.metzner.theory)",
        )
    else:
        below = np.where(g_fine < 1.0, g_fine - 1.0, np.nan)
        ds["lyap_max_theory"] = ("g_theory", below)
        ds["lyap_max_theory"].attrs.update(
            long_name="largest Lyapunov exponent of the quiescent rate network",
            units="1",
            comment="-1 + g (per tau): the fixed point x = 0 with the circular-law edge g; above g = 1 no closed form is used",
            nan_meaning="g >= 1: chaotic phase, no closed-form prediction drawn",
        )
    ds = ds.assign_coords(g_theory=g_fine)
    base = "update steps" if kind == "iid_map" else "units of the time constant tau"
    names = ("lyap_max", "lyap_max_block_sums", "exponents", "block_sums", "ks_entropy", "lyap_max_theory", "block_time")
    return _time_base(ds, names, base)


def _time_base(ds: xr.Dataset, names, base: str) -> xr.Dataset:
    """State the time base in each name (UDUNITS has no "per update step": units stay "1")."""
    for name in names:
        ds[name].attrs["long_name"] = f"{variables.VARIABLES[name]['long_name']} (time in {base})"
    return ds


def regularity_spectra(params: Mapping, reg: str, progress: bool = True) -> xr.Dataset:
    """Full Lyapunov spectra (k = N) of one Metzner regularity at selected (w, b), every control value."""
    lp = params["lyapunov"]["regularities"]
    N = params["N"]
    controls = params["regularities"][reg]["controls"]
    points = [(float(p["w"]), float(p["b"])) for p in lp["points"]]
    R, nb = lp["reps"], lp["n_blocks"]
    shape = (len(controls), len(points), R)
    expo = np.empty(shape + (N,))
    blocks = np.empty(shape + (nb, N))
    derived = {n: np.empty(shape) for n in ("kaplan_yorke", "ks_entropy", "unstable_fraction")}
    summary = {n: np.empty(shape) for n in ("spectral_radius", "singular_pr", "max_log10_cond", "n_clipped")}
    eig_re, eig_im, sing = (np.empty(shape + (N,)) for _ in range(3))
    block_time = None
    jobs = [(c, p, r) for c in range(len(controls)) for p in range(len(points)) for r in range(R)]
    for c, p, r in progress_bar(jobs, desc=f"lyapunov {reg}", disable=not progress):
        w, b = points[p]
        W, _ = regularity_matrix(params, reg, w, b, r, controls[c])
        key = ("lyapunov", "metzner", w, b, r)  # not keyed by the regularity: control 0 is the same run
        x0 = seeds.rng(params["seed"], key + ("init",)).uniform(-1.0, 1.0, N)
        Q0 = seeds.rng(params["seed"], key + ("tangent",)).standard_normal((N, N))
        res = lyapunov.map_spectrum(
            W,
            x0,
            N,
            n_transient=lp["n_transient"],
            n_ons_transient=lp["n_ons_transient"],
            n_steps=lp["n_steps"],
            qr_every=lp["qr_every"],
            n_blocks=nb,
            seed_Q=Q0,
        )
        block_time = res.block_time
        expo[c, p, r] = res.exponents
        blocks[c, p, r] = res.block_sums
        for name, val in _derived(res.exponents, N).items():
            derived[name][c, p, r] = val
        summ = spectral.spectrum_summary(W)
        summary["spectral_radius"][c, p, r] = summ["spectral_radius"]
        summary["singular_pr"][c, p, r] = summ["pr_singular"]
        eig_re[c, p, r], eig_im[c, p, r] = summ["eigenvalues"].real, summ["eigenvalues"].imag
        sing[c, p, r] = summ["singular_values"]
        summary["max_log10_cond"][c, p, r] = res.max_log10_cond
        summary["n_clipped"][c, p, r] = res.n_clipped
    dims = ("ctrl", "point", "rep")
    ds = xr.Dataset(
        {
            "exponents": (dims + ("index",), expo),
            "block_sums": (dims + ("block", "index"), blocks),
            "block_time": (("block",), np.asarray(block_time, dtype=float)),
            **{name: (dims, val) for name, val in {**derived, **summary}.items()},
            "eigval_re": (dims + ("eig",), eig_re),
            "eigval_im": (dims + ("eig",), eig_im),
            "singular_values": (dims + ("eig",), sing),
        },
        coords={
            "ctrl": np.asarray(controls, dtype=float),
            "eig": np.arange(N),
            "point": np.arange(len(points)),
            "point_w": ("point", [p[0] for p in points]),
            "point_b": ("point", [p[1] for p in points]),
            "rep": np.arange(R),
            "block": np.arange(nb),
            "index": np.arange(N),
        },
    )
    return _time_base(ds, ("exponents", "block_sums", "ks_entropy", "block_time"), "update steps")


def numerics(params: Mapping, progress: bool = True) -> xr.Dataset:
    """Convergence of the discrete-map spectrum: versus run length and QR interval (smallest N), and versus N."""
    cfg = params["lyapunov"]["numerics"]
    base = params["lyapunov"]["iid_map"]
    g, R = float(cfg["g"]), cfg["reps"]
    N0 = min(cfg["N_values"])

    def run(N, n_steps, qr_every, rep):
        key = ("lyapunov", "numerics", g, N, rep)
        J = g * seeds.rng(params["seed"], key + ("matrix",)).standard_normal((N, N)) / np.sqrt(N)
        x0 = seeds.rng(params["seed"], key + ("init",)).uniform(-1.0, 1.0, N)
        Q0 = seeds.rng(params["seed"], key + ("tangent",)).standard_normal((N, N))
        res = lyapunov.map_spectrum(
            J,
            x0,
            N,
            n_transient=int(base["transient"]),
            n_ons_transient=int(base["ons_transient"]),
            n_steps=int(n_steps),
            qr_every=qr_every,
            n_blocks=base["n_blocks"],
            seed_Q=Q0,
        )
        ex = res.exponents
        return np.array(
            [
                ex[0],
                ex[N // 2],
                ex[-1],
                lyapunov.kaplan_yorke_dimension(ex) / N,
                ex.mean(),
                res.max_log10_cond,
            ]
        )

    quantities = [
        "lambda_1",
        "lambda_median",
        "lambda_N",
        "kaplan_yorke_fraction",
        "mean_exponent",
        "max_log10_cond",
    ]
    default_steps, default_qr = int(base["total"]), base["qr_every"]
    sweeps = {
        "n_steps": [(N0, n, default_qr) for n in cfg["n_steps_values"]],
        "qr_every": [(N0, default_steps, q) for q in cfg["qr_every_values"]],
        "N": [(n, default_steps, default_qr) for n in cfg["N_values"]],
    }
    data = {}
    total = sum(len(v) for v in sweeps.values()) * R
    bar = progress_bar(total=total, desc="numerics", disable=not progress)
    for name, settings in sweeps.items():
        vals = np.empty((len(settings), R, len(quantities)))
        for i, (N, n, q) in enumerate(settings):
            for r in range(R):
                vals[i, r] = run(N, n, q, r)
                bar.update()
        data[f"by_{name}"] = ((f"{name}_value", "rep", "quantity"), vals)
    bar.close()
    return xr.Dataset(
        data,
        coords={
            "n_steps_value": cfg["n_steps_values"],
            "qr_every_value": cfg["qr_every_values"],
            "N_value": cfg["N_values"],
            "rep": np.arange(R),
            "quantity": quantities,
        },
    )


META = {
    "iid": dict(
        stage="lyapunov.iid",
        title="Lyapunov exponents of the i.i.d. random network",
        summary="lambda_max versus g (one tangent vector) and full Lyapunov spectra at selected g by the QR method, "
        "with the per-block sums of log|diag R| for error bars and the derived Kaplan-Yorke dimension, KS entropy "
        "rate and unstable fraction.",
        references=CLARK_REFERENCE,
    ),
    "regularity": dict(
        stage="lyapunov.metzner_regularity",
        title="Lyapunov spectra of a Metzner regularity versus its control",
        summary="Full Lyapunov spectra (k = N) at selected (w, b) points for every control value, with derived "
        "dimensions and entropy, and the spectral radius and singular-value participation ratio of each W.",
        references=CLARK_REFERENCE,
    ),
    "numerics": dict(
        stage="lyapunov.numerics",
        title="Convergence of the QR Lyapunov spectrum",
        summary="lambda_1, the median exponent, lambda_N, the Kaplan-Yorke fraction and the mean exponent versus run "
        "length, QR interval and network size.",
        references=CLARK_REFERENCE,
    ),
}
