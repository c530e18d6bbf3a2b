"""Metzner et al. 2025, the three regularities: ensembles, dynamics and reservoir sweeps.

Every realisation starts from the base factors of the same key as the base ensemble,
``("metzner", "wbd", w, b, rep, "matrix")``, so control 0 reproduces the base matrix bit for bit
and every control value of a realisation shares the same base factors (common random numbers:
differences between control values are not blurred by different draws).  The regularity's own
randomness comes from the stream named after it (``"dale"``, ``"hopfield"``, ``"modular"``), the
reservoir's from ``"input"`` (Win), ``"task-instance"``, ``"task-stream"``, ``"reservoir-init"`` and
``"reservoir-tangent"``; none depends on the control value, so the task and the input matrix of a
realisation are the same at every control value.
"""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

import numpy as np
import xarray as xr

from rnnstruct.metzner import dynamics, ensembles, reservoir, spectra
from rnnstruct.core import seeds
from rnnstruct.core import chunks
from rnnstruct.core.grids import grid_values
from rnnstruct.metzner.stages.base import PAPER_REFERENCE, _thresholds, autonomous_measures, realisation_key, sweep
from rnnstruct.numerics import spectral

REGULARITIES = ("dale", "hopfield", "modular")
CONTROL_SYMBOL = {"dale": "m", "hopfield": "r", "modular": "q"}
CONTROL_NAME = {"dale": "Dale monopolarity", "hopfield": "Hopfield reciprocity", "modular": "modularity"}


def _check_regularity(reg: str) -> None:
    if reg not in REGULARITIES:
        raise ValueError(f"regularity must be one of {REGULARITIES}, got {reg!r}")


def regularity_matrix(
    params: Mapping, reg: str, w: float, b: float, rep: int, ctrl: float, N: int | None = None
):
    """W of one realisation at control ``ctrl``, plus its labels: neuron types (Dale) or modules (modular).

    ``params`` is the ``metzner`` section (with ``seed``); ``N`` overrides ``params["N"]``.
    """
    _check_regularity(reg)
    N = params["N"] if N is None else N
    seed, d = params["seed"], params["density"]
    key = realisation_key(w, b, rep)
    base = ensembles.draw_base_factors(N, d, seeds.rng(seed, key + ("matrix",)))
    cfg = params["regularities"][reg]
    if reg == "dale":
        dale = ensembles.draw_dale_factors(N, seeds.rng(seed, key + ("dale",)))
        W, sigma = ensembles.assemble_dale(
            base,
            dale,
            w,
            b,
            ctrl,
            density=d,
            mode=cfg["mode"],
            types=cfg["types"],
            self_connections=params["self_connections"],
        )
        return W, {"neuron_type": sigma}
    W_base = ensembles.assemble_base(base, w, b, d, params["balance_mode"], params["self_connections"])
    if reg == "hopfield":
        u = ensembles.draw_hopfield_uniform(N, seeds.rng(seed, key + ("hopfield",)))
        return ensembles.assemble_hopfield(W_base, u, ctrl, mode=cfg["mode"]), {}
    labels = ensembles.module_labels(N, cfg["K"])
    fac = ensembles.draw_modular_factors(N, seeds.rng(seed, key + ("modular",)))
    return ensembles.assemble_modular(W_base, labels, ctrl, mode=cfg["mode"], factors=fac), {"module": labels}


def predictions(params: Mapping, reg: str, w: float, b: float, ctrl: float, N: int) -> dict:
    """Random-matrix predictions (bulk radius or ellipse, outlier) of a regularity at one point."""
    cfg = params["regularities"][reg]
    d = params["density"]
    if reg == "dale":
        return spectra.dale_predictions(N, w, b, ctrl, density=d, types=cfg["types"])
    if reg == "hopfield":
        return spectra.hopfield_predictions(N, w, b, ctrl, mode=cfg["mode"])
    return spectra.modular_predictions(N, w, b, ctrl, cfg["K"], mode=cfg["mode"])


# ---------------------------------------------------------------------------------------------
# ensemble examples per control value
# ---------------------------------------------------------------------------------------------


