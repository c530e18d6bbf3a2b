"""Figures of the Clark "overlaps" group: PRX Fig. 7 and PRL Fig. 6 (from results/clark/overlaps/overlaps.nc)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from rnnstruct.core import io
from rnnstruct.core.plotting import new_figure, panel_label
from rnnstruct.clark.figures.dimension import G_COLORS


def fig7_overlaps(ds: xr.Dataset):
    """PR^phi versus the overlap amplitude gamma_rho: panels alpha PR^D, lines sampled-DMFT theory (PRX 51;
    condensed points omitted and marked x on the axis), dots simulations (mean +- SE, single realisations small)."""
    p = io.parameters(ds)["clark"]
    ov = p["overlaps"]
    ranks = ds["eff_rank"].values
    fig, axes = new_figure(1, len(ranks), width=3.3 * len(ranks), height=3.1, sharey=False)
    axes = np.atleast_1d(axes)
    gam = ds["gamma_rho"].values
    for ax, e, tag in zip(axes, ranks, "abcdefgh"):
        for i, g in enumerate(ds["g_eff"].values):
            color = G_COLORS[i % len(G_COLORS)]
            s = ds.sel(eff_rank=e, g_eff=g)
            th = s["ovl_pr_phi_theory"].values
            ax.plot(gam, th, "-", color=color, lw=1.3, label=f"g_eff = {g:g}")
            bad = s["ovl_condensed"].values.astype(bool)
            if bad.any():
                ax.plot(gam[bad] + 0.02 * (i - 1), np.zeros(bad.sum()), "x", color=color, ms=6, clip_on=False)
            sim = s["ovl_pr_phi_sim"].values
            ok = np.isfinite(sim)
            if ok.any():
                reps = s[f"ovl_pr_phi_{p['simulation']['pr_estimator']}_rep"].values
                for r in range(reps.shape[-1]):
                    ax.plot(gam[ok], reps[ok, r], "o", ms=2, color=color, alpha=0.45)
                ax.errorbar(gam[ok], sim[ok], yerr=s["ovl_pr_phi_sim_err"].values[ok], fmt="o", ms=5, color=color, capsize=2)
        ax.set_xlabel(r"overlap amplitude $\gamma_\rho$")
        ax.set_ylabel(r"$PR^\phi$")
        ax.set_ylim(bottom=0)
        ax.set_title(rf"$\alpha PR^D$ = {e:g}", fontsize=8)
        panel_label(ax, tag)
    axes[0].legend(frameon=False, fontsize=7)
    axes[-1].text(0.98, 0.98, f"sims N = {ov['fig7']['sim']['N']}, {ov['fig7']['sim']['reps']} real.\n"
                  f"DMFT {ov['dmft']['n_paths']} paths, dtau {ov['dmft']['dtau']}, {ov['dmft']['n_iter']} it.\n"
                  "x: condensed mode (no theory)", transform=axes[-1].transAxes, ha="right", va="top", fontsize=6)
    return fig


def fig6_symmetric(ds: xr.Dataset):
    """PRL Fig. 6: (a) PR^phi versus rho (lines PRX H19 = PRL 18, dots simulations); (b) psi^phi(tau, tau)."""
    p = io.parameters(ds)["clark"]
    s6 = p["overlaps"]["prl6"]["sim"]
    fig, axes = new_figure(1, 2, width=8.0, height=3.2)
    ax = axes[0]
    rho = ds["rho_sym"].values
    for i, g in enumerate(ds["g"].values):
        color = G_COLORS[i % len(G_COLORS)]
        s = ds.sel(g=g)
        ax.plot(rho, s["psym_pr_phi_theory"].values, "-", color=color, lw=1.3, label=f"g = {g:g}")
        sim = s["psym_pr_phi_sim"].values
        ok = np.isfinite(sim)
        if ok.any():
            ax.errorbar(rho[ok], sim[ok], yerr=s["psym_pr_phi_sim_err"].values[ok], fmt="o", ms=5, color=color, capsize=2)
    ax.set_xlabel(r"symmetry $\rho$")
    ax.set_ylabel(r"$PR^\phi$")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=7)
    ax.set_title(f"tanh; sims N = {s6['N']}, {s6['reps']} real.", fontsize=8)
    panel_label(ax, "a")
    ax = axes[1]
    tau = ds["tau_diag"].values
    styles = ["-", "--", ":", "-."]
    rho_show = [r for r in rho if np.any(np.isclose(r, p["overlaps"]["prl6"]["sim_rho"]))] or list(rho[:: max(1, rho.size // 3)])
    for i, g in enumerate(ds["g"].values):
        color = G_COLORS[i % len(G_COLORS)]
        for j, r in enumerate(rho_show):
            s = ds.sel(g=g, rho_sym=r)
            ax.plot(tau, s["psym_psi_diag_theory"].values, styles[j % 4], color=color, lw=1.1,
                    label=rf"g = {g:g}, $\rho$ = {r:g}")
            sim = s["psym_psi_diag_sim"].values
            if np.isfinite(sim).any():
                ax.errorbar(ds["lag_diag"].values, sim, yerr=s["psym_psi_diag_sim_err"].values, fmt="o", ms=3,
                            color=color, mfc="none" if j % 2 else color, capsize=1)
    ax.set_xlim(0, tau[-1])
    ax.set_xlabel(r"$\tau$")
    ax.set_ylabel(r"$\psi^\phi(\tau,\tau)$")
    ax.legend(frameon=False, fontsize=5, ncol=2)
    panel_label(ax, "b")
    return fig
