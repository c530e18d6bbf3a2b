"""Figures of the Clark et al. 2025 stage (from results/clark/**/*.nc)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from rnnstruct.core import io
from rnnstruct.core.plotting import new_figure, panel_label

G_COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e"]


def _sim_dots(ax, sims: xr.Dataset, g: float, name: str, color, kind: str, emax: float | None = None):
    s = sims.sel(g_eff=g)
    ok = s["simulated"].values.astype(bool)
    E = s["eff_rank_realised"].values[ok]
    keep = np.ones(E.size, bool) if emax is None else E <= emax
    per_rep = s[f"pr_{name}_{kind}"].values[ok][keep]
    for r in range(per_rep.shape[1]):
        ax.plot(E[keep], per_rep[:, r], "o", ms=2, color=color, alpha=0.45, lw=0)
    ax.errorbar(
        E[keep], s[f"pr_{name}"].values[ok][keep], yerr=s[f"pr_{name}_err"].values[ok][keep], fmt="o", ms=5, color=color, capsize=2
    )


def fig4a_dimension(theory: xr.Dataset, sims: xr.Dataset):
    """PR^phi (and PR^x) versus alpha PR^D: theory lines and simulation dots (PRX Fig. 4a + inset)."""
    p = io.parameters(sims)["clark"]
    f4, sp = p["fig4"], p["simulation"]
    kind = sp["pr_estimator"]
    fig, axes = new_figure(1, 3, width=11.0, height=3.4)
    E = theory["eff_rank"].values
    for ax, name, tag in ((axes[0], "phi", "a"), (axes[2], "x", "c")):
        main = E <= 1.1
        for i, g in enumerate(f4["g_eff"]):
            color = G_COLORS[i % len(G_COLORS)]
            ax.plot(E[main], theory[f"pr_{name}"].sel(g_eff=g).values[main], color=color, lw=1.3, label=f"g_eff = {g:g}")
            _sim_dots(ax, sims, g, name, color, kind, emax=1.1)
        ax.set_xlim(0, 1.1)
        ax.set_ylim(bottom=0)
        ax.set_xlabel(r"effective rank $\alpha\,PR^D$")
        ax.set_ylabel(r"$PR^\phi$" if name == "phi" else r"$PR^x$")
        ax.legend(frameon=False, fontsize=7)
        panel_label(ax, tag)
    ax = axes[1]
    g = f4["inset_g_eff"]
    color = G_COLORS[f4["g_eff"].index(g) % len(G_COLORS)]
    ax.plot(E, theory["pr_phi"].sel(g_eff=g), color=color, lw=1.3, label=f"theory, g_eff = {g:g}")
    ax.axhline(float(theory["pr_phi_iid"].sel(g_eff=g)), color="0.3", ls="--", lw=1, label="i.i.d. limit")
    _sim_dots(ax, sims, g, "phi", color, kind)
    ax.set_xscale("log")
    ax.set_xlabel(r"effective rank $\alpha\,PR^D$")
    ax.set_ylabel(r"$PR^\phi$")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=7)
    ax.set_title(f"N = {sp['N']}, {sims.sizes['rep']} realisations, {kind} estimator", fontsize=7)
    panel_label(ax, "b")
    return fig


def fig4b_psi(theory: xr.Dataset, sims: xr.Dataset):
    """Normalised Psi^phi(tau, 0) versus tau: panels alpha PR^D in b_eff_rank, lines g_eff (PRX Fig. 4b)."""
    p = io.parameters(sims)["clark"]
    f4 = p["fig4"]
    ranks, gains = f4["b_eff_rank"], f4["b_g_eff"]
    fig, axes = new_figure(1, len(ranks) + 1, width=3.0 * (len(ranks) + 1), height=3.0)
    tau = theory["tau"].values

    def psibar(g, e):
        t = theory.sel(g_eff=g)
        psi = t["psi_phi_tau0_p0"].values + t["psi_phi_tau0_p1"].values / e
        return psi / psi[0]

    for ax, e, tag in zip(axes, ranks, "abcdefgh"):
        for i, g in enumerate(gains):
            color = G_COLORS[i % len(G_COLORS)]
            ax.plot(tau, psibar(g, e), color=color, lw=1.3, label=f"g_eff = {g:g}")
            s = sims.sel(g_eff=g, eff_rank=e)
            ax.errorbar(s["lag"], s["psibar_phi"], yerr=s["psibar_phi_err"], fmt="o", ms=3, color=color, capsize=1.5)
        ax.axhline(0, color="0.7", lw=0.6)
        ax.set_xlim(0, 20)
        ax.set_xlabel(r"$\tau$")
        ax.set_ylabel(r"$\Psi^\phi(\tau,0)/\Psi^\phi(0,0)$")
        ax.set_title(rf"$\alpha PR^D$ = {e:g}", fontsize=8)
        ax.legend(frameon=False, fontsize=7)
        panel_label(ax, tag)
    ax = axes[-1]
    for i, g in enumerate(gains):
        color = G_COLORS[i % len(G_COLORS)]
        for j, e in enumerate(np.geomspace(0.1, 10, 5)):
            ax.plot(tau, psibar(g, float(e)), color=color, lw=0.8, alpha=0.4 + 0.15 * j)
    ax.set_xlim(0, 20)
    ax.set_xlabel(r"$\tau$")
    ax.set_ylabel(r"$\Psi^\phi(\tau,0)/\Psi^\phi(0,0)$")
    ax.set_title(r"theory, $\alpha PR^D$ = 0.1 ... 10 overlaid", fontsize=8)
    panel_label(ax, "abcdefgh"[len(ranks)])
    return fig
