"""Figures of Jarne & Caruso 2024 (docs/models/jarne2024.md#figures) from the network and spectra files.

Spectral figures show the networks that learned their task (success flag); where a figure has to show a
network and none of its condition learned, the failed network is drawn and marked FAILED."""

from __future__ import annotations

from typing import Mapping

import matplotlib
import numpy as np
import xarray as xr

from rnnstruct.core.plotting import empty_figure, new_figure

COLORS = {"ei0.5": "#1f77b4", "ei0.3": "#2ca02c", "ei0.2": "#9467bd", "free": "#7f7f7f"}


def _circle(ax, r, **kw):
    t = np.linspace(0, 2 * np.pi, 200)
    ax.plot(r * np.cos(t), r * np.sin(t), **kw)


def _by_condition(networks: Mapping[str, xr.Dataset], N: int):
    """The network files of size ``N`` (the main grid; the size sweep's other sizes left out) by
    (task, init, constraint)."""
    out = {}
    for ds in networks.values():
        if int(ds["N"]) == int(N):
            out[(str(ds["task"].values), str(ds["init"].values), str(ds["constraint"].values))] = ds
    return out


def _learned(ds: xr.Dataset) -> np.ndarray:
    """Positions (along attempt) of the networks that passed the success criterion."""
    return np.flatnonzero(ds["success"].values == 1)


def _pick(ds: xr.Dataset) -> tuple[int, bool]:
    """(position, learned): the first learned network of a condition, else attempt 0 (failed)."""
    ok = _learned(ds)
    return (int(ok[0]), True) if ok.size else (0, False)


def _who(ds: xr.Dataset, k: int, ok: bool) -> str:
    """'attempt a, learned at step s' or 'attempt a, FAILED (s steps)'."""
    a, steps = int(ds["attempt"].values[k]), int(ds["steps"].values[k])
    return f"attempt {a}, learned in {steps} steps" if ok else f"attempt {a}, FAILED ({steps} steps)"


def F3_spectra(spectra: xr.Dataset, networks: Mapping[str, xr.Dataset]):
    """Eigenvalues of every learned W_rec (all learned networks of a condition overlaid), colour = Re lambda;
    rows task x init, columns constraint; dashed circles at the mean r_in and r_out of the learned networks,
    unit circle; a condition without a learned network shows its failed candidates in grey, marked FAILED;
    a condition this profile does not train is labelled so."""
    nets = _by_condition(networks, int(_params(spectra)["N"]))
    rows = [(t, i) for t in spectra["task"].values.tolist() for i in spectra["init"].values.tolist()]
    cols = spectra["constraint"].values.tolist()
    fig, axes = new_figure(len(rows), len(cols), width=2.0 * len(cols) + 0.5, height=2.0 * len(rows),
                           squeeze=False)
    legend_drawn = False
    for r, (task, init) in enumerate(rows):
        for c, lab in enumerate(cols):
            ax = axes[r, c]
            ax.set_aspect("equal")
            ax.set_xlim(-1.3, 1.7)
            ax.set_ylim(-1.3, 1.3)
            ds = nets.get((task, init, lab))
            if ds is None:
                ax.set_axis_off()
                ax.text(0.5, 0.5, f"{task} {init} {lab}:\nnot trained\nin this profile", ha="center", va="center",
                        fontsize=7, color="0.4", transform=ax.transAxes)
                continue
            ok = _learned(ds)
            sel = ok if ok.size else np.arange(ds.sizes["attempt"])
            lam = (ds["eigval_re"].values[sel] + 1j * ds["eigval_im"].values[sel]).ravel()
            N = int(ds["N"])
            s = spectra.sel(task=task, init=init, constraint=lab, N=N)
            s = s.where(s["success"] == 1) if ok.size else s.where(s["tried"] == 1)
            r_out, r_in = float(s["r_out"].mean()), float(s["r_in"].mean())
            if ok.size:
                ax.scatter(lam.real, lam.imag, c=lam.real, cmap="coolwarm", vmin=-1, vmax=1, s=3, lw=0)
                head = f"{task} {init} {lab}: {ok.size}/{ds.sizes['attempt']} learned"
            else:
                ax.scatter(lam.real, lam.imag, color="0.6", s=3, lw=0)
                head = f"{task} {init} {lab}: FAILED (0/{ds.sizes['attempt']} learned)"
            _circle(ax, 1.0, color="k", lw=0.6, label="unit circle")
            _circle(ax, r_out, color="r", ls="--", lw=0.8, label="mean r_out")
            _circle(ax, r_in, color="b", ls="--", lw=0.8, label="mean r_in")
            ax.set_title(f"{head}\nr_out {r_out:.2f}, r_in {r_in:.2f}", fontsize=7)
            if not legend_drawn:  # on the first drawn panel (the first cell may be untrained)
                ax.legend(fontsize=5, loc="upper right")
                legend_drawn = True
            ax.set_ylabel("Im λ")
            ax.set_xlabel("Re λ")
    return fig


