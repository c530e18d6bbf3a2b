"""Metzner et al. 2025, base (w, b, d) ensemble: stage builders (parameters in, xarray out).

Seed keys (see :mod:`rnnstruct.core.seeds`): one realisation of the base ensemble at (w, b, rep) is
keyed ``("metzner", "wbd", w, b, rep, stream)`` with streams ``"matrix"`` (the factors of W),
``"init"`` (x(0)) and ``"tangent"`` (v(0)).  The key holds parameter *values*, so a point
gets the same matrix whatever grid, chunk or batch it is computed in, and the example matrices
of the ensemble file are exactly the matrices simulated at the same (w, b, rep).  The
mean-field validation uses its own family ``("metzner", "meanfield", w, rep, stream)``.

Parameter dictionaries (``params``) are the validated config sections; every key is listed in
``workflow/schemas/metzner.schema.yaml``.
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping, Sequence

import numpy as np
import xarray as xr
from rnnstruct.core.progress import progress as progress_bar

from rnnstruct.metzner import dynamics, ensembles, spectra, theory
from rnnstruct.core import seeds
from rnnstruct.core import chunks
from rnnstruct.core.grids import grid_values
from rnnstruct.numerics import spectral

PAPER_REFERENCE = (
    "Metzner, Schilling, Maier & Krauss 2025, Organizational Regularities in Recurrent Neural Networks, "
    "Front. Complex Syst. 3, doi:10.3389/fcpxs.2025.1636222 (arXiv:2505.22047)"
)
MEANFIELD_REFERENCE = (
    "Molgedey, Schuchhardt & Schuster 1992, Phys. Rev. Lett. 69:3717; "
    "Clark, Abbott & Litwin-Kumar 2023, Phys. Rev. Lett. 131:118401"
)


def realisation_key(w: float, b: float, rep: int) -> tuple:
    return ("metzner", "wbd", float(w), float(b), int(rep))


def base_realisation(params: Mapping, w: float, b: float, rep: int, n_traj: int = 1):
    """(W, x0, v0) of one realisation: W (N, N), x0 and v0 (N, n_traj)."""
    seed, N = params["seed"], params["N"]
    key = realisation_key(w, b, rep)
    W = ensembles.base_matrix(
        N,
        w,
        b,
        seeds.rng(seed, key + ("matrix",)),
        density=params["density"],
        balance_mode=params["balance_mode"],
        self_connections=params["self_connections"],
    )
    a = params["init_scale"]
    x0 = seeds.rng(seed, key + ("init",)).uniform(-a, a, (N, n_traj))
    v0 = seeds.rng(seed, key + ("tangent",)).standard_normal((N, n_traj))
    return W, x0, v0


def _thresholds(dyn: Mapping) -> dynamics.RegimeThresholds:
    return dynamics.RegimeThresholds(
        fixed_point_fluctuation=dyn["fixed_point_tol"],
        quiescent_amplitude=dyn["quiescent_tol"],
        chaos_lyapunov=dyn["chaos_threshold"],
    )


# ---------------------------------------------------------------------------------------------
# ensemble examples
# ---------------------------------------------------------------------------------------------


def ensemble_examples(params: Mapping) -> xr.Dataset:
    """Example matrices of the base ensemble, their eigenvalues and realised vs predicted statistics."""
    N = params["N"]
    ex = params["examples"]
    points = [(float(w), float(b), int(r)) for w in ex["w"] for b in ex["b"] for r in range(ex["reps"])]
    n_ex = len(points)
    Ws = np.empty((n_ex, N, N))
    ev_re = np.empty((n_ex, N))
    ev_im = np.empty((n_ex, N))
    stats = {
        k: np.empty(n_ex)
        for k in ("mean", "var", "bulk_radius", "bulk_radius_rms", "outlier_re", "outlier_im")
    }
    pred = {k: np.empty(n_ex) for k in ("mean_theory", "var_theory", "bulk_radius_theory", "outlier_theory")}
    for k, (w, b, rep) in enumerate(points):
        W, _, _ = base_realisation(params, w, b, rep)
        Ws[k] = W
        ev = spectral.eigenvalues(W)
        ev_re[k], ev_im[k] = ev.real, ev.imag
        p = spectra.base_predictions(N, w, b, params["density"], params["balance_mode"])
        outlier, bulk = spectral.split_outlier(ev, p["outlier"], p["bulk_radius"])
        stats["mean"][k] = W.mean()
        stats["var"][k] = W.var()
        stats["bulk_radius"][k] = spectral.bulk_radius_max(bulk)
        stats["bulk_radius_rms"][k] = spectral.bulk_radius_rms(bulk)
        stats["outlier_re"][k], stats["outlier_im"][k] = outlier.real, outlier.imag
        for name in ("mean", "var", "bulk_radius", "outlier"):
            pred[f"{name}_theory"][k] = p[name]
    coords = {
        "example": np.arange(n_ex),
        "post": np.arange(N),
        "pre": np.arange(N),
        "eig": np.arange(N),
        "example_w": ("example", [p[0] for p in points]),
        "example_b": ("example", [p[1] for p in points]),
        "example_rep": ("example", [p[2] for p in points]),
    }
    data = {
        "W": (("example", "post", "pre"), Ws),
        "eigval_re": (("example", "eig"), ev_re),
        "eigval_im": (("example", "eig"), ev_im),
    }
    data.update({k: ("example", v) for k, v in {**stats, **pred}.items()})
    return xr.Dataset(data, coords=coords)


# ---------------------------------------------------------------------------------------------
# dynamics sweep over (w, b, rep)
# ---------------------------------------------------------------------------------------------


def measure_settings(dyn: Mapping) -> dict:
    """The simulate() keywords that the dynamics section fixes (thresholds of the measures)."""
    return {
        "sat_threshold": dyn["sat_threshold"],
        "max_period": dyn["max_period"],
        "period_tol": dyn["period_tol"],
    }


def autonomous_measures(
    params: Mapping, Ws: np.ndarray, X0: np.ndarray, V0: np.ndarray, labels: list
) -> dict:
    """Autonomous-run measures of a stack of matrices (one trajectory each): name -> (R,) arrays.

    Runs the compiled sweep kernel (:func:`rnnstruct.metzner.kernel.simulate_stack`), equal to the numpy
    reference ``dynamics.simulate`` to float64 round-off."""
    from rnnstruct.metzner import kernel  # JAX is imported only by the stages that run it

    dyn = params["dynamics"]
    res = kernel.simulate_stack(
        Ws,
        X0,
        v0=V0,
        n_transient=dyn["n_transient"],
        n_measure=dyn["n_measure"],
        labels=labels,
        **measure_settings(dyn),
    )
    out = {name: res.measures[name][:, 0] for name in dynamics.MEASURES}
    ev = [np.linalg.eigvals(W) for W in Ws]
    out["spectral_radius"] = np.array([np.abs(e).max() for e in ev])
    out["max_real_eig"] = np.array([e.real.max() for e in ev])
    return out


def sweep(
    params: Mapping,
    w_vals: np.ndarray,
    b_vals: np.ndarray,
    reps: int,
    realise: Callable[[float, float, int], tuple],
    evaluate: Callable[[list, list, list, list, list], dict],
    batch_size: int = 16,
    progress: bool = True,
    desc: str = "sweep",
) -> dict:
    """Evaluate every (w, b, rep) point in stacks of ``batch_size`` matrices.

    ``realise(w, b, rep)`` returns (W, x0, v0, label); ``evaluate(points, Ws, X0, V0, labels)`` returns
    name -> array whose first axis runs over the stack.  Returns name -> array of shape
    (len(w_vals), len(b_vals), reps, ...).  The batch layout depends only on the row's points, never on
    how rows are grouped into jobs, and stacked products are computed matrix by matrix, so results do
    not depend on batch_size either.
    """
    jobs = [(i, j, r) for i in range(len(w_vals)) for j in range(len(b_vals)) for r in range(reps)]
    batches = [jobs[k : k + batch_size] for k in range(0, len(jobs), batch_size)]
    out: dict = {}
    bar = progress_bar(batches, desc=desc, unit="batch", disable=not progress)
    for batch in bar:
        points = [(float(w_vals[i]), float(b_vals[j]), r) for i, j, r in batch]
        made = [realise(*pt) for pt in points]
        Ws, X0, V0, labels = (list(x) for x in zip(*made))
        res = evaluate(points, Ws, X0, V0, labels)
        for name, val in res.items():
            if name not in out:
                out[name] = np.empty((len(w_vals), len(b_vals), reps) + val.shape[1:], dtype=val.dtype)
            for k, (i, j, r) in enumerate(batch):
                out[name][i, j, r] = val[k]
    return out


def dynamics_rows(
    params: Mapping, w_indices: Sequence[int], batch_size: int = 16, progress: bool = True
) -> xr.Dataset:
    """Autonomous dynamics for the w-rows ``w_indices`` of the (w, b) grid, all b and reps.

    One matrix per (w, b, rep) with one initial state and one tangent vector; matrices are
    simulated in stacks of ``batch_size`` (a performance setting that does not change results:
    stacked products are computed slice by slice).
    """
    w_vals = grid_values(params["grid"]["w"])[list(w_indices)]
    b_vals = grid_values(params["grid"]["b"])

    def realise(w, b, rep):
        W, x0, v0 = base_realisation(params, w, b, rep)
        return W, x0, v0, f"w={w:g}, b={b:g}, rep={rep} (N={params['N']})"

    def evaluate(points, Ws, X0, V0, labels):
        return autonomous_measures(params, np.stack(Ws), np.stack(X0), np.stack(V0), labels)

    out = sweep(
        params,
        w_vals,
        b_vals,
        params["reps"],
        realise,
        evaluate,
        batch_size,
        progress,
        desc=f"dynamics w={w_vals[0]:g}..{w_vals[-1]:g}",
    )
    regime = dynamics.classify_regime(
        out["mean_abs"], out["fluctuation"], out["lyap_max"], out["period"], _thresholds(params["dynamics"])
    )
    dims = ("w", "b", "rep")
    data = {name: (dims, val) for name, val in out.items()}
    data["regime"] = (dims, regime)
    return xr.Dataset(data, coords={"w": w_vals, "b": b_vals, "rep": np.arange(params["reps"])})


def merge_rows(params: Mapping, parts: Iterable[xr.Dataset]) -> xr.Dataset:
    """Join the w-row chunks of the base sweep (every w of the grid exactly once, sorted)."""
    return chunks.concat(list(parts), "w", expected={"w": grid_values(params["grid"]["w"])}, params=params)


# ---------------------------------------------------------------------------------------------
# mean-field validation at b = 0
# ---------------------------------------------------------------------------------------------


def meanfield_validation(params: Mapping, progress: bool = True) -> xr.Dataset:
    """Simulated lambda_max and participation ratios at b = 0 against mean-field theory vs w.

    ``params`` is the ``metzner`` section; its ``validation`` subsection sets N, the w grid,
    realisations, trajectories per matrix, time windows and covariance blocks.
    """
    val = params["validation"]
    dyn = params["dynamics"]
    N, R, B = val["N"], val["reps"], val["trajectories"]
    w_vals = grid_values(val["w"])
    shape = (len(w_vals), R)
    lyap_traj = np.empty(shape + (B,))
    res_vars = {k: np.full(shape, np.nan) for k in ("pr_x", "pr_x_se", "pr_x_naive", "pr_h", "pr_h_se")}
    scalar = {k: np.empty(shape) for k in ("mean_abs", "fluctuation", "spectral_radius")}
    pts = [(i, r) for i in range(len(w_vals)) for r in range(R)]
    for i, r in progress_bar(pts, desc="mean-field validation", disable=not progress):
        w = float(w_vals[i])
        key = ("metzner", "meanfield", w, r)
        W = ensembles.base_matrix(
            N, w, 0.0, seeds.rng(params["seed"], key + ("matrix",)), density=1.0, balance_mode="sign_prob"
        )
        x0 = seeds.rng(params["seed"], key + ("init",)).uniform(
            -params["init_scale"], params["init_scale"], (N, B)
        )
        v0 = seeds.rng(params["seed"], key + ("tangent",)).standard_normal((N, B))
        res = dynamics.simulate(
            W,
            x0,
            v0=v0,
            n_transient=val["n_transient"],
            n_measure=val["n_measure"],
            cov_blocks=val["cov_blocks"],
            **measure_settings(dyn),
            labels=[f"w={w:g}, b=0, rep={r} (N={N}, mean-field validation)"],
        )
        lyap_traj[i, r] = res.measures["lyap_max"]
        scalar["mean_abs"][i, r] = res.measures["mean_abs"].mean()
        scalar["fluctuation"][i, r] = res.measures["fluctuation"].mean()
        scalar["spectral_radius"][i, r] = np.abs(np.linalg.eigvals(W)).max()
        if res.measures["fluctuation"].min() > dyn["fixed_point_tol"]:  # PR only for active networks
            pr, se, naive = dynamics.participation_ratio_blocks(res.cov_n, res.cov_s1, res.cov_s2)
            prh, seh, _ = dynamics.participation_ratio_blocks(res.cov_n, res.cov_s1, res.cov_s2, W=W)
            res_vars["pr_x"][i, r], res_vars["pr_x_se"][i, r], res_vars["pr_x_naive"][i, r] = pr, se, naive
            res_vars["pr_h"][i, r], res_vars["pr_h_se"][i, r] = prh, seh
    lo = max(float(w_vals.min()), 1e-3)
    w_th = np.round(np.unique(np.concatenate([np.linspace(lo, float(w_vals.max()), 400), [1.0]])), 12)
    w_th = w_th[(w_th >= lo) & (w_th <= float(w_vals.max()))]
    curves = theory.meanfield_curves(w_th)
    data = {
        "lyap_max": (("w", "rep"), lyap_traj.mean(axis=2)),
        "lyap_max_traj": (("w", "rep", "traj"), lyap_traj),
        **{k: (("w", "rep"), v) for k, v in {**res_vars, **scalar}.items()},
        "lyap_max_theory": ("w_theory", curves["lyap_max"]),
        "pr_x_theory": ("w_theory", curves["pr_x"]),
        "pr_h_theory": ("w_theory", curves["pr_h"]),
        "q_theory": ("w_theory", curves["q"]),
    }
    coords = {"w": w_vals, "rep": np.arange(R), "traj": np.arange(B), "w_theory": w_th}
    ds = xr.Dataset(data, coords=coords)
    ds["lyap_max_theory_at_w"] = ("w", np.array([theory.lyapunov_max(float(w)) for w in w_vals]))
    ds["pr_x_theory_at_w"] = ("w", np.array([theory.participation_ratio_states(float(w)) for w in w_vals]))
    return ds


META = {
    "ensemble": dict(
        stage="metzner.ensemble.base",
        title="Metzner base (w, b, d) ensemble: example matrices and eigenvalues",
        summary="Example weight matrices of the base ensemble, their eigenvalues (real/imaginary parts) and "
        "realised mean, variance, bulk radius and outlier against the random-matrix predictions.",
        references=PAPER_REFERENCE,
        comment="Ensemble construction is a [RECON] reconstruction (docs/models/metzner2025.md#base-ensemble).",
    ),
    "dynamics_rows": dict(
        stage="metzner.dynamics.base.rows",
        title="Metzner base ensemble: autonomous dynamics, one chunk of w rows",
        summary="Dynamical measures per (w, b, rep) for a chunk of w rows (merged into dynamics/base.nc).",
        references=PAPER_REFERENCE,
    ),
    "dynamics": dict(
        stage="metzner.dynamics.base",
        title="Metzner base ensemble: autonomous dynamics over (w, b)",
        summary="Saturation, fluctuation, lag-1 correlation, global mean, largest Lyapunov exponent, period and "
        "regime of x(t+1) = tanh(W x(t)) per (w, b, rep), plus the spectral radius of W.",
        references=PAPER_REFERENCE,
        comment="Measures and regime thresholds are [RECON] choices (docs/models/metzner2025.md#measures).",
    ),
    "meanfield": dict(
        stage="metzner.validation.meanfield",
        title="Mean-field validation of the discrete tanh map at b = 0",
        summary="Simulated largest Lyapunov exponent and participation ratios of states and fields against "
        "mean-field theory for i.i.d. Gaussian couplings, versus w.",
        references=MEANFIELD_REFERENCE,
    ),
}