def regularity_examples(params: Mapping, reg: str) -> xr.Dataset:
    """Example matrices per control value with eigenvalues, and the type / module labels."""
    N = params["N"]
    ex = params["examples"]
    controls = params["regularities"][reg]["controls"]
    points = [(float(w), float(b), int(r)) for w in ex["w"] for b in ex["b"] for r in range(ex["reps"])]
    shape = (len(controls), len(points))
    Ws = np.empty(shape + (N, N))
    ev_re, ev_im = np.empty(shape + (N,)), np.empty(shape + (N,))
    types = np.zeros((len(points), N))
    modules = None
    for c, ctrl in enumerate(controls):
        for k, (w, b, rep) in enumerate(points):
            W, extra = regularity_matrix(params, reg, w, b, rep, ctrl)
            Ws[c, k] = W
            ev = spectral.eigenvalues(W)
            ev_re[c, k], ev_im[c, k] = ev.real, ev.imag
            if "neuron_type" in extra:  # types depend on (b, rep), not on m
                types[k] = extra["neuron_type"]
            if "module" in extra:
                modules = extra["module"]
    coords = {
        "ctrl": np.asarray(controls, dtype=float),
        "example": np.arange(len(points)),
        "post": np.arange(N),
        "pre": np.arange(N),
        "eig": np.arange(N),
        "example_w": ("example", [p[0] for p in points]),
        "example_b": ("example", [p[1] for p in points]),
        "example_rep": ("example", [p[2] for p in points]),
    }
    if reg == "dale":
        coords["neuron_type"] = (("example", "pre"), types)
    if reg == "modular":
        coords["module"] = ("pre", modules)
        coords["module_post"] = ("post", modules)
    data = {
        "W": (("ctrl", "example", "post", "pre"), Ws),
        "eigval_re": (("ctrl", "example", "eig"), ev_re),
        "eigval_im": (("ctrl", "example", "eig"), ev_im),
    }
    ds = xr.Dataset(data, coords=coords)
    ds["ctrl"].attrs.update(control_attrs(reg))
    return ds


def control_attrs(reg: str) -> dict:
    return {
        "long_name": f"control parameter {CONTROL_SYMBOL[reg]} of {CONTROL_NAME[reg]}",
        "units": "1",
        "comment": {
            "dale": "m: probability that a weight takes its presynaptic neuron's type sign (0 = base, 1 = fully Dale)",
            "hopfield": "r: fraction of neuron pairs made reciprocal, W_ji = W_ij (0 = base, 1 = symmetric)",
            "modular": "q: attenuation 1 - q of the weights between modules (0 = base, 1 = disconnected modules)",
        }[reg],
    }


# ---------------------------------------------------------------------------------------------
# regularity-spectra validation
# ---------------------------------------------------------------------------------------------


def regularity_spectra(params: Mapping) -> xr.Dataset:
    """Eigenvalues at validation.N, b = 0, w = validation.spectra_w for every regularity and control,
    with the random-matrix predictions (ellipse semi-axes, bulk radius, outlier)."""
    val = params["validation"]
    N, w, R = val["N"], float(val["spectra_w"]), val["spectra_reps"]
    include = list(params["regularities"]["include"])
    n_ctrl = max(len(params["regularities"][reg]["controls"]) for reg in include)
    shape = (len(include), n_ctrl, R)
    ev_re, ev_im = np.full(shape + (N,), np.nan), np.full(shape + (N,), np.nan)
    names = ("bulk_radius_theory", "semi_major_theory", "semi_minor_theory", "outlier_theory")
    th = {k: np.full(shape[:2], np.nan) for k in names}
    ctrl = np.full(shape[:2], np.nan)
    for g, reg in enumerate(include):
        for c, cv in enumerate(params["regularities"][reg]["controls"]):
            ctrl[g, c] = cv
            p = predictions(params, reg, w, 0.0, cv, N)
            for k in names:
                th[k][g, c] = p.get(k.replace("_theory", ""), np.nan)
            for r in range(R):
                W, _ = regularity_matrix(params, reg, w, 0.0, r, cv, N=N)
                ev = spectral.eigenvalues(W)
                ev_re[g, c, r], ev_im[g, c, r] = ev.real, ev.imag
    ds = xr.Dataset(
        {
            "eigval_re": (("regularity", "ctrl_index", "rep", "eig"), ev_re),
            "eigval_im": (("regularity", "ctrl_index", "rep", "eig"), ev_im),
            **{k: (("regularity", "ctrl_index"), v) for k, v in th.items()},
        },
        coords={
            "regularity": include,
            "ctrl_index": np.arange(n_ctrl),
            "rep": np.arange(R),
            "eig": np.arange(N),
            "ctrl": (("regularity", "ctrl_index"), ctrl),
        },
    )
    padding = "no such control value: this regularity has fewer control values than the longest list"
    for name in ("eigval_re", "eigval_im", "ctrl"):
        ds[name].attrs["nan_meaning"] = padding
    for name in names:
        ds[name].attrs["nan_meaning"] = padding + "; or no closed-form prediction for this ensemble/mode"
    return ds