def _literal_err(a: np.ndarray) -> float:
    """The authors' error bar std * (n - 1) / sqrt(n) (drawn literally; not the textbook SEM)."""
    a = a[np.isfinite(a)]
    n = a.size
    return float(a.std() * (n - 1) / np.sqrt(n)) if n > 1 else 0.0


def F5_radius_vs_N(spectra: xr.Dataset):
    """Size sweep, learned networks: r_out of every learned network per N and mean r_out vs N with the authors' error
    bar and a ±1 SD band of the per-N means around their overall mean; robust r_out_pct and r_in alongside,
    and r_out of the projected initial matrices."""
    p = _params(spectra)
    sw = p["size_sweep"]
    lab = f"ei{float(sw['ei_frac']):g}"
    s = spectra.sel(task=sw["task"], init=sw["init"], constraint=lab, N=sorted(sw["N"]))
    s = s.where(s["success"] == 1)  # learned networks only
    Ns = s["N"].values
    fig, (a1, a2) = new_figure(1, 2, width=8.0, height=3.2)
    # every learned network as a point (a histogram hides identical bins of several N behind each other)
    for k, N in enumerate(Ns):
        v = s["r_out"].sel(N=N).values
        v = v[np.isfinite(v)]
        jitter = (np.arange(v.size) - (v.size - 1) / 2) * 0.06
        a1.plot(v, np.full(v.size, k) + jitter, "o", ms=5, color=f"C{k}", label=f"N = {N} ({v.size} learned)")
    a1.set_yticks(range(len(Ns)), [f"N = {N}" for N in Ns])
    a1.set_ylim(-0.6, len(Ns) - 0.4)
    a1.set_xlim(0, 1.3)
    a1.axvline(1.0, color="0.6", lw=0.6, ls=":")
    a1.set_xlabel("r_out of each learned network")
    a1.set_ylabel("network size")
    a1.legend(fontsize=6, loc="lower right")
    means = s["r_out"].mean("attempt").values
    errs = [_literal_err(s["r_out"].sel(N=N).values) for N in Ns]
    a2.errorbar(Ns, means, yerr=errs, fmt="o-", color="r", label="r_out (error: std·(n−1)/√n)")
    a2.plot(Ns, s["r_out_pct"].mean("attempt"), "s--", color="darkred", label="r_out_pct")
    a2.plot(Ns, s["r_in"].mean("attempt"), "v-", color="b", label="r_in")
    a2.plot(Ns, s["r_out_init"].mean("attempt"), ":", color="gray", label="r_out before training")
    m, sd = np.nanmean(means), np.nanstd(means)
    a2.axhspan(m - sd, m + sd, color="r", alpha=0.1, label="mean ± SD of the per-N means of r_out")
    pad = 0.1 * (Ns.max() - Ns.min()) if Ns.size > 1 else 10.0
    a2.set_xlim(Ns.min() - pad, Ns.max() + pad)
    a2.set_xticks(Ns)
    a2.set_ylim(0, 1.32)
    a2.set_xlabel("N")
    a2.set_ylabel("radius")
    a2.set_title(f"{sw['task']}, {sw['init']}, f_I = {sw['ei_frac']}: learned networks")
    a2.legend(fontsize=6)
    return fig


