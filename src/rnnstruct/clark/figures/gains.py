"""Figures of the Clark gains group: PRX Fig. 5 (gain heterogeneity), Fig. 10 (step spectrum), Fig. 2 (schematic)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from rnnstruct.core import io
from rnnstruct.core.plotting import new_figure, panel_label

G_COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e"]
OBS_LABEL = {"gphi": r"$PR^{G\phi}/PR^\phi$ (unnormalised)", "gpphi": r"$PR^{G'\phi}/PR^\phi$ (readout gains)"}
OBS_COLOR = {"gphi": "0.15", "gpphi": "#a6761d"}  # not among the g_eff colours of row a


def _dots(ax, x, per_rep, mean, err, color):
    """Single realisations (small, translucent) and mean +- error (large)."""
    for r in range(per_rep.shape[-1]):
        ax.plot(x, per_rep[..., r], "o", ms=2, color=color, alpha=0.45, lw=0)
    ax.errorbar(x, mean, yerr=err, fmt="o", ms=4.5, color=color, capsize=2)


def fig5_gains(theory: xr.Dataset, sims: xr.Dataset):
    """(a) normalised PR^phi vs PR^G per alpha PR^D column, lines PRX 46b; (b) ratios at g_eff = ratio_g_eff."""
    p = io.parameters(sims)["clark"]
    gp, kind = p["gains"], p["simulation"]["pr_estimator"]
    cols = gp["eff_rank"]
    fig, axes = new_figure(2, len(cols), width=3.3 * len(cols), height=6.0, squeeze=False)
    PG = theory["pr_g"].values
    for j, e in enumerate(cols):
        ax = axes[0, j]
        for i, g in enumerate(gp["g_eff"]):
            color = G_COLORS[i % len(G_COLORS)]
            ax.plot(PG, theory["gain_pr_phi_theory"].sel(g_eff=g, eff_rank=e), color=color, lw=1.3, label=f"g_eff = {g:g}")
            s = sims.sel(g_eff=g, eff_rank=e)
            ok = s["gain_simulated"].values.astype(bool)
            if ok.any():
                _dots(
                    ax,
                    s["gain_pr_g_realised"].values[ok],
                    s[f"gain_pr_phi_{kind}"].values[ok],
                    s["gain_pr_phi"].values[ok],
                    s["gain_pr_phi_err"].values[ok],
                    color,
                )
        ax.set_xlim(0, 1.02)
        ax.set_ylim(bottom=0)
        ax.set_xlabel(r"$PR^G$")
        ax.set_ylabel(r"normalised $PR^\phi$")
        ax.set_title(rf"$\alpha PR^D$ = {e:g}", fontsize=9)
        if j == 0:
            ax.legend(frameon=False, fontsize=7)
        panel_label(ax, "a" if j == 0 else "")
        ax = axes[1, j]
        g = gp["ratio_g_eff"]
        t = theory.sel(g_eff=g, eff_rank=e)
        s = sims.sel(g_eff=g, eff_rank=e)
        ok = s["gain_simulated"].values.astype(bool)
        for n in ("gphi", "gpphi"):
            ax.plot(PG, t[f"gain_pr_{n}_theory"] / t["gain_pr_phi_theory"], color=OBS_COLOR[n], lw=1.3, label=OBS_LABEL[n])
            if ok.any():
                ax.errorbar(
                    s["gain_pr_g_realised"].values[ok],
                    s[f"gain_ratio_{n}"].values[ok],
                    yerr=s[f"gain_ratio_{n}_err"].values[ok],
                    fmt="o",
                    ms=4.5,
                    color=OBS_COLOR[n],
                    capsize=2,
                )
        ax.axhline(1.0, color="0.4", ls="--", lw=0.8)
        ax.set_xlim(0, 1.02)
        ax.set_xlabel(r"$PR^G$")
        ax.set_ylabel(r"ratio to normalised $PR^\phi$")
        ax.set_title(rf"g_eff = {g:g}, $\alpha PR^D$ = {e:g}", fontsize=9)
        if j == 0:
            ax.legend(frameon=False, fontsize=7)
        panel_label(ax, "b" if j == 0 else "")
    fig.suptitle(f"N = {gp['N']}, {gp['reps']} realisations per point, {kind} estimator", fontsize=8)
    return fig


def fig10_step(theory: xr.Dataset, sims: xr.Dataset):
    """(a) PR^phi, PR^x vs PR^D (log-log) with PRX 38 / I22 and K^a PR^D, inset K^a/PR^a_iid vs g;
    (b) rank-ordered covariance eigenvalues at g_eff = spectrum_g_eff, dotted verticals at N PR^D."""
    p = io.parameters(sims)["clark"]
    sp, kind = p["step"], p["simulation"]["pr_estimator"]
    fig, axes = new_figure(2, 2, width=9.5, height=7.0, squeeze=False)
    PD = theory["pr_d"].values
    for row, (n, lab) in enumerate((("phi", r"$PR^\phi$"), ("x", r"$PR^x$"))):
        sym = r"\phi" if n == "phi" else "x"
        ax = axes[row, 0]
        for i, g in enumerate(sp["g_eff"]):
            color = G_COLORS[i % len(G_COLORS)]
            ax.plot(PD, theory[f"step_pr_{n}_theory"].sel(g_eff=g), color=color, lw=1.3, label=f"g_eff = {g:g}")
            ax.plot(PD, float(theory[f"k_{n}"].sel(g_eff=g)) * PD, color=color, lw=1.0, ls="--")
            s = sims.sel(g_eff=g)
            ok = s["step_simulated"].values.astype(bool)
            if ok.any():
                _dots(
                    ax,
                    s["step_eff_rank_realised"].values[ok],
                    s[f"step_pr_{n}_{kind}"].values[ok],
                    s[f"step_pr_{n}"].values[ok],
                    s[f"step_pr_{n}_err"].values[ok],
                    color,
                )
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel(r"$PR^D$ (step spectrum, $\alpha = 1$)")
        ax.set_ylabel(lab)
        ax.legend(frameon=False, fontsize=7, loc="lower right")
        panel_label(ax, "a" if row == 0 else "")
        ins = ax.inset_axes([0.14, 0.62, 0.33, 0.3])
        ins.plot(theory["g_inset"], theory[f"k_{n}_ratio"], color="0.2", lw=1.2)
        ins.set_xscale("log")
        ins.set_xlabel("g", fontsize=6, labelpad=1)
        ins.set_title(rf"$K^{sym}(g)/PR^{sym}_{{iid}}(g)$", fontsize=6, pad=2)
        ins.tick_params(labelsize=5)
        ax = axes[row, 1]
        spec = sims[f"step_spectrum_{n}"]
        for k, pdv in enumerate(spec["pr_d"].values):
            lam = spec.sel(pr_d=pdv).mean("rep").values
            # numerical zeros dropped: x lies in the span of the N PR^D left modes after the transient,
            # so C^x(0) has exactly that rank (eigenvalues beyond it are rounding noise, ~1e-12 lam_1)
            lam = lam[np.isfinite(lam) & (lam > 1e-9 * np.nanmax(lam))]
            color = _shade(k, spec.sizes["pr_d"])
            ax.plot(np.arange(1, lam.size + 1), lam, color=color, lw=1.1, label=rf"$PR^D = 2^{{{np.log2(pdv):g}}}$")
            ax.axvline(sp["N"] * pdv, color=color, ls=":", lw=0.9)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("rank k")
        ax.set_ylabel(rf"eigenvalue of $C^{sym}_{{ij}}(0)$")
        ax.set_title(f"g_eff = {sp['spectrum_g_eff']:g}, N = {sp['N']}", fontsize=8)
        ax.legend(frameon=False, fontsize=6)
        panel_label(ax, "b" if row == 0 else "")
    return fig


def _shade(k: int, n: int):
    import matplotlib

    return matplotlib.colormaps["viridis"](0.1 + 0.8 * k / max(n - 1, 1))


def fig2_schematic(theory: xr.Dataset):
    """Outer-product cartoon J = sum_a D_a l_a r_a^T and the theory inset C^phi(tau), Psi^phi(tau, 0)."""
    p = io.parameters(theory)["clark"]["fig2"]
    fig, axes = new_figure(1, 2, width=9.5, height=3.0, gridspec_kw={"width_ratios": [2.2, 1.0]})
    ax = axes[0]
    rng = np.random.default_rng(7)  # cartoon only: fixed pattern, no scientific content
    n, m = 12, 3
    colors = ["#1b9e77", "#d95f02", "#7570b3"]
    L, R = rng.standard_normal((n, m)), rng.standard_normal((n, m))
    D = np.array([1.0, 0.65, 0.4])
    J = (L * D) @ R.T
    lim = np.abs(J).max()
    ax.imshow(J, cmap="RdBu_r", vmin=-lim, vmax=lim, extent=(0, n, 0, n))
    ax.text(n / 2, n + 0.8, "J", ha="center", fontsize=10)
    x = n + 1.5
    ax.text(x, n / 2, "=", fontsize=14, va="center")
    x += 2.2
    for a in range(m):
        ax.text(x, n / 2, f"$D_{a + 1}$", fontsize=10, va="center")
        x += 2.0
        v = L[:, a : a + 1]
        ax.imshow(v, cmap="RdBu_r", vmin=-3, vmax=3, extent=(x, x + 1, 0, n))
        ax.add_patch(_frame(x, 0, 1, n, colors[a]))
        ax.text(x + 0.5, n + 0.8, rf"$\ell_{a + 1}$", ha="center", fontsize=9, color=colors[a])
        r = R[:, a : a + 1].T
        ax.imshow(r, cmap="RdBu_r", vmin=-3, vmax=3, extent=(x + 1.5, x + 1.5 + n * 0.5, n - 1, n))
        ax.add_patch(_frame(x + 1.5, n - 1, n * 0.5, 1, colors[a]))
        ax.text(x + 1.5 + n * 0.25, n + 0.8, rf"$r_{a + 1}^T$", ha="center", fontsize=9, color=colors[a])
        x += 2.0 + n * 0.5
        if a < m - 1:
            ax.text(x, n / 2, "+", fontsize=14, va="center")
            x += 2.2
    ax.text(x + 0.2, n / 2, r"+ $\cdots$", fontsize=12, va="center")
    ax.set_xlim(-0.5, x + 3)
    ax.set_ylim(-0.5, n + 2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(r"random-mode model $J = \sum_a D_a\, \ell_a r_a^T$", fontsize=9)
    panel_label(ax, "a")
    ax = axes[1]
    tau = theory["tau"].values
    c, psi = theory["fig2_c_phi"].values, theory["fig2_psi_phi_tau0"].values
    i0 = int(np.argmin(np.abs(tau)))
    ax.plot(tau, c / c[i0], color="0.2", lw=1.3, label=r"$C^\phi(\tau)$")
    ax.plot(tau, psi / psi[i0], color="#d95f02", lw=1.3, label=r"$\Psi^\phi(\tau, 0)$")
    ax.set_xlim(-p["tau_window"], p["tau_window"])
    ax.set_xlabel(r"$\tau$")
    ax.set_ylabel("normalised to 1 at τ = 0")
    ax.set_title(rf"theory, g_eff = {p['g_eff']:g}, $\alpha PR^D$ = {p['eff_rank']:g}", fontsize=8)
    ax.legend(frameon=False, fontsize=7)
    panel_label(ax, "b")
    return fig


def _frame(x, y, w, h, color):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, fill=False, edgecolor=color, lw=1.5)
