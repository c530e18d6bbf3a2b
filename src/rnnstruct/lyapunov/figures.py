"""Figures of the spectral and Lyapunov analysis stage (from results/lyapunov/*.nc)."""

from __future__ import annotations

from typing import Mapping

import numpy as np
import xarray as xr

from rnnstruct.core import io
from rnnstruct.core.plotting import THEORY_COLOR, new_figure, panel_label

KIND_TITLE = {
    "iid_map": "discrete map x(t+1) = tanh(W x(t))",
    "iid_flow": "rate network dx/dt = -x + J phi(x)",
}
REG_COLORS = {"dale": "#d62728", "hopfield": "#1f77b4", "modular": "#2ca02c"}


def block_se(block_sums: xr.DataArray, block_time: xr.DataArray) -> xr.DataArray:
    """Standard error of an exponent from the spread of its per-block rates."""
    rates = block_sums / block_time
    n = block_sums.sizes["block"]
    return rates.std("block", ddof=1) / np.sqrt(n)


def lambda_max_vs_g(iid_map: xr.Dataset, iid_flow: xr.Dataset):
    """lambda_max versus g for the map (against mean field) and the flow (against -1 + g below onset)."""
    fig, axes = new_figure(1, 2, width=8.4, height=3.2)
    for ax, ds, tag in ((axes[0], iid_map, "a"), (axes[1], iid_flow, "b")):
        p = io.parameters(ds)
        kind = "iid_map" if ds is iid_map else "iid_flow"
        sysp = p["lyapunov"][kind]
        ax.plot(
            ds["g_theory"],
            ds["lyap_max_theory"],
            color=THEORY_COLOR,
            lw=1.2,
            label="mean field" if kind == "iid_map" else "-1 + g (quiescent)",
        )
        lam = ds["lyap_max"]
        se = np.sqrt(
            (block_se(ds["lyap_max_block_sums"], ds["block_time"]) ** 2).mean("rep") / lam.sizes["rep"]
        )
        spread = lam.std("rep") if lam.sizes["rep"] > 1 else 0 * lam.mean("rep")
        ax.errorbar(
            ds["g"],
            lam.mean("rep"),
            yerr=np.maximum(se, spread),
            fmt="o",
            ms=4,
            capsize=2,
            label=f"QR method, N = {sysp['N']} ({lam.sizes['rep']} matrices)",
        )
        ax.axhline(0, color="0.7", lw=0.6)
        ax.set_xlabel("coupling g")
        ax.set_ylabel(r"$\lambda_{max}$ per " + ("step" if kind == "iid_map" else r"$\tau$"))
        ax.set_title(KIND_TITLE[kind], fontsize=8)
        ax.legend(frameon=False)
        panel_label(ax, tag)
    return fig


def full_spectra(iid_map: xr.Dataset, iid_flow: xr.Dataset):
    """Lyapunov spectra (exponent versus i/N) at the selected couplings, map and flow."""
    fig, axes = new_figure(1, 2, width=8.4, height=3.2)
    for ax, ds, tag in ((axes[0], iid_map, "a"), (axes[1], iid_flow, "b")):
        kind = "iid_map" if ds is iid_map else "iid_flow"
        N = io.parameters(ds)["lyapunov"][kind]["N"]
        x = (ds["index"].values + 1) / N
        cmap = ["#fdae61", "#d7191c", "#2b83ba", "#1a9641", "#5e3c99"]
        for i, g in enumerate(ds["g_spectrum"].values):
            ex = ds["exponents"].sel(g_spectrum=g)
            dky = float(ds["kaplan_yorke"].sel(g_spectrum=g).mean())
            ax.plot(
                x,
                ex.mean("rep"),
                color=cmap[i % len(cmap)],
                lw=1.2,
                label=f"g = {g:g}: D_KY/N = {dky / N:.3f}",
            )
            if ex.sizes["rep"] > 1:
                ax.fill_between(x, ex.min("rep"), ex.max("rep"), color=cmap[i % len(cmap)], alpha=0.2, lw=0)
        ax.axhline(0, color="0.5", lw=0.6)
        ax.set_xlabel("i / N")
        ax.set_ylabel(r"$\lambda_i$ per " + ("step" if kind == "iid_map" else r"$\tau$"))
        ax.set_title(f"{KIND_TITLE[kind]}, N = {N}", fontsize=8)
        ax.legend(frameon=False, fontsize=7)
        panel_label(ax, tag)
    return fig