def F6_radius_vs_ei(spectra: xr.Dataset):
    """Mean r_out and r_in (± SD over the learned networks) versus inhibitory fraction, per task and init, at
    the main N."""
    p = _params(spectra)
    s = spectra.sel(N=int(p["N"]))
    s = s.where(s["success"] == 1)
    labs = [lab for lab in s["constraint"].values.tolist() if lab != "free"]
    fr = [float(lab[2:]) for lab in labs]
    inits = s["init"].values.tolist()
    fig, axes = new_figure(1, len(inits), width=3.6 * len(inits), height=3.0, squeeze=False)
    for k, init in enumerate(inits):
        ax = axes[0, k]
        for task in s["task"].values.tolist():
            c = s.sel(init=init, task=task, constraint=labs)
            ax.errorbar(fr, c["r_out"].mean("attempt"), yerr=c["r_out"].std("attempt"), fmt="o-", label=f"{task} r_out")
            ax.errorbar(fr, c["r_in"].mean("attempt"), yerr=c["r_in"].std("attempt"), fmt="v:", label=f"{task} r_in")
        ax.set_xlabel("inhibitory fraction f_I")
        ax.set_ylabel("radius")
        ax.set_ylim(0, 1.32)
        ax.set_title(f"{init} init, N = {int(p['N'])}, learned networks")
        ax.legend(fontsize=6, ncol=2)
    return fig


def F7_constrained_vs_free(spectra: xr.Dataset, networks: Mapping[str, xr.Dataset]):
    """Left: mean r_out of the learned Dale networks against that of the learned unconstrained twins, one
    point per (task, init, fraction), bars ± SD; right: eigenvalues of one learned constrained network and
    of its learned unconstrained twin per init (first task; the same attempt when both learned)."""
    p = _params(spectra)
    s = spectra.sel(N=int(p["N"]))
    s = s.where(s["success"] == 1)
    nets = _by_condition(networks, int(p["N"]))
    inits = s["init"].values.tolist()
    fig, axes = new_figure(1, 1 + len(inits), width=3.2 * (1 + len(inits)), height=3.2, squeeze=False)
    ax = axes[0, 0]
    if "free" in s["constraint"].values:
        for lab in [lab for lab in s["constraint"].values.tolist() if lab != "free"]:
            for init, mk in zip(inits, "os"):
                f, d = s["r_out"].sel(constraint="free", init=init), s["r_out"].sel(constraint=lab, init=init)
                ax.errorbar(f.mean("attempt"), d.mean("attempt"), xerr=f.std("attempt"), yerr=d.std("attempt"),
                            fmt=mk, ms=4, color=COLORS.get(lab, "k"), label=f"{init}, {lab}")
    ax.plot([0, 1.5], [0, 1.5], "k:", lw=0.8, label="equal radii")
    ax.set_xlabel("r_out unconstrained (learned)")
    ax.set_ylabel("r_out Dale (learned)")
    ax.set_title("one point per task", fontsize=8)
    ax.legend(fontsize=6)
    dales = [lab for lab in s["constraint"].values.tolist() if lab != "free"]
    for k, init in enumerate(inits):
        ax = axes[0, 1 + k]
        ax.set_aspect("equal")
        task, dale, pair, common = _twin_pair(nets, s["task"].values.tolist(), init, dales)
        for lab, color, ds in zip(("free", dale), ("#7f7f7f", COLORS.get(dale, "b")), pair):
            if ds is None:
                continue
            j, ok = (common, True) if common is not None else _pick(ds)
            lam = ds["eigval_re"].values[j] + 1j * ds["eigval_im"].values[j]
            ax.scatter(lam.real, lam.imag, s=4, color=color, lw=0,
                       label=f"{lab}, {_who(ds, j, ok)}", marker="o" if ok else "x")
        _circle(ax, 1.0, color="k", lw=0.6)
        ax.set_xlim(-1.3, 1.7)
        ax.set_ylim(-1.3, 1.3)
        ax.set_xlabel("Re λ")
        ax.set_ylabel("Im λ")
        ax.set_title(f"{task}, {init}" + (f", twins (attempt {common})" if common is not None else ""), fontsize=8)
        ax.legend(fontsize=5)
    return fig


def _twin_pair(nets: Mapping, tasks_: list, init: str, dales: list):
    """(task, Dale label, [free, Dale] network files (None where not trained), common learned attempt or None)
    for the right panels of F7: among the (task, fraction) whose Dale network and unconstrained twin were
    both trained, the first in configuration order whose twins learned at the same attempt, else the first
    where both learned, else the first; the first task and fraction when no pair was trained."""
    pairs = []
    for task in tasks_:
        for dale in dales:
            pair = [nets.get((task, init, lab)) for lab in ("free", dale)]
            if all(ds is not None for ds in pair):
                ok = [ds["attempt"].values[_learned(ds)] for ds in pair]
                both = np.intersect1d(*ok)
                rank = 0 if both.size else (1 if all(o.size for o in ok) else 2)
                pairs.append((rank, task, dale, pair, int(both[0]) if both.size else None))
    if not pairs:
        return tasks_[0], dales[0], [nets.get((tasks_[0], init, lab)) for lab in ("free", dales[0])], None
    return min(pairs, key=lambda x: x[0])[1:]  # min keeps the first of equal rank


