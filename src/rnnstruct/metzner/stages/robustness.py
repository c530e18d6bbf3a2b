"""Metzner et al. 2025: the claims across the [RECON] choices (``docs/models/metzner2025.md#robustness``).

Every verdict of ``rnnstruct.metzner.claims`` rests on reconstruction choices.  This stage recomputes the
claims with one choice at a time moved from the configured default to each of its alternatives (plus the
listed pairs of choices that interact), on a reduced sweep (``metzner.robustness``: its own (w, b) grid,
realisations and control values; everything else as configured), and stores per claim, choice and
alternative the paired difference Δ ± SE and the verdict under the unchanged rules, for four summary
statistics of a realisation's accuracy over the grid:

``grid_mean``      the mean over the (w, b) grid (the statistic of ``claims.evaluate_claims``);
``best``           the best (w, b) point's accuracy;
``edge``           the mean over the edge-of-chaos band |lambda_max| < ``edge_band`` (autonomous runs), or over
                   the point(s) nearest to lambda_max = 0 where a realisation has none in the band;
``nonsaturated``   the mean over the points whose saturated fraction S < ``nonsaturated_max``.

For every alternative it also records the realised element mean and variance and the spectral radius of W
per control value (averaged over the grid and realisations), so that an effect of a construction's changed
marginal (e.g. Hopfield ``mixing`` scales the element variance by up to 1.5) can be told from an effect of
the regularity itself.

A run is named by its settings, ``default`` or ``<choice>-<value>[__<choice>-<value>]`` (one job each).
A run computes only the claims its choices can move (``CHOICES``); the others are taken from the default
run at the merge and flagged ``affected = 0``.  Seeds: as in the regularity sweeps, keyed by (w, b, rep),
so every alternative uses the same base factors, task and initial states (common random numbers).
"""

from __future__ import annotations

from typing import Iterable, Mapping

import numpy as np
import xarray as xr

from rnnstruct.core import chunks
from rnnstruct.core.grids import grid_values
from rnnstruct.metzner import claims as mclaims
from rnnstruct.metzner.robustness import STATISTICS, VERDICT_UNDEFINED, _label, default_value, run_params, runs
from rnnstruct.metzner.stages.base import PAPER_REFERENCE
from rnnstruct.metzner.stages.regularities import regularity_matrix, regularity_rows

CTRL_ATTRS = {
    "long_name": "control value",
    "units": "1",
    "comment": "m, r or q: the same values for every regularity (metzner.robustness.controls)",
}


def _statistics(acc: xr.DataArray, dyn: xr.Dataset, rob: Mapping) -> dict:
    """Per-realisation accuracy summaries (ctrl, rep) of every statistic."""
    grid = ("w", "b")
    lam = np.abs(dyn["lyap_max"])
    band = lam < rob["edge_band"]
    # a realisation without a point in the band (a coarse grid) uses its point(s) nearest to lambda_max = 0
    edge = xr.where(band.any(grid), band, lam == lam.min(grid))
    calm = dyn["sat_frac"] < rob["nonsaturated_max"]
    return {
        "grid_mean": acc.mean(grid),
        "best": acc.max(grid),
        "edge": acc.where(edge).mean(grid),
        "nonsaturated": acc.where(calm).mean(grid),
    }


def _weights(p: Mapping, reg: str, w_vals, b_vals, reps: int, controls) -> dict:
    """Realised |element mean|, element variance of W per control value, averaged over grid and reps."""
    mean = np.zeros(len(controls))
    var = np.zeros(len(controls))
    n = len(w_vals) * len(b_vals) * reps
    for c, ctrl in enumerate(controls):
        for w in w_vals:
            for b in b_vals:
                for rep in range(reps):
                    W, _ = regularity_matrix(p, reg, float(w), float(b), rep, float(ctrl))
                    mean[c] += abs(W.mean()) / n
                    var[c] += W.var() / n
    return {"weight_abs_mean": mean, "weight_var": var}


