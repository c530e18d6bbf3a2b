"""Validation figures: each numerical stage against the theory that exists for it."""

from __future__ import annotations

import numpy as np
import xarray as xr

from rnnstruct.core import io
from rnnstruct.core.plotting import THEORY_COLOR, new_figure, panel_label

SIM_COLOR = "#1f77b4"
SIM2_COLOR = "#2ca02c"


def meanfield_deviation(val: xr.Dataset, name: str, w_min: float) -> float:
    """max_w |<sim>_rep - theory(w)| over w >= w_min (NaN if no such w)."""
    sim = val[name].mean("rep")
    th = val[f"{name}_theory_at_w"]
    sel = val["w"] >= w_min
    diff = np.abs(sim - th).where(sel)
    return float(diff.max()) if bool(sel.any()) else float("nan")


def base_meanfield(val: xr.Dataset):
    """lambda_max and PR/N versus w at b = 0: simulation against mean-field theory."""
    params = io.parameters(val)
    vp = params["validation"]
    w = val["w"].values
    wt = val["w_theory"].values
    fig, axes = new_figure(1, 3, width=9.0, height=3.0)

    ax = axes[0]
    ax.plot(wt, val["lyap_max_theory"], color=THEORY_COLOR, label="mean field")
    lam = val["lyap_max"]
    ax.errorbar(
        w,
        lam.mean("rep"),
        yerr=lam.std("rep") if lam.sizes["rep"] > 1 else None,
        fmt="o",
        ms=4,
        color=SIM_COLOR,
        label=f"simulation (N = {vp['N']})",
    )
    lin = w <= 1.0  # quiescent: lambda_max equals log rho(W) exactly
    ax.plot(
        w[lin],
        np.log(val["spectral_radius"].mean("rep").values[lin]),
        "x",
        color="0.3",
        ms=6,
        label=r"$\log\rho(W)$ (linearisation, w $\leq$ 1)",
    )
    ax.axhline(0, color="0.7", lw=0.6)
    ax.set_xlabel("w (= g at b = 0)")
    ax.set_ylabel(r"$\lambda_{max}$ per step")
    ax.legend(frameon=False)
    panel_label(ax, "a")

    ax = axes[1]
    for name, color, label in (("pr_x", SIM_COLOR, "states x"), ("pr_h", SIM2_COLOR, "fields h = Wx")):
        ax.plot(wt, val[f"{name}_theory"], color=color, lw=1.0, label=f"theory, {label}")
        pr = val[name]
        err = np.sqrt((val[f"{name}_se"] ** 2).mean("rep"))
        ax.errorbar(
            w, pr.mean("rep"), yerr=err, fmt="o", ms=4, color=color, mfc="white", label=f"simulation, {label}"
        )
    ax.set_xlabel("w")
    ax.set_ylabel("participation ratio PR/N")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False)
    panel_label(ax, "b")

    ax = axes[2]
    tol_l, tol_p = vp["lyap_tolerance"], vp["pr_tolerance"]
    dl = lam.mean("rep") - val["lyap_max_theory_at_w"]
    dp = val["pr_x"].mean("rep") - val["pr_x_theory_at_w"]
    ax.axhspan(-tol_l, tol_l, color=SIM_COLOR, alpha=0.12, lw=0)
    ax.axhspan(-tol_p, tol_p, color=SIM2_COLOR, alpha=0.08, lw=0)
    ax.plot(w, dl, "o-", color=SIM_COLOR, ms=4, label=rf"$\Delta\lambda_{{max}}$ (band $\pm${tol_l:g})")
    ax.plot(
        w, dp, "s-", color=SIM2_COLOR, ms=4, mfc="white", label=rf"$\Delta$PR$_x$/N (band $\pm${tol_p:g})"
    )
    ax.axhline(0, color="0.5", lw=0.6)
    ax.set_xlabel("w")
    ax.set_ylabel("simulation - theory")
    dev_l = meanfield_deviation(val, "lyap_max", 1.5)
    dev_p = meanfield_deviation(val, "pr_x", 2.0)
    ax.text(
        0.02,
        0.02,
        f"max |dev|: λ {dev_l:.3g} (w ≥ 1.5)\nPR/N {dev_p:.3g} (w ≥ 2)",
        transform=ax.transAxes,
        fontsize=7,
        va="bottom",
    )
    ax.legend(frameon=False)
    panel_label(ax, "c")
    fig.suptitle(
        f"Mean-field validation at b = 0: N = {vp['N']}, {vp['reps']} matrices x {vp['trajectories']} "
        f"trajectories, {vp['n_measure']} measured steps, {vp['cov_blocks']} blocks",
        fontsize=8,
    )
    return fig