def _params(ds: xr.Dataset) -> dict:
    import json

    return json.loads(ds.attrs["parameters"])


def _example(networks: Mapping[str, xr.Dataset], spectra: xr.Dataset, task: str | None = None):
    """The Dale-constrained condition at the main N shown for ``task`` (default the first task): the first
    (init, fraction) in configuration order with a learned network, else the first trained one (its failed
    network is then drawn, marked FAILED); :func:`_pick` chooses its network."""
    nets = _by_condition(networks, int(_params(spectra)["N"]))
    task = task or spectra["task"].values.tolist()[0]
    dale = [lab for lab in spectra["constraint"].values.tolist() if lab != "free"]
    trained = [nets[(task, i, lab)] for i in spectra["init"].values.tolist() for lab in dale if (task, i, lab) in nets]
    if not trained:
        raise ValueError(f"no Dale-constrained condition of task {task!r} was trained at the main N")
    return next((ds for ds in trained if _learned(ds).size), trained[0])


def _weights(ds: xr.Dataset, k: int) -> dict:
    return {"W_rec": ds["W_rec"].values[k], "W_in": ds["W_in"].values[k], "b": ds["b_rec"].values[k],
            "W_out": ds["W_out"].values[k][None, :], "b_out": np.atleast_1d(ds["b_out"].values[k])}


def F1_tasks(spectra: xr.Dataset):
    """Task examples (inputs A, B and target) of every task of the config, and the sign structure of the
    Dale mask (inhibitory units first)."""
    from rnnstruct.jarne import model, tasks

    p = _params(spectra)
    names = p["tasks"]
    fig, axes = new_figure(1, len(names) + 1, width=2.6 * (len(names) + 1), height=2.6, squeeze=False)
    for k, task in enumerate(names):
        ax = axes[0, k]
        if task == "ff":
            tr = tasks.flipflop_trials(np.array([[1, 0, 1]]))
        else:
            tr = tasks.boolean_trials(task, np.array([3 if task == "and" else 1]), np.array([25]))
        t = np.arange(tr.x.shape[1])
        ax.plot(t, tr.x[0, :, 0] + 2.4, label="input A")
        ax.plot(t, tr.x[0, :, 1] + 1.2, label="input B")
        ax.plot(t, tr.y[0, :, 0], "k", label="target")
        ax.set_title(task.upper() if task != "ff" else "Flip-Flop")
        ax.set_xlabel("time (ms)")
        ax.set_yticks([])
        if k == 0:
            ax.legend(fontsize=6)
    ax = axes[0, -1]
    N, f = 20, p["ei_fracs"][0]
    ax.imshow(model.sign_mask(model.sign_vector(N, f), p["dale_axis"]), cmap="bwr_r", vmin=-1, vmax=1,
              extent=(0.5, N + 0.5, N + 0.5, 0.5))
    ax.set_title(f"allowed sign of W_rec\n(N = {N}, f_I = {f}, Dale axis {p['dale_axis']})", fontsize=7)
    ticks = [1, 5, 10, 15, 20]
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.set_xlabel("presynaptic unit j")
    ax.set_ylabel("postsynaptic unit i")
    from matplotlib.patches import Patch

    cmap = matplotlib.colormaps["bwr_r"]
    ax.legend(handles=[Patch(color=cmap(0.0), label="inhibitory (w ≤ 0)"), Patch(color=cmap(1.0), label="excitatory (w ≥ 0)")],
              fontsize=6, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=2, frameon=False)
    return fig


