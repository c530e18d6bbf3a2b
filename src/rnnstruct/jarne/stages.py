"""Jarne stage: parameters in, xarray datasets out.

* the trained conditions of a config section are listed by :func:`rnnstruct.jarne.design.conditions`;
* :func:`train_networks` trains networks [start, stop) of one condition and returns their weights,
  loss curves, test errors, success flags and spectra (one file per chunk; :func:`merge_networks`
  joins the chunks into ``results/jarne/networks/<condition>.nc``).
* :func:`spectra` gathers the per-network measures of every condition over dims
  (task, init, constraint, N, net); :func:`claims` tests the paper's claims on them.

Seed keys (root seed = config ``seed``; never the job layout):
  dataset ``("jarne", "data", task, "train"|"test", n)``; initial weights
  ``("jarne", "init", init, gain, N, net)`` (shared by every task, E/I fraction and the unconstrained
  twin, so that comparisons are paired); mini-batch order ``("jarne", "order", task, N, net)``.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import xarray as xr

from rnnstruct.core import chunks, io, seeds
from rnnstruct.jarne import analysis, model, tasks
from rnnstruct.jarne.design import condition_name, conditions, constraint_label
from rnnstruct.jarne import variables  # noqa: F401  (registers the metadata table of the outputs)

REFERENCE = (
    "Jarne & Caruso 2024, Effect in the spectra of eigenvalues and dynamics of RNNs trained with "
    "excitatory-inhibitory constraint, Cogn. Neurodyn. 18:1323, doi:10.1007/s11571-023-09956-w"
)
META = {
    "networks": dict(
        stage="jarne.networks",
        title="RNNs trained under Dale's law (or unconstrained): weights, losses, test errors, spectra",
        summary="Trained W_rec, W_in, biases and readout per network of one condition, the training loss per "
        "optimizer step, test error and success flag on held-out trials, and the eigenvalues of the trained "
        "and of the projected initial recurrent matrix.",
        references=REFERENCE,
    ),
    "spectra": dict(
        stage="jarne.spectra",
        title="Eigenvalue radii and weight statistics of trained recurrent matrices",
        summary="Per network: r_out (7th largest |lambda|), r_in (min |lambda|), robust percentile radii, Henrici "
        "non-normality, weight moments and zero fraction, the same radii of the projected initial matrix, test "
        "MSE and success, over (task, init, constraint, N, net).",
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


def initial(p: Mapping, seed: int, init: str, N: int, net: int) -> dict:
    gain = float(p["gain"][init])
    return model.initial_params(N, init, seeds.rng(seed, ("jarne", "init", init, gain, int(N), int(net))), gain)


def batch_order(p: Mapping, seed: int, task: str, N: int, net: int) -> np.ndarray:
    rng = seeds.rng(seed, ("jarne", "order", task, int(N), int(net)))
    n = p["data"]["n_train"]
    return np.stack([rng.permutation(n) for _ in range(p["training"]["epochs"])])


def _opt(p: Mapping) -> dict:
    t = p["training"]
    return dict(lr=t["lr"], decay=t["decay"], clipnorm=t["clipnorm"], b1=t["beta1"], b2=t["beta2"], eps=t["eps"])


def train_one(p: Mapping, seed: int, cond: Mapping, net: int, data=None, progress: bool = True, callback=None):
    """Train one network of a condition; returns (initial params, training result, test trials)."""
    from rnnstruct.jarne import train as jtrain

    task, init, ei_frac, N = cond["task"], cond["init"], cond["ei_frac"], cond["N"]
    train_set, test_set = data if data is not None else dataset(p, seed, task)
    init_p = initial(p, seed, init, N, net)
    sign = model.sign_vector(N, ei_frac if ei_frac is not None else 0.0)
    res = jtrain.train(
        init_p,
        train_set.x,
        train_set.y,
        batch_order(p, seed, task, N, net),
        sign=sign,
        constrained=ei_frac is not None,
        dale_axis=p["dale_axis"],
        opt=_opt(p),
        batch_size=p["training"]["batch_size"],
        project_init=p["project_init"],
        progress=progress,
        desc=f"{condition_name(task, init, ei_frac, N)} net {net}",
        callback=callback,
    )
    return init_p, res, test_set


def train_networks(p: Mapping, seed: int, name: str, nets: Sequence[int], progress: bool = True) -> xr.Dataset:
    """Networks ``nets`` of condition ``name`` (see module docstring)."""
    from rnnstruct.jarne import train as jtrain

    conds = conditions(p)
    if name not in conds:
        raise ValueError(f"condition {name!r} is not in this config (conditions: {', '.join(conds)})")
    cond = conds[name]
    task, ei_frac, N = cond["task"], cond["ei_frac"], cond["N"]
    data = dataset(p, seed, task)
    test = data[1]
    sign = model.sign_vector(N, ei_frac) if ei_frac is not None else np.zeros(N, dtype=np.int8)
    rows = []
    for net in nets:
        init_p, res, _ = train_one(p, seed, cond, net, data=data, progress=progress)
        _, y_pred = jtrain.predict(res.params, test.x)
        mse, ok = analysis.success(y_pred, test.y, task, test.kind, p["success"])
        l2 = np.sqrt(np.sum((np.asarray(y_pred, dtype=np.float64) - test.y) ** 2, axis=(1, 2)))
        W0 = init_p["W_rec"]
        if ei_frac is not None:
            W0 = model.project(W0, init_p["W_in"], model.sign_vector(N, ei_frac), p["dale_axis"])[0]
        lam = analysis.eigenvalues(analysis.thresholded(res.params["W_rec"], p["analysis"]["zero_threshold"]))
        lam0 = analysis.eigenvalues(analysis.thresholded(W0, p["analysis"]["zero_threshold"]))
        rows.append((res, mse, ok, l2, lam, lam0))
    f64 = lambda a: np.asarray(a, dtype=np.float64)  # noqa: E731
    ds = xr.Dataset(
        {
            "W_rec": (("net", "post", "pre"), np.stack([r[0].params["W_rec"] for r in rows])),
            "W_in": (("net", "unit", "channel"), np.stack([r[0].params["W_in"] for r in rows])),
            "b_rec": (("net", "unit"), np.stack([r[0].params["b"] for r in rows])),
            "W_out": (("net", "unit"), np.stack([r[0].params["W_out"][0] for r in rows])),
            "b_out": (("net",), np.stack([r[0].params["b_out"][0] for r in rows])),
            "loss": (("net", "opt_step"), f64(np.stack([r[0].loss for r in rows]))),
            "test_mse": (("net",), f64([r[1] for r in rows])),
            "success": (("net",), np.asarray([r[2] for r in rows], dtype=np.int8)),
            "test_l2": (("net", "trial"), f64(np.stack([r[3] for r in rows]))),
            "eigval_re": (("net", "eig"), np.stack([r[4].real for r in rows])),
            "eigval_im": (("net", "eig"), np.stack([r[4].imag for r in rows])),
            "eigval0_re": (("net", "eig"), np.stack([r[5].real for r in rows])),
            "eigval0_im": (("net", "eig"), np.stack([r[5].imag for r in rows])),
            "x_test": (("trial", "time", "channel"), test.x),
            "y_test": (("trial", "time"), test.y[..., 0]),
            "trial_kind": (("trial",), test.kind.astype(np.int64)),
            "jitter": (("trial",), test.jitter.astype(np.int64)),
        },
        coords={
            "net": np.asarray(nets, dtype=np.int64),
            "unit": np.arange(N),
            "post": np.arange(N),
            "pre": np.arange(N),
            "sign": (("unit",), sign.astype(np.int8)),
            "channel": np.arange(2),
            "trial": np.arange(test.x.shape[0]),
            "time": np.arange(test.x.shape[1]),
            "opt_step": np.arange(rows[0][0].loss.size),
            "eig": np.arange(N),
            "task": task,
            "init": cond["init"],
            "constraint": constraint_label(ei_frac),
            "ei_frac": np.nan if ei_frac is None else float(ei_frac),
            "N": N,
        },
    )
    return ds


def merge_networks(p: Mapping, parts: Sequence[xr.Dataset]) -> xr.Dataset:
    """Join the network chunks of one condition: networks 0..nets-1 exactly once, in order."""
    return chunks.concat(parts, "net", expected={"net": list(range(int(p["nets"])))}, params=p, compat="identical")


SPECTRA_VARS = (
    "r_out", "r_in", "r_out_pct", "r_in_pct", "n_outliers", "spectral_radius", "henrici",
    "w_mean", "w_std", "w_skew", "w_kurtosis", "zero_frac", "sym_max", "rank", "osc_freq_coded", "osc_freq_exact",
)


def spectra(p: Mapping, networks: Mapping[str, xr.Dataset]) -> xr.Dataset:
    """Per-network measures of every condition on the dense grid (task, init, constraint, N, net);
    cells of untrained conditions are NaN (variable attribute nan_meaning)."""
    conds = conditions(p)
    missing = set(conds) - set(networks)
    if missing:
        raise ValueError(f"missing network files for {sorted(missing)}")
    tasks_ = list(dict.fromkeys(c["task"] for c in conds.values()))
    inits = list(dict.fromkeys(c["init"] for c in conds.values()))
    labels = list(dict.fromkeys(constraint_label(c["ei_frac"]) for c in conds.values()))
    labels = sorted(labels, key=lambda s: (s == "free", s))
    Ns = sorted({c["N"] for c in conds.values()})
    nets = int(p["nets"])
    shape = (len(tasks_), len(inits), len(labels), len(Ns), nets)
    names = SPECTRA_VARS + tuple(f"{v}_init" for v in ("r_out", "r_in", "r_out_pct", "r_in_pct")) + (
        "test_mse", "success")
    data = {v: np.full(shape, np.nan) for v in names}
    ap = p["analysis"]
    for name, c in conds.items():
        ds = networks[name]
        idx = (tasks_.index(c["task"]), inits.index(c["init"]), labels.index(constraint_label(c["ei_frac"])),
               Ns.index(c["N"]))
        for k, net in enumerate(ds["net"].values):
            summ, _ = analysis.matrix_summary(ds["W_rec"].values[k], ap)
            for v in SPECTRA_VARS:
                data[v][idx + (int(net),)] = summ[v]
            lam0 = io.complex_variable(ds, "eigval0").values[k]
            mod0 = np.abs(lam0)
            data["r_out_init"][idx + (int(net),)] = analysis.r_out(mod0, ap["n_dominant"])
            data["r_in_init"][idx + (int(net),)] = analysis.r_in(mod0)
            rob = analysis.robust_radii(mod0, ap["mad_k"], ap["q_out"], ap["q_in"])
            data["r_out_pct_init"][idx + (int(net),)] = rob["r_out_pct"]
            data["r_in_pct_init"][idx + (int(net),)] = rob["r_in_pct"]
            data["test_mse"][idx + (int(net),)] = float(ds["test_mse"].values[k])
            data["success"][idx + (int(net),)] = float(ds["success"].values[k])
    dims = ("task", "init", "constraint", "N", "net")
    ei = [np.nan if lab == "free" else float(lab[2:]) for lab in labels]
    out = xr.Dataset(
        {v: (dims, a) for v, a in data.items()},
        coords={"task": tasks_, "init": inits, "constraint": labels, "ei_frac": (("constraint",), ei),
                "N": np.asarray(Ns, dtype=np.int64), "net": np.arange(nets)},
    )
    out["spectral_radius"].attrs["nan_meaning"] = "condition not trained in this configuration"
    out["trained"] = (dims[:4], np.isfinite(data["r_out"][..., 0]).astype(np.int8))
    return out


def _mean_se(a) -> tuple[float, float, int]:
    a = np.asarray(a, dtype=np.float64)
    a = a[np.isfinite(a)]
    n = a.size
    return float(a.mean()), float(a.std(ddof=1) / np.sqrt(n)) if n > 1 else float("nan"), n


def _verdict(ok_all: bool, ok_some: bool) -> str:
    return "reproduced" if ok_all else ("partly reproduced" if ok_some else "not reproduced")


def claims(p: Mapping, sp: xr.Dataset) -> list[dict]:
    """The paper's claims (docs/models/jarne2024.md#claims) tested on the spectra file; one dict per claim
    with its generated numbers (text) and verdict.  Rules [RECON] (config ``jarne.claims``):

    * disk (normal init): every constrained network has r_out < 1 and the mean ratio r_in_pct / r_out_pct
      is below ``ring_ratio`` (a uniform disk gives sqrt(0.05) = 0.22 for the 5th/95th percentiles);
    * ring (orthogonal init): the mean ratio r_in_pct / r_out_pct is above ``ring_ratio`` in every condition;
    * independence of N and of the E/I fraction: relative spread (max - min) / mean of the condition means
      of r_out below ``flat_tol``;
    * smaller than unconstrained: paired difference r_out(Dale) - r_out(free) (same initial matrix, data
      and batch order) negative in every condition and its mean at least 2 SE below zero.
    * training gate: the claims are about *trained* networks, so when fewer than ``min_success`` of the
      constrained networks pass the success criterion, a verdict is at most "partly reproduced" and the
      numbers say how many passed (the spectra are then those of barely trained networks).
    """
    c = p["claims"]
    N0 = int(p["N"])
    dale = [lab for lab in sp["constraint"].values.tolist() if lab != "free"]
    out = []

    def cell(init, N=N0, labels=None):
        s = sp.sel(init=init, N=N, constraint=labels or dale) if init in sp["init"].values else None
        return s

    for init, shape in (("normal", "disk"), ("orthogonal", "ring")):
        if init not in sp["init"].values or N0 not in sp["N"].values:
            continue
        s = cell(init)
        ratio = (s["r_in_pct"] / s["r_out_pct"]).mean("net")
        ratio = ratio.where(s["trained"] > 0)
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
            "numbers": f"r_out = {r_mean:.3f} ± {r_se:.3f} (mean ± SE, n = {n}, max {r_max:.3f}); "
            f"r_in_pct/r_out_pct per condition {rmin:.3f}–{rmax:.3f} (threshold {c['ring_ratio']:g}); "
            f"r_in = {float(np.nanmean(s['r_in'].values)):.3f}",
            "verdict": _verdict(ok_r and ok_shape, ok_r or ok_shape),
        })
    # independence of N (size sweep)
    sw = p["size_sweep"]
    lab = constraint_label(sw["ei_frac"])
    s = sp.sel(task=sw["task"], init=sw["init"], constraint=lab, N=sorted(sw["N"]))
    means = s["r_out"].mean("net").values
    spread = float((means.max() - means.min()) / means.mean())
    slope = float(np.polyfit(np.asarray(sorted(sw["N"]), float), means, 1)[0]) if len(means) > 1 else float("nan")
    out.append({
        "id": "independent_of_N",
        "claim": "the radius does not depend on the network size N",
        "numbers": "mean r_out per N: " + ", ".join(f"N = {N}: {m:.3f}" for N, m in zip(sorted(sw["N"]), means))
        + f"; relative spread {spread:.3f} (tolerance {c['flat_tol']:g}); slope {slope * 100:.4f} per 100 units",
        "verdict": _verdict(spread < c["flat_tol"], spread < 2 * c["flat_tol"]),
    })
    # independence of the E/I fraction
    if len(dale) > 1:
        s = sp.sel(N=N0, constraint=dale)
        m = s["r_out"].mean("net")
        rel = ((m.max("constraint") - m.min("constraint")) / m.mean("constraint")).where(
            s["trained"].min("constraint") > 0)
        worst = float(rel.max())
        parts = "; ".join(
            f"{init}: " + ", ".join(f"{lab_}: {float(m.sel(init=init, constraint=lab_).mean('task')):.3f}"
                                    for lab_ in dale)
            for init in s["init"].values.tolist()
        )
        out.append({
            "id": "independent_of_ei",
            "claim": "the radius does not depend on the E/I fraction",
            "numbers": f"mean r_out over tasks, per init and fraction: {parts}; largest relative spread "
            f"over fractions within a (task, init) {worst:.3f} (tolerance {c['flat_tol']:g})",
            "verdict": _verdict(worst < c["flat_tol"], worst < 2 * c["flat_tol"]),
        })
    # smaller than unconstrained
    if "free" in sp["constraint"].values and dale:
        s = sp.sel(N=N0)
        diff = s["r_out"].sel(constraint=dale) - s["r_out"].sel(constraint="free")
        cond_mean = diff.mean("net").where(s["trained"].sel(constraint=dale) > 0)
        d_mean, d_se, n = _mean_se(diff.values)
        ok_all = bool((cond_mean.max() < 0)) and d_mean + 2 * d_se < 0
        rc, rf = float(np.nanmean(s["r_out"].sel(constraint=dale).values)), float(
            np.nanmean(s["r_out"].sel(constraint="free").values))
        out.append({
            "id": "smaller_than_free",
            "claim": "the radius is smaller than without the constraint",
            "numbers": f"r_out Dale {rc:.3f} vs unconstrained {rf:.3f}; paired difference {d_mean:.3f} ± {d_se:.3f} "
            f"(mean ± SE, n = {n}); largest condition mean {float(cond_mean.max()):.3f}",
            "verdict": _verdict(ok_all, d_mean < 0),
        })
    return _training_gate(out, sp, dale, float(c.get("min_success", 0.5)))


def _training_gate(rows: list[dict], sp: xr.Dataset, dale: list[str], min_success: float) -> list[dict]:
    """Cap the verdicts at "partly reproduced" when too few constrained networks learned their task."""
    ok = sp["success"].sel(constraint=dale).values if dale else np.array([])
    ok = ok[np.isfinite(ok)]
    passed, n = int(ok.sum()), int(ok.size)
    frac = passed / n if n else 0.0
    if frac >= min_success:
        return rows
    note = (f" [only {passed}/{n} constrained networks pass the success criterion (< {min_success:g}): "
            "spectra of barely trained networks, verdict capped]")
    return [
        {**r, "numbers": r["numbers"] + note,
         "verdict": "partly reproduced" if r["verdict"] == "reproduced" else r["verdict"]}
        for r in rows
    ]


def success_table(sp: xr.Dataset) -> list[dict]:
    """Fraction of networks passing the success criterion, per trained condition."""
    rows = []
    for task in sp["task"].values.tolist():
        for init in sp["init"].values.tolist():
            for lab in sp["constraint"].values.tolist():
                for N in sp["N"].values.tolist():
                    s = sp.sel(task=task, init=init, constraint=lab, N=N)
                    if int(s["trained"]) == 0:
                        continue
                    ok = s["success"].values
                    rows.append({
                        "condition": condition_name(task, init, None if lab == "free" else float(lab[2:]), N),
                        "passed": int(np.nansum(ok)), "n": int(np.isfinite(ok).sum()),
                        "mse": float(np.nanmedian(s["test_mse"].values)),
                        "r_out": float(np.nanmean(s["r_out"].values)),
                        "r_in": float(np.nanmean(s["r_in"].values)),
                        "r_out_pct": float(np.nanmean(s["r_out_pct"].values)),
                        "r_in_pct": float(np.nanmean(s["r_in_pct"].values)),
                        "r_out_init": float(np.nanmean(s["r_out_init"].values)),
                        "henrici": float(np.nanmean(s["henrici"].values)),
                    })
    return rows