# ---------------------------------------------------------------------------------------------
# dynamics and reservoir sweep over (w, b, rep) at one control value
# ---------------------------------------------------------------------------------------------


def reservoir_realisation(params: Mapping, w: float, b: float, rep: int) -> dict:
    """Input matrix, train/test task data and initial reservoir states of one realisation."""
    res = params["reservoir"]
    seed, N = params["seed"], params["N"]
    key = realisation_key(w, b, rep)
    task = res["task"]
    S = res["streams"]
    inst = seeds.rng(seed, key + ("task-instance", task))
    stream = seeds.rng(seed, key + ("task-stream", task))
    n_steps = res["washout"] + (res["n_train"] + res["n_test"]) // S
    data = reservoir.make_task(task, res[task], n_steps, S, stream, inst)
    D = data.inputs.shape[-1]
    Win = seeds.rng(seed, key + ("input",)).standard_normal((N, D)) * res["input_scale"] / np.sqrt(D)
    x0 = seeds.rng(seed, key + ("reservoir-init",)).uniform(
        -params["init_scale"], params["init_scale"], (N, S)
    )
    v0 = seeds.rng(seed, key + ("reservoir-tangent",)).standard_normal((N, S))
    return {"Win": Win, "data": data, "x0": x0, "v0": v0}


def chance_level(res_cfg: Mapping) -> float:
    """Accuracy of guessing: 1/classes (clusters), 1/alphabet (seqmem, seqgen)."""
    task = res_cfg["task"]
    n = res_cfg[task]["classes"] if task == "clusters" else res_cfg[task]["alphabet"]
    return 1.0 / n


def regularity_rows(
    params: Mapping,
    reg: str,
    ctrl_index: int,
    w_indices: Sequence[int],
    batch_size: int = 16,
    progress: bool = True,
) -> tuple[xr.Dataset, xr.Dataset]:
    """Autonomous dynamics, driven lambda_max and reservoir accuracy at one control value for the
    w-rows ``w_indices`` of the regularity grid; returns (dynamics, reservoir) datasets with dims
    (ctrl, w, b, rep[, head])."""
    _check_regularity(reg)
    ctrl = float(params["regularities"][reg]["controls"][ctrl_index])
    grid = params["regularities"]["grid"]
    w_vals = grid_values(grid["w"])[list(w_indices)]
    b_vals = grid_values(grid["b"])
    R = params["regularities"]["reps"]
    res_cfg = params["reservoir"]
    sym = CONTROL_SYMBOL[reg]

    def realise(w, b, rep):
        W, _ = regularity_matrix(params, reg, w, b, rep, ctrl)
        key = realisation_key(w, b, rep)
        x0 = seeds.rng(params["seed"], key + ("init",)).uniform(
            -params["init_scale"], params["init_scale"], (params["N"], 1)
        )
        v0 = seeds.rng(params["seed"], key + ("tangent",)).standard_normal((params["N"], 1))
        return W, x0, v0, f"{reg} {sym}={ctrl:g}, w={w:g}, b={b:g}, rep={rep} (N={params['N']})"

    heads: list = []

    def evaluate(points, Ws, X0, V0, labels):
        Ws = np.stack(Ws)
        out = autonomous_measures(params, Ws, np.stack(X0), np.stack(V0), labels)
        rr = [reservoir_realisation(params, *pt) for pt in points]
        ev = reservoir.evaluate(
            Ws,
            np.stack([r["Win"] for r in rr]),
            np.stack([r["x0"] for r in rr]),
            np.stack([r["v0"] for r in rr]),
            [r["data"] for r in rr],
            washout=res_cfg["washout"],
            n_train=res_cfg["n_train"] // res_cfg["streams"],
            ridge=res_cfg["ridge"],
            labels=labels,
        )
        heads[:] = list(rr[0]["data"].heads)
        out["lyap_driven"] = ev["lyap_driven"]
        out["accuracy"] = ev["accuracy"]
        out["accuracy_train"] = ev["accuracy_train"]
        out["accuracy_head"] = ev["accuracy_head"]
        return out

    out = sweep(
        params,
        w_vals,
        b_vals,
        R,
        realise,
        evaluate,
        batch_size,
        progress,
        desc=f"{reg} {sym}={ctrl:g} w={w_vals[0]:g}..{w_vals[-1]:g}",
    )
    regime = dynamics.classify_regime(
        out["mean_abs"], out["fluctuation"], out["lyap_max"], out["period"], _thresholds(params["dynamics"])
    )
    dims = ("ctrl", "w", "b", "rep")
    coords = {"ctrl": [ctrl], "w": w_vals, "b": b_vals, "rep": np.arange(R)}
    dyn_names = list(dynamics.MEASURES) + ["spectral_radius", "max_real_eig", "lyap_driven"]
    dyn = xr.Dataset({n: (dims, out[n][None]) for n in dyn_names}, coords=coords)
    dyn["regime"] = (dims, regime[None])
    res = xr.Dataset(
        {
            "accuracy": (dims, out["accuracy"][None]),
            "accuracy_train": (dims, out["accuracy_train"][None]),
            "accuracy_head": (dims + ("head",), out["accuracy_head"][None]),
            "ridge_lambda": ((), float(res_cfg["ridge"])),
            "chance_level": ((), chance_level(res_cfg)),
        },
        coords={**coords, "head": heads},
    )
    for ds in (dyn, res):
        ds["ctrl"].attrs.update(control_attrs(reg))
    return dyn, res