def F2_outputs(spectra: xr.Dataset, networks: Mapping[str, xr.Dataset]):
    """Outputs on held-out trials of a trained network per task (the first learned network of the first Dale
    condition at the main N; FAILED in the row title if none learned): inputs A and B (offset below),
    target and output, one trial per type; per-trial L2 distance in the panel titles."""
    names = spectra["task"].values.tolist()
    n_show = 4
    fig, axes = new_figure(len(names), n_show, width=2.3 * n_show, height=2.0 * len(names) + 0.3, squeeze=False)
    for r, task in enumerate(names):
        ds = _example(networks, spectra, task)
        k, ok = _pick(ds)
        kinds = ds["trial_kind"].values
        trials = [int(np.flatnonzero(kinds == v)[0]) for v in np.unique(kinds)][:n_show]
        t = ds["time"].values
        for c in range(n_show):
            ax = axes[r, c]
            if c >= len(trials):
                ax.set_axis_off()
                continue
            i = trials[c]
            x = ds["x_test"].values[i]
            ax.plot(t, x[:, 0] - 1.2, color="#1f77b4", lw=0.8, label="input A (−1.2)")
            ax.plot(t, x[:, 1] - 2.4, color="#ff7f0e", lw=0.8, label="input B (−2.4)")
            ax.plot(t, ds["y_test"].values[i], "k--", lw=0.8, label="target")
            ax.plot(t, ds["y_pred"].values[k, i], "r" if ok else "0.5", lw=1.0,
                    label="output" if ok else "output (FAILED)")
            ax.set_ylim(-2.6, 2)
            ax.set_title(f"type {kinds[i]}: L2 {float(ds['test_l2'].values[k, i]):.2f}", fontsize=7)
            ax.set_xlabel("time (ms)")
            ax.set_ylabel(f"{task}: y, inputs" if c == 0 else "output y")
            if c == 0:
                ax.text(0.0, 1.22, f"{task} {str(ds['init'].values)} {str(ds['constraint'].values)}, "
                        f"{_who(ds, k, ok)}", transform=ax.transAxes, fontsize=7,
                        color="k" if ok else "r", fontweight="normal" if ok else "bold")
        if r == 0:
            axes[0, 0].legend(fontsize=5, loc="upper left")
    return fig


def F4_connectivity(spectra: xr.Dataset, networks: Mapping[str, xr.Dataset]):
    """Heatmaps of W_in, W_rec, W_out (|w| < 1e-4 white) of the first learned network of the first Dale
    condition (FAILED in the title if none learned) and histograms of its recurrent weights (all, > 0.005,
    < -0.005) with a Gaussian fit to all."""
    ds = _example(networks, spectra)
    k, ok = _pick(ds)
    W = ds["W_rec"].values[k].astype(float)
    fig, axes = new_figure(1, 4, width=12, height=3.0, gridspec_kw={"width_ratios": [0.3, 2, 0.3, 2]})
    cmap = matplotlib.colormaps["Spectral"].copy()
    cmap.set_bad("white")
    lim = 0.5
    for ax, M, title in ((axes[0], ds["W_in"].values[k], "W_in"), (axes[1], W, f"W_rec [post, pre], {_who(ds, k, ok)}"),
                         (axes[2], ds["W_out"].values[k][:, None], "W_out")):
        M = np.ma.masked_where(np.abs(M) < 1e-4, M)
        im = ax.imshow(M, cmap=cmap, vmin=-lim, vmax=lim, aspect="auto", interpolation="nearest")
        ax.set_title(title, fontsize=8)
    axes[0].set_xlabel("input")
    axes[0].set_ylabel("unit i")
    axes[1].set_xlabel("presynaptic unit j")
    axes[1].set_ylabel("postsynaptic unit i")
    axes[2].set_xlabel("output")
    axes[2].set_ylabel("unit i")
    fig.colorbar(im, ax=axes[2], label="weight w")
    ax = axes[3]
    w = W.ravel()
    bins = np.linspace(-0.5, 0.5, 201)
    ax.hist(w, bins=bins, density=True, histtype="stepfilled", alpha=0.3, color="gray", label="all")
    ax.hist(w[w > 0.005], bins=bins, density=True, histtype="step", color="r", label="> 0.005")
    ax.hist(w[w < -0.005], bins=bins, density=True, histtype="step", color="b", label="< -0.005")
    mu, sd = w.mean(), w.std()
    xs = np.linspace(-0.5, 0.5, 400)
    ax.plot(xs, np.exp(-0.5 * ((xs - mu) / sd) ** 2) / (sd * np.sqrt(2 * np.pi)), "k", lw=0.8, label="Gaussian fit")
    ax.set_yscale("log")
    ax.set_xlabel("w")
    ax.set_ylabel("density")
    ax.set_title(f"{str(ds['task'].values)} {str(ds['init'].values)} {str(ds['constraint'].values)}: "
                 f"zeros {np.mean(w == 0):.2f}" + ("" if ok else " (FAILED network)"), fontsize=8,
                 color="k" if ok else "r")
    ax.legend(fontsize=6)
    return fig