def base_spectrum(ens: xr.Dataset):
    """Eigenvalues of the example matrices against the circular law and the outlier prediction."""
    params = io.parameters(ens)
    ws = sorted(set(ens["example_w"].values.tolist()))
    bs = sorted(set(ens["example_b"].values.tolist()))
    fig, axes = new_figure(len(ws), len(bs), width=2.6 * len(bs), height=2.6 * len(ws) + 0.4, squeeze=False)
    t = np.linspace(0, 2 * np.pi, 400)
    for i, w in enumerate(ws):
        for j, b in enumerate(bs):
            ax = axes[i, j]
            sel = (ens["example_w"] == w) & (ens["example_b"] == b)
            idx = np.nonzero(sel.values)[0]
            for k in idx:
                ax.plot(ens["eigval_re"][k], ens["eigval_im"][k], ".", ms=2, color="0.3", alpha=0.6)
            k0 = idx[0]
            rho = float(ens["bulk_radius_theory"][k0])
            out = float(ens["outlier_theory"][k0])
            ax.plot(rho * np.cos(t), rho * np.sin(t), color=THEORY_COLOR, lw=1.0)
            if abs(out) > rho:
                ax.plot([out], [0], "x", color=THEORY_COLOR, ms=8, mew=1.5)
            real_out = ens["outlier_re"][idx].values
            rms = ens["bulk_radius_rms"][idx].values
            txt = f"bulk r (rms) {np.mean(rms):.3f} vs {rho:.3f}"
            if np.isfinite(real_out).any():
                txt += f"\noutlier {np.nanmean(real_out):.2f} vs {out:.2f}"
            ax.text(0.02, 0.98, txt, transform=ax.transAxes, va="top", fontsize=7)
            ax.set_aspect("equal", adjustable="datalim")
            ax.set_title(f"w = {w:g}, b = {b:g} ({len(idx)} matrices)")
            ax.set_xlabel("Re λ")
            ax.set_ylabel("Im λ")
    fig.suptitle(
        f"Base ensemble spectra, N = {params['N']}, d = {params['density']:g}: circle = circular-law "
        "radius w sqrt(N var), x = outlier b w sqrt(2dN/pi)",
        fontsize=8,
    )
    return fig


def regularity_spectra(ds: xr.Dataset):
    """Eigenvalues of every regularity and control value against the random-matrix prediction:
    circle (bulk radius), ellipse (Hopfield, semi-axes w(1 ± r); a segment at r = 1) and outlier."""
    params = io.parameters(ds)
    regs = [str(r) for r in ds["regularity"].values]
    n_ctrl = ds.sizes["ctrl_index"]
    fig, axes = new_figure(
        len(regs), n_ctrl, width=2.5 * n_ctrl + 0.4, height=2.7 * len(regs) + 0.5, squeeze=False
    )
    t = np.linspace(0, 2 * np.pi, 400)
    for g, reg in enumerate(regs):
        for c in range(n_ctrl):
            ax = axes[g, c]
            ctrl = float(ds["ctrl"][g, c])
            if not np.isfinite(ctrl):
                ax.set_axis_off()
                continue
            re = ds["eigval_re"][g, c].values.ravel()
            im = ds["eigval_im"][g, c].values.ravel()
            ax.plot(re, im, ".", ms=1.2, color="0.3", alpha=0.5)
            a = float(ds["semi_major_theory"][g, c])
            bb = float(ds["semi_minor_theory"][g, c])
            if not np.isfinite(a):
                a = bb = float(ds["bulk_radius_theory"][g, c])
            if np.isfinite(a):
                ax.plot(a * np.cos(t), bb * np.sin(t), color=THEORY_COLOR, lw=1.0)
            out = float(ds["outlier_theory"][g, c])
            if np.isfinite(out) and abs(out) > a:
                ax.plot([out], [0], "x", color=THEORY_COLOR, ms=7)
            # realised second moments against those of the uniform ellipse (a^2/4, b^2/4)
            inner = np.abs(re + 1j * im) <= 1.5 * max(a, 1e-12) if np.isfinite(a) else np.ones_like(re, bool)
            txt = f"<Re²> {np.mean(re[inner] ** 2):.2f} vs {a * a / 4:.2f}\n<Im²> {np.mean(im[inner] ** 2):.2f} vs {bb * bb / 4:.2f}"
            ax.set_title(txt, fontsize=5.5, loc="left", pad=2)  # above the axes, not over the points
            ax.set_aspect("equal", adjustable="datalim")
            ax.set_xlabel("Re λ")
            ax.set_ylabel("Im λ")
            sym = {"dale": "m", "hopfield": "r", "modular": "q"}.get(reg, "c")
            ax.set_title(f"{reg}, {sym} = {ctrl:g}", fontsize=8, loc="right")
    vp = params["validation"]
    fig.suptitle(
        f"Regularity spectra, N = {vp['N']}, w = {vp['spectra_w']:g}, b = 0, {vp['spectra_reps']} matrices per panel\n"
        "red: random-matrix prediction (circle or ellipse; x: outlier)",
        fontsize=8,
    )
    return fig
