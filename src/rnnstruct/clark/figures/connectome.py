"""PRX Figs. 1 and 6: connectome coupling matrix, singular values, overlaps and eigenvalues.

Every panel says "synthetic stand-in, not hemibrain data" when the file was built without data
(``conn_is_standin`` = 1).
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.colors import LogNorm

from rnnstruct.core import io
from rnnstruct.core.plotting import THEORY_COLOR, empty_figure, panel_label

STANDIN_TEXT = "synthetic stand-in,\nnot hemibrain data"
MATRIX_TITLES = {
    "connectome": "connectome",
    "rmm_iid_modes": "RMM, D = S, i.i.d. modes",
    "rmm_overlaps": r"RMM, D = S, $\rho_a = O_{aa}$",
}


def _standin(conn: xr.Dataset) -> bool:
    return bool(int(conn["conn_is_standin"]))


def _label(ax, conn: xr.Dataset) -> None:
    if _standin(conn):
        ax.text(
            0.98, 0.98, STANDIN_TEXT, transform=ax.transAxes, ha="right", va="top", fontsize=6.5, color="#b00000",
            bbox={"facecolor": "white", "edgecolor": "#b00000", "alpha": 0.85, "pad": 2},
        )


def _title(fig, conn: xr.Dataset, what: str) -> None:
    N = conn.sizes["mode"]
    if _standin(conn):
        fig.suptitle(f"{what}: SYNTHETIC STAND-IN, NOT HEMIBRAIN DATA (N = {N})", color="#b00000", fontsize=9)
    else:
        fig.suptitle(f"{what}: {io.parameters(conn)['clark']['connectome']['dataset']} connectome (N = {N})", fontsize=9)


def fig1_connectome(conn: xr.Dataset):
    N = conn.sizes["mode"]
    block = io.parameters(conn)["clark"]["connectome"]["display_block"]
    fig = empty_figure(9.6, 3.2)
    axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [0.8, 1.0, 1.0]})
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        engine.set(wspace=0.12)  # room between the colour-bar label of b and the axis label of c
    ax = axes[0]
    ax.set_axis_off()
    ax.text(
        0.5, 0.5, "3-D rendering of the hemibrain\n(Scheffer et al. 2020)\nnot reproduced",
        ha="center", va="center", transform=ax.transAxes, fontsize=8, color="0.35",
        bbox={"facecolor": "0.95", "edgecolor": "0.6", "boxstyle": "round", "pad": 0.6},
    )
    panel_label(ax, "a")

    ax = axes[1]
    B = conn["conn_block_sum"].values
    positive = B[B > 0]
    vmin = np.quantile(positive, 0.01) if positive.size else 1e-12
    im = ax.imshow(
        np.where(B > 0, B, np.nan), cmap="Reds", norm=LogNorm(vmin=vmin, vmax=B.max()), interpolation="nearest",
        extent=(0, B.shape[1] * block, B.shape[0] * block, 0),
    )
    ax.set_xlabel("source neuron (pre)")
    ax.set_ylabel("target neuron (post)")
    ax.set_title(rf"balanced $|W_{{ij}}|$, {block}$\times${block} block sums", fontsize=7)
    cb = fig.colorbar(im, ax=ax, shrink=0.8, pad=0.02)
    cb.set_label(r"$\sum |W_{ij}|$ per block", labelpad=2)
    _label(ax, conn)
    panel_label(ax, "b")

    ax = axes[2]
    rank = conn["mode"].values
    S = conn["conn_singular_value"].sel(matrix="connectome").values
    iid = conn["conn_sv_iid"].values
    th = conn["conn_sv_iid_theory"].values
    keep = S > 0
    ax.loglog(rank[keep], S[keep] / S[0], color="k", lw=1.4, label="connectome" if not _standin(conn) else "stand-in")
    ax.loglog(rank, iid / iid[0], color="0.55", lw=1.2, label="i.i.d. Gaussian")
    ax.loglog(rank, th / th[0], color=THEORY_COLOR, lw=0.8, ls="--", label="quarter-circle law")
    ax.set_xlabel("rank a")
    ax.set_ylabel(r"$S_a / S_1$")
    pr = conn["conn_pr_s"].sel(matrix="connectome").item()
    ax.set_title(rf"singular values, $PR^S$ = {pr:.3f}, N = {N}", fontsize=7)
    ax.set_ylim(max(1e-4, float(np.min(S[keep] / S[0])) / 2), 1.5)
    ax.legend(frameon=False, fontsize=6, loc="lower left")
    _label(ax, conn)
    panel_label(ax, "c")
    _title(fig, conn, "PRX Fig. 1")
    return fig


def fig6_overlaps(conn: xr.Dataset):
    N = conn.sizes["mode"]
    fig = empty_figure(9.0, 6.0)
    top, bottom = fig.subfigures(2, 1, height_ratios=[1.0, 0.95])
    ax_a, ax_b = top.subplots(1, 2, gridspec_kw={"width_ratios": [1.0, 1.6]})

    O = conn["conn_overlap_abs"].values
    K = O.shape[0]
    im = ax_a.imshow(O.T, cmap="Reds", vmin=0, vmax=max(float(O.max()), 1e-12), interpolation="nearest",
                     extent=(0.5, K + 0.5, K + 0.5, 0.5))
    ax_a.set_xlabel("U index a")
    ax_a.set_ylabel("V index b")
    ax_a.set_title(rf"$|O_{{ab}}| = |u_a^T v_b|$, first {K} modes", fontsize=7)
    top.colorbar(im, ax=ax_a, shrink=0.8, label=r"$|O_{ab}|$")
    _label(ax_a, conn)
    panel_label(ax_a, "a")

    n_show = min(3000, N)
    a = conn["mode"].values[:n_show]
    d = conn["conn_overlap_diag"].sel(matrix="connectome").values[:n_show]
    ax_b.plot(a, d, ".", ms=1.5, color="k")
    bound = 2.5 / np.sqrt(N)
    for sgn in (1, -1):
        ax_b.axhline(sgn * bound, color=THEORY_COLOR, ls="--", lw=0.9)
    inside = conn["conn_overlap_inside"].sel(matrix="connectome").item()
    ax_b.set_xlabel("mode a")
    ax_b.set_ylabel(r"$O_{aa}$")
    ax_b.set_title(
        rf"diagonal overlaps; dashed $\pm 2.5/\sqrt{{N}}$ ({100 * inside:.0f} % inside; random vectors "
        rf"{100 * conn['conn_overlap_inside_theory'].item():.1f} %)", fontsize=7,
    )
    _label(ax_b, conn)
    panel_label(ax_b, "b")

    axes = bottom.subplots(1, 3, sharex=True, sharey=True)
    g = conn["conn_g_eff"].item()
    lim = 1.1 * float(conn["conn_spectral_radius"].max())
    t = np.linspace(0, 2 * np.pi, 400)
    for k, (ax, m) in enumerate(zip(axes, conn["matrix"].values)):
        re = conn["conn_eig_re"].sel(matrix=m).values
        im_ = conn["conn_eig_im"].sel(matrix=m).values
        ax.plot(re, im_, ".", ms=1.2, color="k", alpha=0.6)
        ax.plot(g * np.cos(t), g * np.sin(t), color=THEORY_COLOR, lw=0.8, ls="--")
        n_out = int(conn["conn_real_outliers"].sel(matrix=m))
        ax.set_title(f"{MATRIX_TITLES.get(str(m), str(m))}\n{n_out} real outlier(s) beyond 1.1 g", fontsize=7)
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_xlabel(r"Re $\lambda$")
        if k == 0:
            ax.set_ylabel(r"Im $\lambda$")
            panel_label(ax, "c")
        _label(ax, conn)
    bottom.suptitle(rf"eigenvalues; dashed: radius $g = \sqrt{{\sum_a S_a^2/N}}$ = {g:.3f}", fontsize=7)
    _title(fig, conn, "PRX Fig. 6")
    return fig
