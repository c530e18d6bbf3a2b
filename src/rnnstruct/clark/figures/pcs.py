"""Figures of the Clark activity-trace group: PRX Figs. 3 and 9, PRL Fig. 4 (from results/clark/simulations)."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib import cm, colors

from rnnstruct.core.plotting import new_figure, panel_label

G_COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e"]


def _heatmap(ax, fig, M, extent, title, xlabel, ylabel):
    lim = float(np.max(np.abs(M)))
    im = ax.imshow(M, cmap="RdBu_r", vmin=-lim, vmax=lim, origin="upper", extent=extent, interpolation="nearest")
    fig.colorbar(im, ax=ax, shrink=0.8, label="covariance")
    ax.set_title(title, fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def fig3_covariance(traces: xr.Dataset):
    """PRX Fig. 3: C^phi_ij(0) (neuron x neuron) and C^phi(t1, t2) (time x time), diverging colormap."""
    g, N = float(traces["pcs_fig3_g"]), int(traces["pcs_fig3_N"])
    fig, axes = new_figure(1, 2, width=8.0, height=3.6)
    C = traces["pcs_fig3_cov_neurons"].values
    n = C.shape[0]
    _heatmap(axes[0], fig, C, (0.5, n + 0.5, n + 0.5, 0.5), r"$C^\phi_{ij}(0)$", "neuron j", "neuron i")
    T = traces["pcs_fig3_cov_time"].values
    w = T.shape[0]
    _heatmap(axes[1], fig, T, (0, w, w, 0), r"$C^\phi(t_1, t_2)$", r"$t_2$", r"$t_1$")
    panel_label(axes[0], "a")
    panel_label(axes[1], "b")
    fig.suptitle(f"i.i.d. J, g = {g:g}, N = {N}", fontsize=8)
    return fig


def _lines_by_k(ax, tau, Y, cmap):
    """One line per PC k (columns of Y), coloured by log k; plot from the last PC so PC1 is on top."""
    K = Y.shape[1]
    norm = colors.LogNorm(1, K)
    for k in range(K - 1, -1, -1):
        ax.plot(tau, Y[:, k], color=cmap(norm(k + 1)), lw=0.5)
    return cm.ScalarMappable(norm=norm, cmap=cmap)


def fig9_pc_timescales(traces: xr.Dataset):
    """PRX Fig. 9: PC traces, lambda_k C^{p_k}(tau), lambda_k^2 C^{p_k}(tau), and the two weighted sums vs DMFT."""
    g, N = float(traces["pcs_fig9_g"]), int(traces["pcs_fig9_N"])
    fig, axes = new_figure(1, 4, width=13.0, height=3.4)
    ax = axes[0]
    t = traces["pcs_fig9_t"].values
    for i, k in enumerate(traces["pcs_fig9_shown"].values):
        ax.plot(t, traces["pcs_fig9_trace"].values[i] - 5.0 * i, lw=0.7, color="k")
        ax.text(t[-1] * 1.01, -5.0 * i, f"$p_{{{k}}}$", fontsize=7, va="center")
    ax.set_yticks([])
    ax.set_xlabel("t")
    ax.set_title("unit-variance PCs (offset)", fontsize=8)
    panel_label(ax, "a")
    tau = traces["pcs_fig9_lag"].values
    lam = traces["pcs_fig9_eigenvalue"].values
    W = traces["pcs_fig9_weighted_autocorr"].values
    cmap = cm.viridis
    for ax, Y, label, tag in (
        (axes[1], W, r"$\lambda_k C^{p_k}(\tau)$", "b"),
        (axes[2], W * lam[None, :], r"$\lambda_k^2 C^{p_k}(\tau)$", "c"),
    ):
        sm = _lines_by_k(ax, tau, Y, cmap)
        fig.colorbar(sm, ax=ax, label="PC index k", shrink=0.8)
        ax.set_xlabel(r"$\tau$")
        ax.set_ylabel(label)
        ax.set_xlim(0, tau[-1])
        panel_label(ax, tag)
    ax = axes[3]
    keep = tau <= 30
    th_tau = traces["pcs_fig9_tau"].values
    th_keep = th_tau <= 30
    psi0 = float(traces["pcs_fig9_psi_theory_line"].values[0])
    c0 = float(traces["pcs_fig9_c_phi_theory_line"].values[0])
    ax.plot(th_tau[th_keep], traces["pcs_fig9_psi_theory_line"].values[th_keep] / psi0, color=G_COLORS[1], lw=1.3,
            label=r"theory $\Psi^\phi(\tau,0)$")
    ax.plot(tau[keep], traces["pcs_fig9_sum_psi"].values[keep] / psi0, "o", ms=3, color=G_COLORS[1],
            label=r"$\frac{1}{N}\sum_k \lambda_k^2 C^{p_k}$")
    ax.plot(th_tau[th_keep], traces["pcs_fig9_c_phi_theory_line"].values[th_keep] / c0, color=G_COLORS[0], lw=1.3,
            label=r"theory $C^\phi(\tau)$")
    ax.plot(tau[keep], traces["pcs_fig9_sum_c"].values[keep] / c0, "s", ms=3, color=G_COLORS[0],
            label=r"$\frac{1}{N}\sum_k \lambda_k C^{p_k}$")
    ax.axhline(0, color="0.7", lw=0.5)
    ax.set_xlabel(r"$\tau$")
    ax.set_ylabel("normalised by the theory at τ = 0")
    ax.legend(frameon=False, fontsize=6)
    panel_label(ax, "d")
    fig.suptitle(f"i.i.d. J, erf, g = {g:g}, N = {N}, one network", fontsize=8)
    return fig


def prl_fig4_pc_timescales(timescales: xr.Dataset):
    """PRL Fig. 4: (a) density of PC FWHM timescales (log y) per g with the single-unit FWHM dashed;
    (b) median FWHM of the leading PCs vs N (log x) with SEM and the fit a + b ln N."""
    ds = timescales
    fig, axes = new_figure(1, 2, width=9.0, height=3.4)
    ax = axes[0]
    centres = ds["pcs_fwhm_bin"].values
    for i, g in enumerate(ds["pcs_g_a"].values):
        color = G_COLORS[i % len(G_COLORS)]
        dens = ds["pcs_a_density"].sel(pcs_g_a=g).values
        ax.step(centres, np.where(dens > 0, dens, np.nan), where="mid", color=color, label=f"g = {g:g}")
        ax.axvline(float(np.nanmedian(ds["pcs_a_unit_fwhm"].sel(pcs_g_a=g).values)), color=color, ls="--", lw=1)
    ax.set_yscale("log")
    ax.set_xlim(0, centres[-1] + 0.5 * (centres[1] - centres[0]))
    ax.set_xlabel("PC timescale (FWHM)")
    ax.set_ylabel("density")
    ax.legend(frameon=False, fontsize=7)
    ax.set_title(f"N = {int(ds['pcs_a_N'])}, {ds.sizes['rep']} realisations; dashed: single unit", fontsize=7)
    panel_label(ax, "a")
    ax = axes[1]
    Ns = ds["pcs_N_b"].values
    grid = np.geomspace(Ns.min(), Ns.max(), 50)
    for j, k in enumerate(ds["pcs_lead"].values):
        color = G_COLORS[j % len(G_COLORS)]
        ax.errorbar(Ns, ds["pcs_b_median"].values[:, j], yerr=ds["pcs_b_sem"].values[:, j], fmt="o", ms=4, color=color,
                    capsize=2, label=f"PC{k}: slope {float(ds['pcs_b_logslope'].values[j]):.2f}")
        ax.plot(grid, float(ds["pcs_b_intercept"].values[j]) + float(ds["pcs_b_logslope"].values[j]) * np.log(grid),
                color=color, lw=1, ls=":")
    ax.set_xscale("log")
    ax.set_xlabel("N")
    ax.set_ylabel("median PC timescale (FWHM)")
    ax.set_title(f"g = {float(ds['pcs_b_g']):g}, median ± SEM, fit a + b ln N", fontsize=7)
    ax.legend(frameon=False, fontsize=7)
    panel_label(ax, "b")
    return fig