def robustness_run(params: Mapping, run_id: str, batch_size: int = 16, progress: bool = True) -> xr.Dataset:
    """Claims of one run (see :func:`rnnstruct.metzner.robustness.runs`): dims (regularity, statistic[, ctrl_index])."""
    spec = {r["id"]: r for r in runs(params)}
    if run_id not in spec:
        raise ValueError(f"unknown robustness run {run_id!r}; runs of this config: {', '.join(spec)}")
    run = spec[run_id]
    p = run_params(params, run["settings"])
    rob = p["robustness"]
    controls = [float(c) for c in rob["controls"]]
    w_vals, b_vals = grid_values(p["regularities"]["grid"]["w"]), grid_values(p["regularities"]["grid"]["b"])
    regs = run["claims"]
    n_c, n_s = len(controls), len(STATISTICS)
    num = {k: np.full((len(regs), n_s), np.nan) for k in ("delta", "delta_se")}
    code = np.full((len(regs), n_s), VERDICT_UNDEFINED, dtype=np.int8)
    mono = np.zeros((len(regs), n_s), dtype=np.int8)
    acc_mean = np.full((len(regs), n_c, n_s), np.nan)
    sat = {k: np.full(len(regs), np.nan) for k in ("sat_delta", "sat_delta_se")}
    per_ctrl = {k: np.full((len(regs), n_c), np.nan) for k in ("sat_frac_mean", "lyap_max_mean", "spectral_radius_mean", "weight_abs_mean", "weight_var")}
    rows = list(range(len(w_vals)))
    for g, reg in enumerate(regs):
        parts = [regularity_rows(p, reg, c, rows, batch_size=batch_size, progress=progress) for c in range(n_c)]
        opts = dict(data_vars="minimal", coords="minimal", compat="equals", join="exact")
        dyn = xr.concat([d for d, _ in parts], "ctrl", **opts)
        res = xr.concat([r for _, r in parts], "ctrl", **opts)
        sat_rep = dyn["sat_frac"].mean(("w", "b"))
        for s, (name, per_rep) in enumerate(_statistics(res["accuracy"], dyn, rob).items()):
            acc_mean[g, :, s] = per_rep.mean("rep").values
            if not np.all(np.isfinite(per_rep.values)):
                continue  # the statistic is undefined for some realisation: verdict stays undefined
            numbers = mclaims.claim_numbers(reg, per_rep, sat_rep)
            num["delta"][g, s], num["delta_se"][g, s] = numbers["delta"], numbers["delta_se"]
            code[g, s], mono[g, s] = numbers["verdict"], numbers["monotone"]
            if name == "grid_mean":
                sat["sat_delta"][g], sat["sat_delta_se"][g] = numbers["sat_delta"], numbers["sat_delta_se"]
        per_ctrl["sat_frac_mean"][g] = sat_rep.mean("rep").values
        per_ctrl["lyap_max_mean"][g] = dyn["lyap_max"].where(np.isfinite(dyn["lyap_max"])).mean(("w", "b", "rep")).values
        per_ctrl["spectral_radius_mean"][g] = dyn["spectral_radius"].mean(("w", "b", "rep")).values
        wts = _weights(p, reg, w_vals, b_vals, rob["reps"], controls)
        per_ctrl["weight_abs_mean"][g], per_ctrl["weight_var"][g] = wts["weight_abs_mean"], wts["weight_var"]
    cs = ("regularity", "statistic")
    data = {
        "claim_delta": (cs, num["delta"]),
        "claim_delta_se": (cs, num["delta_se"]),
        "claim_verdict": (cs, code),
        "claim_monotone": (cs, mono),
        "summary_accuracy": (("regularity", "ctrl_index", "statistic"), acc_mean),
        **{k: ("regularity", v) for k, v in sat.items()},
        **{k: (("regularity", "ctrl_index"), v) for k, v in per_ctrl.items()},
    }
    coords = {
        "regularity": regs,
        "statistic": list(STATISTICS),
        "ctrl_index": np.arange(n_c),
        "ctrl": ("ctrl_index", np.asarray(controls), CTRL_ATTRS),
        "run_id": run_id,
    }
    return xr.Dataset(data, coords=coords)


