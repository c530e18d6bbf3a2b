"""Figures of Jarne & Caruso 2024 (spec §7) from the network and spectra files."""

from __future__ import annotations

from typing import Mapping

import numpy as np
import xarray as xr

from ..plotting import new_figure

COLORS = {"ei0.5": "#1f77b4", "ei0.3": "#2ca02c", "ei0.2": "#9467bd", "free": "#7f7f7f"}


def _circle(ax, r, **kw):
    t = np.linspace(0, 2 * np.pi, 200)
    ax.plot(r * np.cos(t), r * np.sin(t), **kw)


def _by_condition(networks: Mapping[str, xr.Dataset]):
    out = {}
    for ds in networks.values():
        out[(str(ds["task"].values), str(ds["init"].values), str(ds["constraint"].values))] = ds
    return out


def F3_spectra(spectra: xr.Dataset, networks: Mapping[str, xr.Dataset]):
    """Eigenvalues of every trained W_rec (all networks of a condition overlaid), colour = Re lambda;
    rows task x init, columns constraint; dashed circles at the mean r_in and r_out, unit circle."""
    nets = _by_condition(networks)
    rows = [(t, i) for t in spectra["task"].values.tolist() for i in spectra["init"].values.tolist()]
    cols = spectra["constraint"].values.tolist()
    fig, axes = new_figure(len(rows), len(cols), width=2.0 * len(cols) + 0.5, height=2.0 * len(rows),
                           squeeze=False)
    for r, (task, init) in enumerate(rows):
        for c, lab in enumerate(cols):
            ax = axes[r, c]
            ax.set_aspect("equal")
            ax.set_xlim(-1.3, 1.7)
            ax.set_ylim(-1.3, 1.3)
            ds = nets.get((task, init, lab))
            if ds is None:
                ax.set_axis_off()
                continue
            lam = (ds["eigval_re"].values + 1j * ds["eigval_im"].values).ravel()
            ax.scatter(lam.real, lam.imag, c=lam.real, cmap="coolwarm", vmin=-1, vmax=1, s=3, lw=0)
            _circle(ax, 1.0, color="k", lw=0.6)
            N = int(ds["N"])
            s = spectra.sel(task=task, init=init, constraint=lab, N=N)
            _circle(ax, float(s["r_out"].mean()), color="r", ls="--", lw=0.8)
            _circle(ax, float(s["r_in"].mean()), color="b", ls="--", lw=0.8)
            ax.set_title(f"{task} {init} {lab}\nr_out {float(s['r_out'].mean()):.2f}, r_in {float(s['r_in'].mean()):.2f}",
                         fontsize=7)
            if c == 0:
                ax.set_ylabel("Im λ")
            if r == len(rows) - 1:
                ax.set_xlabel("Re λ")
    return fig


def _literal_err(a: np.ndarray) -> float:
    """The authors' error bar std * (n - 1) / sqrt(n) (spec §6.2; not the textbook SEM)."""
    a = a[np.isfinite(a)]
    n = a.size
    return float(a.std() * (n - 1) / np.sqrt(n)) if n > 1 else 0.0


def F5_radius_vs_N(spectra: xr.Dataset):
    """Size sweep: histograms of r_out per N and mean r_out vs N with the authors' error bar and a ±1 SD
    band of the per-N means around their overall mean; robust r_out_pct and r_in alongside."""
    p = _params(spectra)
    sw = p["size_sweep"]
    lab = f"ei{float(sw['ei_frac']):g}"
    s = spectra.sel(task=sw["task"], init=sw["init"], constraint=lab, N=sorted(sw["N"]))
    Ns = s["N"].values
    fig, (a1, a2) = new_figure(1, 2, width=8.0, height=3.2)
    bins = np.linspace(0, 2, 16)
    for k, N in enumerate(Ns):
        a1.hist(s["r_out"].sel(N=N).values, bins=bins, histtype="step", label=f"N = {N}")
    a1.set_xlabel("r_out")
    a1.set_ylabel("networks")
    a1.legend(fontsize=6)
    means = s["r_out"].mean("net").values
    errs = [_literal_err(s["r_out"].sel(N=N).values) for N in Ns]
    a2.errorbar(Ns, means, yerr=errs, fmt="o-", color="r", label="r_out (error: std·(n−1)/√n)")
    a2.plot(Ns, s["r_out_pct"].mean("net"), "s--", color="darkred", label="r_out_pct")
    a2.plot(Ns, s["r_in"].mean("net"), "v-", color="b", label="r_in")
    a2.plot(Ns, s["r_out_init"].mean("net"), ":", color="gray", label="r_out at epoch 0")
    m, sd = means.mean(), means.std()
    a2.axhspan(m - sd, m + sd, color="r", alpha=0.1)
    a2.set_xlim(50, 520)
    a2.set_ylim(0, 1.32)
    a2.set_xlabel("N")
    a2.set_ylabel("radius")
    a2.set_title(f"{sw['task']}, {sw['init']}, f_I = {sw['ei_frac']}")
    a2.legend(fontsize=6)
    return fig