def regularity_lyapunov(spectra: Mapping[str, xr.Dataset]):
    """Lyapunov spectra of each regularity versus its control, with D_KY and the KS entropy rate."""
    regs = list(spectra)
    fig, axes = new_figure(1, len(regs) + 1, width=3.0 * (len(regs) + 1), height=3.1, squeeze=False)
    axes = axes[0]
    for j, reg in enumerate(regs):
        ds = spectra[reg]
        N = ds.sizes["index"]
        x = (ds["index"].values + 1) / N
        n = ds.sizes["ctrl"]
        for c in range(n):
            ex = ds["exponents"].isel(ctrl=c, point=0).mean("rep")
            axes[j].plot(
                x,
                ex,
                color=REG_COLORS.get(reg, "k"),
                alpha=0.3 + 0.7 * c / max(n - 1, 1),
                label=f"{float(ds['ctrl'][c]):g}",
            )
        axes[j].axhline(0, color="0.5", lw=0.6)
        w, b = float(ds["point_w"][0]), float(ds["point_b"][0])
        axes[j].set_title(f"{reg} at w = {w:g}, b = {b:g}", fontsize=8)
        axes[j].set_xlabel("i / N")
        axes[j].set_ylabel(r"$\lambda_i$ per step")
        axes[j].set_ylim(bottom=max(float(ds["exponents"].min()), -3.0))
        axes[j].legend(frameon=False, fontsize=7, title="control")
        panel_label(axes[j], "abc"[j])
    ax = axes[-1]
    # small horizontal offsets keep coinciding curves (every control 0 is the base ensemble) visible
    span = max(float(np.ptp(spectra[reg]["ctrl"].values)) for reg in regs) or 1.0
    for k, reg in enumerate(regs):
        ds = spectra[reg]
        N = ds.sizes["index"]
        dx = (k - (len(regs) - 1) / 2) * 0.02 * span
        dky = ds["kaplan_yorke"].isel(point=0) / N
        ax.errorbar(
            ds["ctrl"] + dx,
            dky.mean("rep"),
            yerr=dky.std("rep") if dky.sizes["rep"] > 1 else None,
            marker="o",
            ms=4,
            color=REG_COLORS.get(reg, "k"),
            label=f"{reg}: D_KY / N",
        )
        ks = ds["ks_entropy"].isel(point=0)
        ax.plot(
            ds["ctrl"] + dx,
            ks.mean("rep"),
            ls="--",
            marker="s",
            ms=3,
            color=REG_COLORS.get(reg, "k"),
            label=f"{reg}: KS entropy",
        )
    ax.set_xlabel("control value")
    ax.set_ylabel("D_KY / N;  KS entropy per step")
    ax.legend(frameon=False, fontsize=6, ncol=2, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    panel_label(ax, "abcd"[len(regs)])
    p = io.parameters(next(iter(spectra.values())))
    fig.suptitle(
        f"Lyapunov spectra of the Metzner regularities (N = {p['N']}, full spectra, QR method)", fontsize=8
    )
    return fig


def numerics(num: xr.Dataset):
    """Convergence: lambda_1, the median exponent and D_KY/N (top row) and the smallest exponent lambda_N
    with the tangent-block conditioning (bottom row) versus run length, QR interval and N."""
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    fig, axes = new_figure(2, 3, width=10.0, height=5.2, squeeze=False)
    top = {
        "lambda_1": r"$\lambda_1$",
        "lambda_median": r"$\lambda_{N/2}$",
        "kaplan_yorke_fraction": r"$D_{KY}/N$",
    }
    sweeps = (
        ("n_steps", "accumulated steps"),
        ("qr_every", "steps between QRs"),
        ("N", "network size N"),
    )

    def band(ax, xv, d, **kw):
        ax.errorbar(
            xv, d.mean("rep"), yerr=d.std("rep", ddof=1) / np.sqrt(d.sizes["rep"]), marker="o", ms=3, capsize=2, **kw
        )

    for j, (name, label) in enumerate(sweeps):
        data = num[f"by_{name}"]
        xv = num[f"{name}_value"].values
        for q, ql in top.items():
            band(axes[0, j], xv, data.sel(quantity=q), label=ql)
        axes[0, j].axhline(0, color="0.7", lw=0.6)
        ax = axes[1, j]
        band(ax, xv, data.sel(quantity="lambda_N"), color="C3", label=r"$\lambda_N$")
        ax2 = ax.twinx()
        ax2.plot(xv, data.sel(quantity="max_log10_cond").mean("rep"), "s--", ms=3, color="0.4", label="log10 cond")
        ax2.axhline(14, color="0.4", lw=0.6, ls=":")
        ax2.set_ylabel("log10 cond (dotted: float64 limit)", fontsize=7)
        ax.set_xlabel(label)
        axes[0, j].set_xlabel(label)
        axes[0, j].set_ylabel("exponent per step; D_KY/N (mean ± SE)")
        ax.set_ylabel(r"$\lambda_N$ (mean ± SE)")
        for a in (axes[0, j], ax):
            a.set_xscale("log")
            a.set_xticks(xv)
            a.xaxis.set_major_formatter(ScalarFormatter())
            a.xaxis.set_minor_formatter(NullFormatter())
            a.tick_params(axis="x", labelsize=7)
    axes[0, 0].legend(frameon=False, fontsize=7)
    axes[1, 0].legend(frameon=False, fontsize=7, loc="lower center")
    for ax, tag in zip(axes.ravel(), "abcdef"):
        panel_label(ax, tag)
    g = io.parameters(num)["lyapunov"]["numerics"]["g"]
    fig.suptitle(f"Convergence of the QR Lyapunov spectrum, discrete map, i.i.d. W, g = {g:g}", fontsize=8)
    return fig