def pca_project(H: np.ndarray, k: int = 3) -> np.ndarray:
    """Standard PCA: rows = time points (samples), columns = units (centred); projection on the top k PCs."""
    Hc = H - H.mean(axis=0, keepdims=True)
    _, _, Vt = np.linalg.svd(Hc, full_matrices=False)
    return Hc @ Vt[:k].T


def pca_literal(H: np.ndarray, k: int = 3) -> np.ndarray:
    """The authors' variant: PCA fitted on the units x time matrix X = H.T (units = samples, time points =
    features, each time point centred over units, as sklearn's PCA does); returns the top k components
    (right singular vectors of the centred X, unit norm, sign arbitrary) as time series, shape (time, k)."""
    X = H.T - H.T.mean(axis=0, keepdims=True)
    _, _, Vt = np.linalg.svd(X, full_matrices=False)
    return Vt[:k].T


PCA_MODES = {"standard": pca_project, "literal": pca_literal}


def pca_trajectories(H: np.ndarray, mode: str = "standard", k: int = 3) -> np.ndarray:
    """3-D trajectory (time, k) of the activity H (time x units) under ``jarne.pca_mode``."""
    if mode not in PCA_MODES:
        raise ValueError(f"pca_mode must be one of {sorted(PCA_MODES)}, not {mode!r}")
    return PCA_MODES[mode](H, k)


def F8_dynamics(spectra: xr.Dataset, networks: Mapping[str, xr.Dataset], pca_mode: str = "standard"):
    """Activity of inhibitory and excitatory units per trial type and 3-D PCA trajectories of all, E and I
    units (PCA fitted on the trial types concatenated along time), the first learned network of the first
    Dale condition (FAILED in the title if none learned).
    ``pca_mode`` (config jarne.pca_mode): "standard" projects on the top 3 PCs (time points as samples);
    "literal" plots the top 3 components of the units x time matrix as x, y, z (the authors' code; its
    FastICA for the total population is replaced by the same PCA here)."""
    from rnnstruct.jarne import model

    ds = _example(networks, spectra)
    k, ok = _pick(ds)
    kinds = ds["trial_kind"].values
    pick = [int(np.flatnonzero(kinds == v)[0]) for v in np.unique(kinds)][:4]
    H, _ = model.run(_weights(ds, k), ds["x_test"].values[pick])
    s = ds["sign"].values
    fig = empty_figure(width=3.0 * len(pick), height=8.0)
    fig.suptitle(f"{str(ds['task'].values)} {str(ds['init'].values)} {str(ds['constraint'].values)}, "
                 f"{_who(ds, k, ok)}", fontsize=9, color="k" if ok else "r")
    top, bottom = fig.subfigures(2, 1, height_ratios=[2.0, 1.3])
    traces = top.subplots(2, len(pick), squeeze=False, sharex=True)
    t = ds["time"].values
    for c in range(len(pick)):
        a1, a2 = traces[0, c], traces[1, c]
        a1.plot(t, H[c][:, s < 0][:, :20], lw=0.5)
        a1.set_title(f"type {kinds[pick[c]]}: inhibitory units (first 20)", fontsize=7)
        a2.plot(t, H[c][:, s > 0][:, :20], lw=0.5)
        a2.set_title("excitatory units (first 20)", fontsize=7)
        a1.set_xlabel("time (ms)")
        a2.set_xlabel("time (ms)")
        a1.set_ylabel("activity h_i(t)")
        a2.set_ylabel("activity h_i(t)")
    T = H.shape[1]
    for g, (name, sel) in enumerate((("all", np.ones_like(s, bool)), ("E", s > 0), ("I", s < 0))):
        ax = bottom.add_subplot(1, 3, 1 + g, projection="3d")
        if sel.sum() < 3:
            continue
        Z = pca_trajectories(H[:, :, sel].reshape(-1, sel.sum()), pca_mode)
        for c in range(len(pick)):
            z = Z[c * T:(c + 1) * T]
            ax.plot(z[:, 0], z[:, 1], z[:, 2], lw=0.8, label=f"type {kinds[pick[c]]}")
            ax.scatter(*z[0], marker="o", s=10, color="k")
            ax.scatter(*z[-1], marker="x", s=14, color="k")
        ax.set_title(f"PCA ({pca_mode}), {name} units", fontsize=8)
        ax.set_xlabel("PC 1", fontsize=6)
        ax.set_ylabel("PC 2", fontsize=6)
        ax.set_zlabel("PC 3", fontsize=6)
        if g == 0:
            ax.legend(fontsize=5)
    return fig