def merge(params: Mapping, reg: str, parts: Iterable[xr.Dataset]) -> xr.Dataset:
    """Join the (control, w-row) chunks of one regularity's sweep: every control value and w of the
    grid exactly once, sorted; variables without those dimensions must agree between chunks."""
    rp = params["regularities"]
    expected = {"ctrl": list(map(float, rp[reg]["controls"])), "w": grid_values(rp["grid"]["w"])}
    return chunks.combine(list(parts), ("ctrl", "w"), expected=expected, params=params)


META = {
    "ensemble": dict(
        stage="metzner.ensemble.regularity",
        title="Metzner regularity ensemble: example matrices per control value",
        summary="Example weight matrices of one regularity (Dale, Hopfield or modular) at every control value, "
        "their eigenvalues, and the neuron types (Dale) or module labels (modular) as coordinates.",
        references=PAPER_REFERENCE,
        comment="[RECON] reconstruction of the regularities (docs/models/metzner2025.md#regularities).",
    ),
    "rows": dict(
        stage="metzner.regularity.rows",
        title="Metzner regularity sweep: one control value, one chunk of w rows",
        summary="Chunk of the dynamics and reservoir sweep of one regularity (merged into dynamics/<reg>.nc and "
        "reservoir/<reg>.nc).",
        references=PAPER_REFERENCE,
    ),
    "dynamics": dict(
        stage="metzner.dynamics.regularity",
        title="Metzner regularity: autonomous and driven dynamics over (control, w, b)",
        summary="Measures of the autonomous runs as in dynamics/base.nc plus the largest Lyapunov exponent of the "
        "input-driven reservoir run (echo-state check: negative means the driven state forgets its initial condition).",
        references=PAPER_REFERENCE,
    ),
    "reservoir": dict(
        stage="metzner.reservoir.regularity",
        title="Metzner regularity: reservoir-computing accuracy over (control, w, b)",
        summary="Test and train accuracy of a ridge readout on the network states, per realisation.",
        references=PAPER_REFERENCE,
    ),
    "spectra": dict(
        stage="metzner.validation.regularity_spectra",
        title="Eigenvalues of the regularity ensembles against random-matrix theory",
        summary="Eigenvalues at b = 0 for every regularity and control value with the predicted bulk radius, "
        "ellipse semi-axes and outlier.",
        references=PAPER_REFERENCE + "; Sommers, Crisanti, Sompolinsky & Stein 1988 PRL 60:1895; "
        "Rajan & Abbott 2006 PRL 97:188104",
    ),
}