def merge(params: Mapping, parts: Iterable[xr.Dataset]) -> xr.Dataset:
    """robustness.nc: dims (regularity, choice, alternative, statistic[, ctrl_index]).

    ``choice`` holds every single choice and every pair (``"task+input_scale"``); along ``alternative`` the
    first entry of every choice is the default run and the others its alternatives (``alternative_valid``
    = 0 and NaN where a choice has fewer).  Claims a choice cannot move are copied from the default run
    (``affected`` = 0).  Every run file must have been computed with ``params`` (checked), and the runs
    must be exactly those of the configuration.
    """
    parts = list(parts)
    chunks.check_provenance(parts, params)
    by_id: dict[str, xr.Dataset] = {}
    for ds in parts:
        rid = str(ds["run_id"].values)
        if rid in by_id:
            raise chunks.ChunkError(f"robustness run {rid!r} twice: {chunks.source(by_id[rid])} and {chunks.source(ds)}")
        by_id[rid] = ds
    specs = runs(params)
    missing = [r["id"] for r in specs if r["id"] not in by_id]
    extra = sorted(set(by_id) - {r["id"] for r in specs})
    if missing or extra:
        raise chunks.ChunkError(f"robustness runs missing: {missing}; not runs of this config: {extra}")
    default = by_id["default"]
    regs = list(default["regularity"].values)
    groups: dict[str, list[dict]] = {}
    for r in specs[1:]:
        groups.setdefault("+".join(r["settings"]), []).append(r)
    choices = list(groups)
    n_alt = 1 + max((len(v) for v in groups.values()), default=0)
    shape = (len(regs), len(choices), n_alt)
    n_s, n_c = default.sizes["statistic"], default.sizes["ctrl_index"]
    stat_names = ("claim_delta", "claim_delta_se")
    by_stat = {k: np.full(shape + (n_s,), np.nan) for k in stat_names}
    ints = {
        "claim_verdict": np.full(shape + (n_s,), VERDICT_UNDEFINED, dtype=np.int8),
        "claim_monotone": np.zeros(shape + (n_s,), dtype=np.int8),
    }
    acc_mean = np.full(shape + (n_c, n_s), np.nan)
    scal = {k: np.full(shape, np.nan) for k in ("sat_delta", "sat_delta_se")}
    pc_names = ("sat_frac_mean", "lyap_max_mean", "spectral_radius_mean", "weight_abs_mean", "weight_var")
    per_ctrl = {k: np.full(shape + (n_c,), np.nan) for k in pc_names}
    affected = np.zeros(shape[:2], dtype=np.int8)
    labels = np.full(shape[1:], "", dtype=object)
    valid = np.zeros(shape[1:], dtype=np.int8)
    for k, choice in enumerate(choices):
        names = choice.split("+")
        for a, r in enumerate([None] + groups[choice]):
            ds = default if r is None else by_id[r["id"]]
            if r is None:
                labels[k, a] = ", ".join(_label(default_value(params, c)) for c in names) + " (default)"
            else:
                labels[k, a] = ", ".join(_label(r["settings"][c]) for c in names)
            valid[k, a] = 1
            for g, reg in enumerate(regs):
                own = reg in ds["regularity"].values
                if a > 0 and own:
                    affected[g, k] = 1
                sel = (ds if own else default).sel(regularity=reg)
                for arr_map in (by_stat, ints, scal, per_ctrl):
                    for name, arr in arr_map.items():
                        arr[g, k, a] = sel[name].values
                acc_mean[g, k, a] = sel["summary_accuracy"].values
    dims = ("regularity", "choice", "alternative")
    data = {
        **{k: (dims + ("statistic",), v) for k, v in {**by_stat, **ints}.items()},
        "summary_accuracy": (dims + ("ctrl_index", "statistic"), acc_mean),
        **{k: (dims, v) for k, v in scal.items()},
        **{k: (dims + ("ctrl_index",), v) for k, v in per_ctrl.items()},
        "affected": (("regularity", "choice"), affected),
        "claim": ("regularity", [mclaims.CLAIMS[r]["text"] for r in regs]),
    }
    coords = {
        "regularity": regs,
        "choice": choices,
        "alternative": np.arange(n_alt),
        "alternative_label": (("choice", "alternative"), labels.astype(str)),
        "alternative_valid": (("choice", "alternative"), valid),
        "statistic": list(STATISTICS),
        "ctrl_index": np.arange(n_c),
        "ctrl": ("ctrl_index", default["ctrl"].values, CTRL_ATTRS),
    }
    ds = xr.Dataset(data, coords=coords)
    ds["claim_verdict"].attrs.update(
        flag_values=[VERDICT_UNDEFINED, 0, 1, 2], flag_meanings="undefined " + " ".join(mclaims.VERDICTS)
    )
    return ds


META = {
    "run": dict(
        stage="metzner.robustness.run",
        title="Metzner claims under one setting of the reconstruction choices",
        summary="Paired accuracy difference, SE and verdict per claim and summary statistic for one run of the "
        "robustness stage (merged into robustness.nc).",
        references=PAPER_REFERENCE,
    ),
    "merge": dict(
        stage="metzner.robustness",
        title="Metzner claims across the reconstruction choices",
        summary="Per claim, [RECON] choice and alternative: paired difference (last minus first control value), its "
        "standard error and the verdict of rnnstruct.metzner.claims for four summary statistics, with the realised "
        "element mean, variance and spectral radius of W per control value.",
        references=PAPER_REFERENCE,
        comment="One choice at a time from the configured default, plus the listed pairs; reduced sweep of "
        "metzner.robustness (docs/models/metzner2025.md#robustness).",
    ),
}
