"""Jarne stage: parameters in, xarray datasets out.

* the trained conditions of a config section are listed by :func:`rnnstruct.jarne.design.conditions`;
  conditions with the same task and N share a compiled training step (:func:`design.groups`);
* :func:`train_job` trains conditions of one group until ``nets`` networks per condition passed the
  success criterion (:mod:`rnnstruct.jarne.protocol`, batched by :class:`rnnstruct.jarne.train.SlotTrainer`)
  and returns every tried candidate: weights, loss curve, held-out checks, steps, success;
* :func:`condition_networks` takes one condition's candidates out of a job file and adds the eigenvalues
  of the trained and of the projected initial matrices and the per-trial test errors
  (``results/jarne/networks/<condition>.nc``);
* :func:`spectra` gathers the per-network measures of every condition over dims
  (task, init, constraint, N, attempt); :func:`claims` tests the paper's claims on the networks that
  learned their task.

Seed keys (root seed = config ``seed``; never the job layout):
  dataset ``("jarne", "data", task, "train"|"test", n)``; initial weights of attempt a
  ``("jarne", "init", init, gain, N, a)`` (shared by every task, E/I fraction and the unconstrained
  twin, so that comparisons are paired); mini-batch order ``("jarne", "order", task, N, a)``.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import xarray as xr

from rnnstruct.core import chunks, io, seeds
from rnnstruct.jarne import analysis, model, protocol, tasks
from rnnstruct.jarne.design import TRAINING_KEYS, condition_name, conditions, constraint_label, parse_condition
from rnnstruct.jarne import variables  # noqa: F401  (registers the metadata table of the outputs)

REFERENCE = (
    "Jarne & Caruso 2024, Effect in the spectra of eigenvalues and dynamics of RNNs trained with "
    "excitatory-inhibitory constraint, Cogn. Neurodyn. 18:1323, doi:10.1007/s11571-023-09956-w"
)
META = {
    "training": dict(
        stage="jarne.training",
        title="RNNs trained until success under Dale's law (or unconstrained): every tried candidate",
        summary="Conditions of one task and size trained side by side until the required number of networks "
        "passed the success criterion on held-out trials: final weights, training loss per optimizer step, "
        "held-out checks, optimizer steps, success flag and outputs on the held-out trials of every tried "
        "candidate.",
        references=REFERENCE,
    ),
    "networks": dict(
        stage="jarne.networks",
        title="RNNs trained under Dale's law (or unconstrained): the tried candidates of one condition",
        summary="Trained W_rec, W_in, biases and readout of every tried candidate of one condition, the training "
        "loss per optimizer step, held-out checks, steps to success and success flag, the outputs and errors on "
        "held-out trials, and the eigenvalues of the trained and of the projected initial recurrent matrix.",
        references=REFERENCE,
    ),
    "spectra": dict(
        stage="jarne.spectra",
        title="Eigenvalue radii and weight statistics of trained recurrent matrices",
        summary="Per tried network: r_out (7th largest |lambda|), r_in (min |lambda|), robust percentile radii, "
        "Henrici non-normality, weight moments and zero fraction, the same radii of the projected initial "
        "matrix, test MSE, success and steps to success, over (task, init, constraint, N, attempt).",
        references=REFERENCE,
    ),
    "claims": dict(
        stage="jarne.claims",
        title="Claims of Jarne & Caruso 2024 tested on the trained networks",
        summary="Generated numbers and verdicts for the disk/ring shape, independence of N and E/I fraction, "
        "and the comparison with unconstrained training.",
        references=REFERENCE,
    ),
}


def dataset(p: Mapping, seed: int, task: str) -> tuple[tasks.Trials, tasks.Trials]:
    """(train, test) trials of ``task``; the test set is held out (its own stream) and balanced over types."""
    d = p["data"]
    train = tasks.sample(task, d["n_train"], seeds.rng(seed, ("jarne", "data", task, "train", d["n_train"])))
    test = tasks.sample(
        task, d["n_test"], seeds.rng(seed, ("jarne", "data", task, "test", d["n_test"])), balanced=True
    )
    return train, test


def initial(p: Mapping, seed: int, init: str, N: int, attempt: int) -> dict:
    gain = float(p["gain"][init])
    return model.initial_params(
        N, init, seeds.rng(seed, ("jarne", "init", init, gain, int(N), int(attempt))), gain)


def batch_order(p: Mapping, seed: int, task: str, N: int, attempt: int) -> np.ndarray:
    rng = seeds.rng(seed, ("jarne", "order", task, int(N), int(attempt)))
    n = p["data"]["n_train"]
    return np.stack([rng.permutation(n) for _ in range(p["training"]["epochs"])])


def step_cap(p: Mapping) -> int:
    """Optimizer steps of a candidate that never passes: epochs x ceil(n_train / batch_size)."""
    t = p["training"]
    return int(t["epochs"]) * -(-int(p["data"]["n_train"]) // int(t["batch_size"]))


def _opt(p: Mapping) -> dict:
    t = p["training"]
    return dict(lr=t["lr"], decay=t["decay"], clipnorm=t["clipnorm"], b1=t["beta1"], b2=t["beta2"], eps=t["eps"])


def _sign(cond: Mapping) -> tuple[np.ndarray, bool]:
    """(sign vector, constrained): unconstrained networks get the all-excitatory vector (unused)."""
    ei_frac = cond["ei_frac"]
    return model.sign_vector(cond["N"], 0.0 if ei_frac is None else ei_frac), ei_frac is not None


def candidate(p: Mapping, seed: int, cond: Mapping, attempt: int) -> protocol.Candidate:
    """Attempt ``attempt`` of a condition: initial weights (projected if ``project_init``), sign mask,
    mini-batch order."""
    from rnnstruct.jarne.train import mask_of

    sign, constrained = _sign(cond)
    init = initial(p, seed, cond["init"], cond["N"], attempt)
    if constrained and p["project_init"]:
        init["W_rec"], init["W_in"] = model.project(init["W_rec"], init["W_in"], sign, p["dale_axis"])
    return protocol.Candidate(init, mask_of(sign, constrained, p["dale_axis"]), constrained,
                              batch_order(p, seed, cond["task"], cond["N"], attempt))


def train_one(p: Mapping, seed: int, cond: Mapping, attempt: int, data=None, progress: bool = True,
              callback=None, max_steps=None):
    """Train attempt ``attempt`` of a condition alone with the reference trainer
    (:func:`rnnstruct.jarne.train.train`); returns (initial params, training result, test trials)."""
    from rnnstruct.jarne import train as jtrain

    task, init, ei_frac, N = cond["task"], cond["init"], cond["ei_frac"], cond["N"]
    train_set, test_set = data if data is not None else dataset(p, seed, task)
    init_p = initial(p, seed, init, N, attempt)
    sign, constrained = _sign(cond)
    res = jtrain.train(
        init_p,
        train_set.x,
        train_set.y,
        batch_order(p, seed, task, N, attempt),
        sign=sign,
        constrained=constrained,
        dale_axis=p["dale_axis"],
        opt=_opt(p),
        batch_size=p["training"]["batch_size"],
        project_init=p["project_init"],
        progress=progress,
        desc=f"{condition_name(task, init, ei_frac, N)} attempt {attempt}",
        callback=callback,
        max_steps=max_steps,
    )
    return init_p, res, test_set


def job_group(p: Mapping, names: Sequence[str]) -> tuple[str, int]:
    """(task, N) shared by the conditions ``names`` (read from the names); an error names the offenders."""
    if not names:
        raise ValueError("a training job needs at least one condition")
    conds = {n: parse_condition(n) for n in names}
    keys = {(conds[n]["task"], conds[n]["N"]) for n in names}
    if len(keys) != 1:
        raise ValueError(f"conditions of one training job must share task and N, got {sorted(keys)}")
    return keys.pop()


def train_job(p: Mapping, seed: int, names: Sequence[str], log=None) -> xr.Dataset:
    """Train the conditions ``names`` (one task and N) until success; every tried candidate, in
    condition order and by attempt, along dim ``candidate``."""
    from rnnstruct.jarne import train as jtrain

    task, N = job_group(p, names)
    conds = {n: parse_condition(n) for n in names}
    train_set, test_set = dataset(p, seed, task)
    t, u = p["training"], p["until_success"]
    cap = step_cap(p)
    trainer = jtrain.SlotTrainer(N=N, slots=t["slots"], opt=_opt(p), x_train=train_set.x, y_train=train_set.y,
                                 x_test=test_set.x)

    def judge(name, y):
        return analysis.success(y[..., None], test_set.y, task, test_set.kind, p["success"])

    recs = protocol.train_until_success(
        trainer, list(names), lambda name, a: candidate(p, seed, conds[name], a), judge,
        nets=p["nets"], max_attempts=u["max_attempts"], cap=cap, check_every=u["check_every"],
        batch_size=t["batch_size"], early_stop=u["early_stop"], log=log,
    )
    flat = [r for name in names for r in recs[name]]
    n_checks = -(-cap // u["check_every"])
    loss = np.full((len(flat), cap), np.nan, dtype=np.float32)
    check_mse = np.full((len(flat), n_checks), np.nan)
    for k, r in enumerate(flat):
        loss[k, : len(r.loss)] = r.loss
        check_mse[k, : len(r.checks)] = [c[1] for c in r.checks]
    stack = lambda key: np.stack([np.asarray(r.params[key], dtype=np.float32) for r in flat])  # noqa: E731
    pred = np.stack([r.outputs for r in flat]).astype(np.float32)
    check_step = np.minimum(np.arange(1, n_checks + 1) * u["check_every"], cap)
    return xr.Dataset(
        {
            "W_rec": (("candidate", "post", "pre"), stack("W_rec")),
            "W_in": (("candidate", "unit", "channel"), stack("W_in")),
            "b_rec": (("candidate", "unit"), stack("b")),
            "W_out": (("candidate", "unit"), stack("W_out")[:, 0]),
            "b_out": (("candidate",), stack("b_out")[:, 0]),
            "loss": (("candidate", "opt_step"), loss),
            "check_mse": (("candidate", "check"), check_mse),
            "steps": (("candidate",), np.asarray([r.steps for r in flat], dtype=np.int64)),
            "success": (("candidate",), np.asarray([r.success for r in flat], dtype=np.int8)),
            "steps_to_success": (("candidate",), np.asarray(
                [r.first_pass if r.first_pass >= 0 else np.nan for r in flat], dtype=np.float64)),
            "test_mse": (("candidate",), np.asarray([r.checks[-1][1] for r in flat], dtype=np.float64)),
            "y_pred": (("candidate", "trial", "time"), pred),
        },
        coords={
            "candidate": np.arange(len(flat)),
            "condition": (("candidate",), np.asarray([r.name for r in flat], dtype=object)),
            "attempt": (("candidate",), np.asarray([r.attempt for r in flat], dtype=np.int64)),
            "opt_step": np.arange(1, cap + 1),
            "check": np.arange(n_checks),
            "check_step": (("check",), check_step.astype(np.int64)),
            "unit": np.arange(N),
            "post": np.arange(N),
            "pre": np.arange(N),
            "channel": np.arange(2),
            "trial": np.arange(test_set.x.shape[0]),
            "time": np.arange(test_set.x.shape[1]),
            "task": task,
            "N": N,
        },
    )


def condition_networks(p: Mapping, seed: int, job: xr.Dataset, name: str) -> xr.Dataset:
    """The tried candidates of condition ``name`` from its job file, along dim ``attempt``, with the
    eigenvalues of the trained and of the projected initial recurrent matrices, the per-trial test
    errors and the held-out trials."""
    conds = conditions(p)
    if name not in conds:
        raise ValueError(f"condition {name!r} is not in this config (conditions: {', '.join(conds)})")
    cond = conds[name]
    chunks.check_provenance([job], {k: p[k] for k in ("seed", *TRAINING_KEYS) if k in p})
    if name not in set(job["condition"].values.tolist()):
        raise ValueError(f"condition {name!r} was not trained in the job file {chunks.source(job)}")
    sel = job.isel(candidate=np.flatnonzero(job["condition"].values == name))
    ds = sel.swap_dims(candidate="attempt").drop_vars(["candidate", "condition"])
    attempts = ds["attempt"].values
    if not np.array_equal(attempts, np.arange(attempts.size)):
        raise ValueError(f"{name}: tried attempts {attempts.tolist()} are not 0..K-1")
    N = cond["N"]
    sign, constrained = _sign(cond)
    zt = p["analysis"]["zero_threshold"]
    lam, lam0 = [], []
    for a in attempts:
        init = initial(p, seed, cond["init"], N, int(a))
        W0 = model.project(init["W_rec"], init["W_in"], sign, p["dale_axis"])[0] if constrained else init["W_rec"]
        lam.append(analysis.eigenvalues(analysis.thresholded(ds["W_rec"].values[a], zt)))
        lam0.append(analysis.eigenvalues(analysis.thresholded(W0, zt)))
    _, test = dataset(p, seed, cond["task"])
    err = ds["y_pred"].values.astype(np.float64) - test.y[None, ..., 0]
    lam, lam0 = np.stack(lam), np.stack(lam0)
    ds = ds.assign(
        test_l2=(("attempt", "trial"), np.sqrt(np.sum(err**2, axis=2))),
        eigval_re=(("attempt", "eig"), lam.real), eigval_im=(("attempt", "eig"), lam.imag),
        eigval0_re=(("attempt", "eig"), lam0.real), eigval0_im=(("attempt", "eig"), lam0.imag),
        x_test=(("trial", "time", "channel"), test.x),
        y_test=(("trial", "time"), test.y[..., 0]),
        trial_kind=(("trial",), test.kind.astype(np.int64)),
        jitter=(("trial",), test.jitter.astype(np.int64)),
    )
    return ds.assign_coords(
        eig=np.arange(N),
        sign=(("unit",), (sign if constrained else np.zeros(N)).astype(np.int8)),
        init=cond["init"],
        constraint=constraint_label(cond["ei_frac"]),
        ei_frac=np.nan if cond["ei_frac"] is None else float(cond["ei_frac"]),
    )


SPECTRA_VARS = (
    "r_out", "r_in", "r_out_pct", "r_in_pct", "n_outliers", "spectral_radius", "henrici",
    "w_mean", "w_std", "w_skew", "w_kurtosis", "zero_frac", "sym_max", "rank", "osc_freq_coded", "osc_freq_exact",
)


def spectra(p: Mapping, networks: Mapping[str, xr.Dataset]) -> xr.Dataset:
    """Per-network measures of every tried candidate of every condition on the dense grid
    (task, init, constraint, N, attempt); cells of untrained conditions and of attempts a condition did
    not need are NaN (variable attribute nan_meaning; ``tried`` says which were trained)."""
    conds = conditions(p)
    missing = set(conds) - set(networks)
    if missing:
        raise ValueError(f"missing network files for {sorted(missing)}")
    tasks_ = list(dict.fromkeys(c["task"] for c in conds.values()))
    inits = list(dict.fromkeys(c["init"] for c in conds.values()))
    labels = list(dict.fromkeys(constraint_label(c["ei_frac"]) for c in conds.values()))
    labels = sorted(labels, key=lambda s: (s == "free", s))
    Ns = sorted({c["N"] for c in conds.values()})
    n_att = max(networks[name].sizes["attempt"] for name in conds)
    shape = (len(tasks_), len(inits), len(labels), len(Ns), n_att)
    names = SPECTRA_VARS + tuple(f"{v}_init" for v in ("r_out", "r_in", "r_out_pct", "r_in_pct")) + (
        "test_mse", "success", "steps", "steps_to_success")
    data = {v: np.full(shape, np.nan) for v in names}
    tried = np.zeros(shape, dtype=np.int8)
    ap = p["analysis"]
    for name, c in conds.items():
        ds = networks[name]
        idx = (tasks_.index(c["task"]), inits.index(c["init"]), labels.index(constraint_label(c["ei_frac"])),
               Ns.index(c["N"]))
        for k, a in enumerate(ds["attempt"].values):
            at = idx + (int(a),)
            tried[at] = 1
            summ, _ = analysis.matrix_summary(ds["W_rec"].values[k], ap)
            for v in SPECTRA_VARS:
                data[v][at] = summ[v]
            mod0 = np.abs(io.complex_variable(ds, "eigval0").values[k])
            data["r_out_init"][at] = analysis.r_out(mod0, ap["n_dominant"])
            data["r_in_init"][at] = analysis.r_in(mod0)
            rob = analysis.robust_radii(mod0, ap["mad_k"], ap["q_out"], ap["q_in"])
            data["r_out_pct_init"][at] = rob["r_out_pct"]
            data["r_in_pct_init"][at] = rob["r_in_pct"]
            for v in ("test_mse", "success", "steps", "steps_to_success"):
                data[v][at] = float(ds[v].values[k])
    dims = ("task", "init", "constraint", "N", "attempt")
    ei = [np.nan if lab == "free" else float(lab[2:]) for lab in labels]
    out = xr.Dataset(
        {v: (dims, a) for v, a in data.items()},
        coords={"task": tasks_, "init": inits, "constraint": labels, "ei_frac": (("constraint",), ei),
                "N": np.asarray(Ns, dtype=np.int64), "attempt": np.arange(n_att)},
    )
    out["spectral_radius"].attrs["nan_meaning"] = "attempt not tried or condition not trained in this configuration"
    out["tried"] = (dims, tried)
    out["trained"] = (dims[:4], tried.max(axis=-1))
    out["learned"] = (dims[:4], np.nansum(data["success"], axis=-1).astype(np.int64))
    return out


#: variables of the spectra file that describe the trained matrix (NaN where the network did not learn,
#: in :func:`learned`)
MEASURES = SPECTRA_VARS + ("r_out_init", "r_in_init", "r_out_pct_init", "r_in_pct_init", "test_mse",
                           "steps", "steps_to_success")


def learned(sp: xr.Dataset) -> xr.Dataset:
    """The spectra file restricted to the networks that passed the success criterion (others NaN)."""
    ok = sp["success"] == 1
    return sp.assign({v: sp[v].where(ok) for v in MEASURES if v in sp})


def _mean_se(a) -> tuple[float, float, int]:
    a = np.asarray(a, dtype=np.float64)
    a = a[np.isfinite(a)]
    n = a.size
    if n == 0:
        return float("nan"), float("nan"), 0
    return float(a.mean()), float(a.std(ddof=1) / np.sqrt(n)) if n > 1 else float("nan"), n


def _verdict(ok_all: bool, ok_some: bool) -> str:
    return "reproduced" if ok_all else ("partly reproduced" if ok_some else "not reproduced")


def _basis(sp: xr.Dataset, **sel) -> tuple[xr.Dataset, str]:
    """The learned networks of the cells ``sel``, or, when none of them learned, all tried networks
    (flagged in the numbers: the verdict is then also capped by the training gate)."""
    lrn = learned(sp)
    if np.isfinite(lrn["r_out"].sel(**sel).values).any():
        return lrn, ""
    return sp, " [no network of these conditions learned: numbers from all tried networks]"


def claims(p: Mapping, sp: xr.Dataset) -> list[dict]:
    """The paper's claims (docs/models/jarne2024.md#claims) tested on the networks that learned their task
    (success flag; the failed candidates are kept in the files but are not what the paper describes); one
    dict per claim with its generated numbers (text) and verdict.  Rules [RECON] (config ``jarne.claims``):

    * disk (normal init): every learned constrained network has r_out < 1 and the mean ratio
      r_in_pct / r_out_pct is below ``ring_ratio`` in every condition (a uniform disk gives
      sqrt(0.05) = 0.22 for the 5th/95th percentiles);
    * ring (orthogonal init): the mean ratio r_in_pct / r_out_pct is above ``ring_ratio`` in every condition;
    * independence of N and of the E/I fraction: relative spread (max - min) / mean of the condition means
      of r_out below ``flat_tol``;
    * smaller than unconstrained: per (task, init, fraction) the mean r_out of the learned Dale networks
      minus that of the learned unconstrained twins is negative in every condition, and the mean of these
      differences is at least 2 SE below zero (twins that both learned are compared pairwise alongside);
    * training gate: when a condition a claim is tested on has fewer than ``nets`` learned networks
      (``max_attempts`` reached), that claim's verdict is at most "partly reproduced" and its numbers name those
      conditions.
    """
    c = p["claims"]
    N0 = int(p["N"])
    dale = [lab for lab in sp["constraint"].values.tolist() if lab != "free"]
    out = []
    for init, shape in (("normal", "disk"), ("orthogonal", "ring")):
        if init not in sp["init"].values or N0 not in sp["N"].values or not dale:
            continue
        cells = {"init": init, "N": N0, "constraint": dale}
        base, flag = _basis(sp, **cells)
        s = base.sel(**cells)
        ratio = (s["r_in_pct"] / s["r_out_pct"]).mean("attempt")
        r_mean, r_se, n = _mean_se(s["r_out"].values)
        r_max = float(np.nanmax(s["r_out"].values))
        rmin, rmax = float(ratio.min()), float(ratio.max())
        if shape == "disk":
            ok_r = r_max < 1.0
            ok_shape = rmax < c["ring_ratio"]
            claim = "random-normal init: non-dominant eigenvalues fill a disk of radius < 1"
        else:
            ok_r = True
            ok_shape = rmin > c["ring_ratio"]
            claim = "random-orthogonal init: non-dominant eigenvalues fill a ring"
        out.append({
            "id": f"shape_{init}",
            "claim": claim,
            "numbers": f"r_out = {r_mean:.3f} ± {r_se:.3f} (mean ± SE, n = {n} networks, max {r_max:.3f}); "
            f"r_in_pct/r_out_pct per condition {rmin:.3f}–{rmax:.3f} (threshold {c['ring_ratio']:g}); "
            f"r_in = {float(np.nanmean(s['r_in'].values)):.3f}" + flag,
            "verdict": _verdict(ok_r and ok_shape, ok_r or ok_shape),
            "cells": cells,
        })
    # independence of N (size sweep)
    sw = p["size_sweep"]
    lab = constraint_label(sw["ei_frac"])
    Ns = sorted(sw["N"])
    cells = {"task": sw["task"], "init": sw["init"], "constraint": lab, "N": Ns}
    base, flag = _basis(sp, **cells)
    s = base.sel(**cells)
    means = s["r_out"].mean("attempt").values
    counts = np.isfinite(s["r_out"].values).sum(axis=-1)
    spread = float((np.nanmax(means) - np.nanmin(means)) / np.nanmean(means))
    fin = np.isfinite(means)
    slope = float(np.polyfit(np.asarray(Ns, float)[fin], means[fin], 1)[0]) if fin.sum() > 1 else float("nan")
    out.append({
        "id": "independent_of_N",
        "claim": "the radius does not depend on the network size N",
        "numbers": "mean r_out per N: " + ", ".join(
            f"N = {N}: {m:.3f} (n = {k})" for N, m, k in zip(Ns, means, counts))
        + f"; relative spread {spread:.3f} (tolerance {c['flat_tol']:g}); slope {slope * 100:.4f} per 100 units"
        + flag,
        "verdict": _verdict(spread < c["flat_tol"], spread < 2 * c["flat_tol"]),
        "cells": cells,
    })
    # independence of the E/I fraction
    if len(dale) > 1:
        cells = {"N": N0, "constraint": dale}
        base, flag = _basis(sp, **cells)
        s = base.sel(**cells)
        m = s["r_out"].mean("attempt")
        rel = (m.max("constraint") - m.min("constraint")) / m.mean("constraint")
        # a (task, init) with fewer than two fractions (untrained or not learned) has no spread to test
        rel = rel.where(m.count("constraint") >= 2)
        worst = float(rel.max()) if int(rel.count()) else float("nan")
        parts = "; ".join(
            f"{init}: " + ", ".join(f"{lab_}: {float(m.sel(init=init, constraint=lab_).mean('task')):.3f}"
                                    for lab_ in dale)
            for init in s["init"].values.tolist()
        )
        out.append({
            "id": "independent_of_ei",
            "claim": "the radius does not depend on the E/I fraction",
            "numbers": f"mean r_out over tasks, per init and fraction: {parts}; largest relative spread "
            f"over fractions within a (task, init) {worst:.3f} (tolerance {c['flat_tol']:g}; "
            f"{int(rel.count())} (task, init) pair(s) with two or more fractions)" + flag,
            "verdict": _verdict(worst < c["flat_tol"], worst < 2 * c["flat_tol"]),
            "cells": cells,
        })
    # smaller than unconstrained
    if "free" in sp["constraint"].values and dale:
        cells = {"N": N0}
        base, flag = _basis(sp, **cells)
        s = base.sel(**cells)
        dm = s["r_out"].sel(constraint=dale).mean("attempt")
        fm = s["r_out"].sel(constraint="free").mean("attempt")
        cond_diff = (dm - fm).values.ravel()
        d_mean, d_se, n = _mean_se(cond_diff)
        worst = float(np.nanmax(cond_diff)) if np.isfinite(cond_diff).any() else float("nan")
        ok_all = bool(worst < 0) and bool(d_mean + 2 * d_se < 0)
        pair = (s["r_out"].sel(constraint=dale) - s["r_out"].sel(constraint="free")).values.ravel()
        p_mean, p_se, n_pair = _mean_se(pair)
        out.append({
            "id": "smaller_than_free",
            "claim": "the radius is smaller than without the constraint",
            "numbers": f"r_out Dale {float(np.nanmean(s['r_out'].sel(constraint=dale).values)):.3f} vs unconstrained "
            f"{float(np.nanmean(s['r_out'].sel(constraint='free').values)):.3f}; difference of condition means "
            f"{d_mean:.3f} ± {d_se:.3f} (mean ± SE over n = {n} (task, init, fraction) conditions, largest {worst:.3f}); "
            f"twins that both learned: {p_mean:.3f} ± {p_se:.3f} (n = {n_pair} pairs)" + flag,
            "verdict": _verdict(ok_all, d_mean < 0),
            "cells": cells,
        })
    return _training_gate(out, sp, int(p["nets"]))


def _training_gate(rows: list[dict], sp: xr.Dataset, nets: int) -> list[dict]:
    """Cap a claim's verdict at "partly reproduced" when a condition it is tested on has fewer than ``nets``
    learned networks (the claim would rest on too few or on untrained networks); the numbers name those
    conditions.  A row's ``cells`` (task / init / constraint / N, a value or a list each; a key left out means
    every value) are the conditions it is tested on; a row without ``cells`` is tested on all of them.  The
    returned rows have no ``cells``."""
    table = success_table(sp)
    out = []
    for r in rows:
        cells = r.get("cells", {})
        row = {k: v for k, v in r.items() if k != "cells"}
        short = [t["condition"] for t in table if t["passed"] < nets and all(
            t[k] in (v if isinstance(v, (list, tuple)) else [v]) for k, v in cells.items())]
        if short:
            listed = ", ".join(short[:6]) + (f" and {len(short) - 6} more" if len(short) > 6 else "")
            row["numbers"] += (f" [{len(short)} of its condition(s) with fewer than {nets} learned networks "
                               f"({listed}): verdict capped]")
            row["verdict"] = "partly reproduced" if row["verdict"] == "reproduced" else row["verdict"]
        out.append(row)
    return out


def _nanmean(a) -> float:
    a = np.asarray(a, dtype=np.float64)
    return float(np.mean(a[np.isfinite(a)])) if np.isfinite(a).any() else float("nan")


def _nanmedian(a) -> float:
    a = np.asarray(a, dtype=np.float64)
    return float(np.median(a[np.isfinite(a)])) if np.isfinite(a).any() else float("nan")


def success_table(sp: xr.Dataset) -> list[dict]:
    """Per trained condition: tried and learned networks, success rate, steps to success, test MSE and
    the radii at the start (projected initial matrix) and at the end of training, over the learned
    networks (all tried ones when none learned, flagged by ``learned_basis``)."""
    rows = []
    lrn = learned(sp)
    for task in sp["task"].values.tolist():
        for init in sp["init"].values.tolist():
            for lab in sp["constraint"].values.tolist():
                for N in sp["N"].values.tolist():
                    s = sp.sel(task=task, init=init, constraint=lab, N=N)
                    if int(s["trained"]) == 0:
                        continue
                    ok = s["success"].values
                    passed, tried = int(np.nansum(ok)), int(s["tried"].sum())
                    b = lrn.sel(task=task, init=init, constraint=lab, N=N) if passed else s
                    steps = b["steps_to_success"].values
                    rows.append({
                        "condition": condition_name(task, init, None if lab == "free" else float(lab[2:]), N),
                        "task": task, "init": init, "constraint": lab, "N": N,
                        "passed": passed, "n": tried, "rate": passed / tried if tried else float("nan"),
                        "learned_basis": bool(passed),
                        "steps_median": _nanmedian(steps),
                        "steps_min": float(np.nanmin(steps)) if np.isfinite(steps).any() else float("nan"),
                        "steps_max": float(np.nanmax(steps)) if np.isfinite(steps).any() else float("nan"),
                        "mse": _nanmedian(b["test_mse"].values),
                        **{v: _nanmean(b[v].values) for v in (
                            "r_out", "r_in", "r_out_pct", "r_in_pct", "r_out_init", "r_in_init", "henrici")},
                    })
    return rows


def training_summary(sp: xr.Dataset, N: int) -> list[dict]:
    """The closing numbers of the notes over the learned networks at the main size N: per group
    (normal-init Dale, orthogonal-init Dale, unconstrained per init) the radius before and after training
    (mean ± SD) that the paper's claims are about."""
    lrn = learned(sp)
    dale = [lab for lab in sp["constraint"].values.tolist() if lab != "free"]
    rows = []
    groups_ = [("normal", dale, "r_out"), ("normal", dale, "r_in"), ("orthogonal", dale, "r_out"),
               ("orthogonal", dale, "r_in"), ("normal", ["free"], "r_out"), ("orthogonal", ["free"], "r_out")]
    for init, labs, var in groups_:
        labs = [lab for lab in labs if lab in sp["constraint"].values]
        if init not in sp["init"].values or not labs:
            continue
        s = lrn.sel(init=init, constraint=labs, N=N)
        after, before = s[var].values.ravel(), s[f"{var}_init"].values.ravel()
        fin = np.isfinite(after)
        rows.append({
            "init": init, "constraint": "Dale" if labs != ["free"] else "unconstrained", "radius": var,
            "n": int(fin.sum()),
            "before": _nanmean(before), "before_sd": float(np.std(before[fin])) if fin.any() else float("nan"),
            "after": _nanmean(after), "after_sd": float(np.std(after[fin])) if fin.any() else float("nan"),
        })
    return rows