def _condition_strip(ax, spectra: xr.Dataset, var: str, N: int):
    """Per-network values of ``var`` at size N (learned networks): x = task/init, colour = constraint,
    mean +- SD bars."""
    s = spectra.sel(N=N)
    s = s.where(s["success"] == 1)
    labs = s["constraint"].values.tolist()
    groups = [(t, i) for t in s["task"].values.tolist() for i in s["init"].values.tolist()
              if np.isfinite(s[var].sel(task=t, init=i).values).any()]  # untrained cells (NaN) left out
    width = 0.8 / max(len(labs), 1)
    for c, lab in enumerate(labs):
        for g, (task, init) in enumerate(groups):
            v = s[var].sel(task=task, init=init, constraint=lab).values.ravel()
            v = v[np.isfinite(v)]
            if v.size == 0:
                continue
            x = g - 0.4 + width * (c + 0.5)
            ax.scatter(np.full(v.size, x), v, s=6, color=COLORS.get(lab, "k"), alpha=0.6, lw=0,
                       label=lab if g == 0 else None)
            ax.errorbar(x, v.mean(), yerr=v.std(), fmt="_", color=COLORS.get(lab, "k"), ms=10, capsize=2)
    short = {"normal": "norm.", "orthogonal": "orth."}
    ax.set_xticks(range(len(groups)), [f"{t}\n{short.get(i, i)}" for t, i in groups], fontsize=6)
    ax.set_title(var, fontsize=8)


def S_supplement(spectra: xr.Dataset, networks: Mapping[str, xr.Dataset]):
    """Supplement at the main N, learned networks: Henrici non-normality H, largest eigenvalue of the symmetric
    part and the recurrent-weight moments (mean, SD, skewness, excess kurtosis, zero fraction) per network and
    condition (spectra file); eigenvalue histograms of the symmetric part (W + W^T)/2 of the trained W_rec
    (thresholded as in the analysis) of every learned network of the first task, per init and constraint
    (network files; a condition without a learned network is left out)."""
    from rnnstruct.jarne import analysis

    p = _params(spectra)
    N = int(p["N"])
    nets = _by_condition(networks, N)
    task = spectra["task"].values.tolist()[0]
    inits = spectra["init"].values.tolist()
    top = ["henrici", "sym_max", "zero_frac"]
    bottom = ["w_mean", "w_std", "w_skew", "w_kurtosis"]
    ncol = max(len(bottom), len(top) + len(inits))
    fig, axes = new_figure(2, ncol, width=2.9 * ncol, height=5.8, squeeze=False)
    for ax, var in zip(list(axes[0, : len(top)]) + list(axes[1, : len(bottom)]), top + bottom):
        _condition_strip(ax, spectra, var, N)
    axes[0, 0].set_title("Henrici non-normality H", fontsize=8)
    axes[0, 0].legend(fontsize=6)
    axes[0, 1].set_title("largest eigenvalue of (W + Wᵀ)/2", fontsize=8)
    zt = p["analysis"]["zero_threshold"]
    for k, init in enumerate(inits):
        ax = axes[0, len(top) + k]
        for lab in spectra["constraint"].values.tolist():
            ds = nets.get((task, init, lab))
            if ds is None or _learned(ds).size == 0:
                continue
            ev = np.concatenate([np.linalg.eigvalsh(0.5 * (W + W.T))
                                 for W in (analysis.thresholded(w, zt) for w in ds["W_rec"].values[_learned(ds)])])
            ax.hist(ev, bins=40, density=True, histtype="step", color=COLORS.get(lab, "k"), label=lab)
        ax.axvline(1.0, color="k", ls=":", lw=0.6)
        ax.set_xlabel("eigenvalue of (W + Wᵀ)/2")
        ax.set_ylabel("density")
        ax.set_title(f"{task}, {init}, N = {N}: symmetric part", fontsize=8)
        ax.legend(fontsize=6)
    for ax in list(axes[0, len(top) + len(inits):]) + list(axes[1, len(bottom):]):
        ax.set_axis_off()
    return fig


