"""Figures of the PRL group (Clark, Abbott & Litwin-Kumar 2023; tanh, i.i.d. couplings): Figs. 2, 3, 5."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.colors import LogNorm, Normalize, TwoSlopeNorm

from rnnstruct.core import io
from rnnstruct.core.plotting import new_figure, panel_label

G_COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e"]


def fig2_dimension(theory: xr.Dataset, sims: xr.Dataset):
    """(a) PR^x and PR^phi vs g: theory, simulation medians (quartile bars), large-g limits dashed;
    (b) eigenvalues of J coloured by the activity variance along each eigenmode, Re lambda = 1 line."""
    p = io.parameters(sims)["clark"]["prl"]
    fig, axes = new_figure(1, 2, width=9.5, height=3.6)
    ax = axes[0]
    g = theory["g"].values
    for name, color, label in (("x", "#d95f02", r"$PR^x$"), ("phi", "#1b9e77", r"$PR^\phi$")):
        ax.plot(g, theory[f"prl_pr_{name}"], color=color, lw=1.4, label=f"{label} theory")
        ax.axhline(float(theory[f"prl_pr_{name}_ising"]), color=color, ls="--", lw=1)
        med = sims[f"prl_pr_{name}_median"].values
        lo, hi = sims[f"prl_pr_{name}_q25"].values, sims[f"prl_pr_{name}_q75"].values
        ax.errorbar(sims["g_sim"].values, med, yerr=[med - lo, hi - med], fmt="o", ms=4, color=color, capsize=2,
                    label=f"{label} sim. median")
    ax.set_xlim(1, max(20.0, g.max()))
    ax.set_ylim(bottom=0)
    ax.set_xlabel("coupling strength g")
    ax.set_ylabel("dimension PR / N")
    ax.set_title(f"N = {p['simulation']['N']}, {sims.sizes['rep']} realisations; dashed: large-g limit", fontsize=7)
    ax.legend(frameon=False, fontsize=7)
    panel_label(ax, "a")
    ax = axes[1]
    var = sims["prl_mode_variance"].values
    sc = ax.scatter(sims["prl_eig_re"], sims["prl_eig_im"], c=var, s=4, cmap="viridis",
                    norm=LogNorm(vmin=max(var.min(), 1e-12), vmax=var.max()))
    ax.axvline(1.0, color="k", lw=0.8, ls="--")
    ax.set_aspect("equal")
    ax.set_xlabel(r"Re $\lambda$")
    ax.set_ylabel(r"Im $\lambda$")
    ax.set_title(f"eigenvalues of J, g = {float(sims['prl_eigen_g']):g}, N = {sims.sizes['eigenmode']}", fontsize=7)
    fig.colorbar(sc, ax=ax, label=r"$\langle|c_k|^2\rangle$, $c = V^{-1}x$")
    panel_label(ax, "b")
    return fig


def fig3_psi(theory: xr.Dataset, sims: xr.Dataset):
    """(a) psi^phi(tau1, tau2) heatmaps, theory (top) and simulation median (bottom);
    (b) psi^RMS(tau) with C^phi(tau) rescaled to psi^RMS(0) (dotted), theory and simulation."""
    gs = sims["psi_g_sim"].values
    n = len(gs)
    fig, axes = new_figure(2, n + 1, width=3.0 * (n + 1), height=5.6)
    L = float(sims["lag1"].values.max())
    th = theory.sel(tau1=slice(-L, L), tau2=slice(-L, L))
    for j, g in enumerate(gs):
        top = th["prl_psi_phi_map"].sel(psi_g=g).values
        bottom = sims["prl_psi_sim_median"].sel(psi_g_sim=g).values
        vmax = float(max(np.abs(top).max(), np.abs(bottom).max()))
        lo = float(min(np.nanmin(top), np.nanmin(bottom)))
        if lo >= -0.05 * vmax:  # psi is positive up to sampling noise: a sequential map
            norm, cmap = Normalize(vmin=min(lo, 0.0), vmax=vmax), "viridis"
        else:
            norm, cmap = TwoSlopeNorm(vcenter=0.0, vmin=-vmax, vmax=vmax), "RdBu_r"
        for i, (img, lags, tag) in enumerate(((top, th["tau1"].values, "theory"), (bottom, sims["lag1"].values, "simulation"))):
            ax = axes[i, j]
            ext = [lags[0] - 0.5, lags[-1] + 0.5, lags[0] - 0.5, lags[-1] + 0.5]
            im = ax.imshow(img, origin="lower", extent=ext, cmap=cmap, norm=norm)
            ax.set_title(f"g = {g:g}, {tag}", fontsize=8)
            ax.set_xlabel(r"$\tau_2$")
            ax.set_ylabel(r"$\tau_1$")
        fig.colorbar(im, ax=axes[:, j], shrink=0.6, label=r"$\psi^\phi(\tau_1,\tau_2)$")
    panel_label(axes[0, 0], "a")
    ax = axes[0, n]
    tau = theory["diag_lag"].values
    pos = tau >= 0
    for j, g in enumerate(gs):
        color = G_COLORS[j % len(G_COLORS)]
        rms = theory["prl_psi_rms"].sel(psi_g=g).values[pos]
        cphi = theory["prl_c_phi_tau"].sel(psi_g=g).values[pos]
        ax.plot(tau[pos], rms, color=color, lw=1.4, label=f"g = {g:g}")
        ax.plot(tau[pos], cphi * rms[0] / cphi[0], color=color, lw=1, ls=":")
        lag = sims["lag1"].values
        sim = sims["prl_psi_rms_sim"].sel(psi_g_sim=g).values
        ax.plot(lag[lag >= 0], sim[lag >= 0], "o", ms=3, color=color)
    ax.set_xlim(0, tau.max())
    ax.set_xlabel(r"$\tau$")
    ax.set_ylabel(r"$\psi^{RMS}(\tau)$")
    ax.legend(frameon=False, fontsize=7, title="dotted: rescaled $C^\\phi$", title_fontsize=7)
    panel_label(ax, "b")
    axes[1, n].axis("off")
    return fig


def fig5_decomposition(theory: xr.Dataset):
    """Cavity, direct and reverberation parts of psi^phi(tau, tau) / psi^phi(0, 0) (theory)."""
    gs = theory["psi_g"].values
    fig, axes = new_figure(1, len(gs), width=2.4 * len(gs), height=2.8, sharey=True)
    tau = theory["diag_lag"].values
    k0 = int(np.argmin(np.abs(tau)))
    styles = {"cavity": ("#1b9e77", "-"), "reverberation": ("#7570b3", "-"), "direct": ("#d95f02", "-")}
    for ax, g in zip(np.atleast_1d(axes), gs):
        t = theory.sel(psi_g=g)
        psi0 = float(t["prl_psi_phi_diag"].values[k0])
        ax.plot(tau, t["prl_psi_phi_diag"] / psi0, color="k", lw=1.6, label="total")
        for part, (color, ls) in styles.items():
            ax.plot(tau, t[f"prl_psi_{part}_diag"] / psi0, color=color, ls=ls, lw=1.1, label=part)
        ax.axhline(0, color="0.7", lw=0.6)
        ax.set_title(f"g = {g:g}", fontsize=8)
        ax.set_xlabel(r"$\tau$")
    np.atleast_1d(axes)[0].set_ylabel(r"contribution to $\psi^\phi(\tau,\tau)/\psi^\phi(0,0)$")
    np.atleast_1d(axes)[0].legend(frameon=False, fontsize=7)
    return fig