def F6_radius_vs_ei(spectra: xr.Dataset):
    """Mean r_out and r_in (± SD over networks) versus inhibitory fraction, per task and init, at the main N."""
    p = _params(spectra)
    s = spectra.sel(N=int(p["N"]))
    labs = [lab for lab in s["constraint"].values.tolist() if lab != "free"]
    fr = [float(lab[2:]) for lab in labs]
    inits = s["init"].values.tolist()
    fig, axes = new_figure(1, len(inits), width=3.6 * len(inits), height=3.0, squeeze=False)
    for k, init in enumerate(inits):
        ax = axes[0, k]
        for task in s["task"].values.tolist():
            c = s.sel(init=init, task=task, constraint=labs)
            ax.errorbar(fr, c["r_out"].mean("net"), yerr=c["r_out"].std("net"), fmt="o-", label=f"{task} r_out")
            ax.errorbar(fr, c["r_in"].mean("net"), yerr=c["r_in"].std("net"), fmt="v:", label=f"{task} r_in")
        ax.set_xlabel("inhibitory fraction f_I")
        ax.set_ylabel("radius")
        ax.set_ylim(0, 1.32)
        ax.set_title(f"{init} init, N = {int(p['N'])}")
        ax.legend(fontsize=6, ncol=2)
    return fig


def F7_constrained_vs_free(spectra: xr.Dataset, networks: Mapping[str, xr.Dataset]):
    """Left: r_out of Dale-constrained vs unconstrained twins (same initial matrix), one point per network;
    right: eigenvalues of one constrained and its unconstrained twin per init (first task)."""
    p = _params(spectra)
    s = spectra.sel(N=int(p["N"]))
    nets = _by_condition(networks)
    inits = s["init"].values.tolist()
    fig, axes = new_figure(1, 1 + len(inits), width=3.2 * (1 + len(inits)), height=3.2, squeeze=False)
    ax = axes[0, 0]
    if "free" in s["constraint"].values:
        for lab in [lab for lab in s["constraint"].values.tolist() if lab != "free"]:
            for init, mk in zip(inits, "os"):
                ax.scatter(s["r_out"].sel(constraint="free", init=init).values.ravel(),
                           s["r_out"].sel(constraint=lab, init=init).values.ravel(), marker=mk, s=12,
                           color=COLORS.get(lab, "k"), label=f"{init}, {lab}")
    ax.plot([0, 1.5], [0, 1.5], "k:", lw=0.8)
    ax.set_xlabel("r_out unconstrained")
    ax.set_ylabel("r_out Dale")
    ax.legend(fontsize=6)
    task = s["task"].values.tolist()[0]
    dale = next(lab for lab in s["constraint"].values.tolist() if lab != "free")
    for k, init in enumerate(inits):
        ax = axes[0, 1 + k]
        ax.set_aspect("equal")
        for lab, color in ((("free", "#7f7f7f")), (dale, COLORS.get(dale, "b"))):
            ds = nets.get((task, init, lab))
            if ds is None:
                continue
            lam = ds["eigval_re"].values[0] + 1j * ds["eigval_im"].values[0]
            ax.scatter(lam.real, lam.imag, s=4, color=color, label=lab, lw=0)
        _circle(ax, 1.0, color="k", lw=0.6)
        ax.set_xlim(-1.3, 1.7)
        ax.set_ylim(-1.3, 1.3)
        ax.set_title(f"{task}, {init}, net 0")
        ax.legend(fontsize=6)
    return fig


def _params(ds: xr.Dataset) -> dict:
    import json

    return json.loads(ds.attrs["parameters"])