def S_training(spectra: xr.Dataset, networks: Mapping[str, xr.Dataset]):
    """Training until success: (a) training loss per optimizer step of every tried candidate at the main N
    (colour = constraint; failed candidates grey), one panel per task; (b) steps to success of every learned
    network per condition, with the success rate (learned / tried) above each condition; (c) r_out at the
    start (projected initial matrix) against r_out at the end of training, per learned network."""
    p = _params(spectra)
    N = int(p["N"])
    task_names = spectra["task"].values.tolist()
    fig, axes = new_figure(2, max(len(task_names), 2), width=3.0 * max(len(task_names), 2), height=6.0,
                           squeeze=False)
    for j, task in enumerate(task_names):
        ax = axes[0, j]
        for ds in networks.values():
            if str(ds["task"].values) != task or int(ds["N"]) != N:
                continue
            lab = str(ds["constraint"].values)
            for k in range(ds.sizes["attempt"]):
                ok = int(ds["success"].values[k]) == 1
                loss = ds["loss"].values[k]
                ax.plot(ds["opt_step"].values, loss, lw=0.6, alpha=0.8 if ok else 0.5,
                        color=COLORS.get(lab, "k") if ok else "0.7", ls="-" if ok else ":")
        for lab, color in COLORS.items():
            if lab in spectra["constraint"].values:
                ax.plot([], [], color=color, label=f"{lab}, learned")
        ax.plot([], [], color="0.7", ls=":", label="failed")
        ax.set_yscale("log")
        ax.set_xlabel("optimizer step")
        ax.set_ylabel("training loss (MSE)")
        ax.set_title(f"{task}, N = {N}: every tried candidate", fontsize=8)
        if j == 0:
            ax.legend(fontsize=5)
    for ax in axes[0, len(task_names):]:
        ax.set_axis_off()
    ax = axes[1, 0]
    gs = ax.get_gridspec()
    for a in axes[1, : max(len(task_names), 2) - 1]:
        a.remove()
    ax = fig.add_subplot(gs[1, : max(len(task_names), 2) - 1])
    labels = []
    x = 0
    for task in spectra["task"].values.tolist():
        for init in spectra["init"].values.tolist():
            for lab in spectra["constraint"].values.tolist():
                for n in spectra["N"].values.tolist():
                    s = spectra.sel(task=task, init=init, constraint=lab, N=n)
                    if int(s["trained"]) == 0:
                        continue
                    st = s["steps_to_success"].values
                    st = st[np.isfinite(st)]
                    ax.scatter(np.full(st.size, x), st, s=10, color=COLORS.get(lab, "k"))
                    ax.text(x, 1.0, f"{int(s['learned'])}/{int(s['tried'].sum())}", transform=ax.get_xaxis_transform(),
                            ha="center", va="bottom", fontsize=5, rotation=90)
                    labels.append(f"{task} {init[:4]}. {lab}" + ("" if n == N else f" N{n}"))
                    x += 1
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=5)
    ax.set_xlabel("condition (task, init, constraint)")
    ax.set_ylabel("optimizer steps to success")
    ax.set_ylim(bottom=0)
    ax.set_title("steps to success per learned network (learned / tried above)", fontsize=8, pad=22)
    ax = axes[1, -1]
    lrn = spectra.where(spectra["success"] == 1)
    for lab in spectra["constraint"].values.tolist():
        for init, mk in zip(spectra["init"].values.tolist(), "os"):
            s = lrn.sel(constraint=lab, init=init)
            ax.scatter(s["r_out_init"].values.ravel(), s["r_out"].values.ravel(), s=8, marker=mk,
                       color=COLORS.get(lab, "k"), label=f"{init}, {lab}")
    ax.plot([0, 1.3], [0, 1.3], "k:", lw=0.8)
    ax.set_xlabel("r_out before training (projected init)")
    ax.set_ylabel("r_out after training")
    ax.set_title("what training changed (learned)", fontsize=8)
    ax.legend(fontsize=5)
    return fig
