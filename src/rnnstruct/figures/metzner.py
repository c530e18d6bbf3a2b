"""Figures of Metzner et al. 2025 (base ensemble for now)."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.colors import BoundaryNorm, TwoSlopeNorm
from matplotlib.patches import Patch

from .. import io, spectra
from ..dynamics import REGIME_CODES
from ..plotting import REGIME_COLORS, REGIME_LABELS, THEORY_COLOR, new_figure, panel_label, regime_cmap

LYAP_FLOOR = -1.0  # colour scale floor for lambda_max (saturated runs reach -25, w = 0 gives -inf)


def modal_regime(regime: xr.DataArray, dim: str = "rep") -> xr.DataArray:
    """Most frequent regime code over ``dim`` (ties: the lower code)."""
    codes = np.arange(len(REGIME_CODES))
    counts = xr.concat([(regime == c).sum(dim) for c in codes], dim="code")
    return counts.argmax("code").astype(np.int8)


def theory_boundaries(params: dict, b: np.ndarray) -> dict:
    """Lines in the (b, w) plane where the linearisation at x = 0 loses stability.

    w_bulk(b): bulk radius = 1; w_outlier(b): |outlier| = 1 (both from spectra.base_predictions,
    which are linear in w).
    """
    N, d, mode = params["N"], params["density"], params["balance_mode"]
    pred = [spectra.base_predictions(N, 1.0, float(bb), d, mode) for bb in b]
    rho1 = np.array([p["bulk_radius"] for p in pred])
    out1 = np.abs(np.array([p["outlier"] for p in pred]))
    with np.errstate(divide="ignore"):
        w_bulk = np.where(rho1 > 0, 1.0 / rho1, np.inf)
        w_out = np.where(out1 > 0, 1.0 / out1, np.inf)
    return {"w_bulk": w_bulk, "w_outlier": w_out}


def _overlay(ax, b_fine, lines, w_max):
    ax.plot(b_fine, lines["w_bulk"], color=THEORY_COLOR, lw=1.0, ls="-")
    ax.plot(b_fine, lines["w_outlier"], color=THEORY_COLOR, lw=1.0, ls="--")
    ax.set_ylim(0, w_max)
    ax.set_xlabel("balance b")
    ax.set_ylabel("strength w")


def base_phase_diagram(dyn: xr.Dataset):
    """Regime map and mean lambda_max, A, F over (w, b), with the linear-stability lines."""
    params = io.parameters(dyn)
    b, w = dyn["b"].values, dyn["w"].values
    db = (b[1] - b[0]) / 2 if len(b) > 1 else 0.05
    dw = (w[1] - w[0]) / 2 if len(w) > 1 else 0.05
    extent_b = np.concatenate([b - db, [b[-1] + db]])
    extent_w = np.concatenate([w - dw, [w[-1] + dw]])
    b_fine = np.linspace(b.min(), b.max(), 801)
    lines = theory_boundaries(params, b_fine)
    w_max = w.max() + dw

    fig, axes = new_figure(2, 2, width=7.2, height=6.0)
    ax = axes[0, 0]
    reg = modal_regime(dyn["regime"]).transpose("w", "b").values
    n_codes = len(REGIME_CODES)
    ax.pcolormesh(
        extent_b, extent_w, reg, cmap=regime_cmap(), norm=BoundaryNorm(np.arange(-0.5, n_codes), n_codes)
    )
    _overlay(ax, b_fine, lines, w_max)
    ax.set_title("regime (mode over realisations)")
    names = sorted(REGIME_CODES, key=REGIME_CODES.get)
    ax.legend(
        handles=[Patch(color=REGIME_COLORS[n], label=REGIME_LABELS[n]) for n in names],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        ncol=3,
        frameon=False,
    )
    panel_label(ax, "a")

    lam = np.clip(
        dyn["lyap_max"].clip(min=LYAP_FLOOR).mean("rep").transpose("w", "b").values, LYAP_FLOOR, None
    )
    ax = axes[0, 1]
    vmax = max(float(np.nanmax(lam)), 0.05)
    m = ax.pcolormesh(extent_b, extent_w, lam, cmap="RdBu_r", norm=TwoSlopeNorm(0.0, LYAP_FLOOR, vmax))
    fig.colorbar(m, ax=ax, label=r"$\lambda_{max}$ per step", extend="min")
    _overlay(ax, b_fine, lines, w_max)
    ax.set_title(r"$\lambda_{max}$ (mean; floor %g)" % LYAP_FLOOR)
    panel_label(ax, "b")

    for ax, name, label, tag in (
        (axes[1, 0], "mean_abs", "A = <|x|>", "c"),
        (axes[1, 1], "fluctuation", "F = <std_t x>", "d"),
    ):
        val = dyn[name].mean("rep").transpose("w", "b").values
        m = ax.pcolormesh(extent_b, extent_w, val, cmap="viridis", vmin=0, vmax=1)
        fig.colorbar(m, ax=ax, label=label)
        _overlay(ax, b_fine, lines, w_max)
        ax.set_title(f"{dyn[name].attrs['long_name']} (mean)")
        panel_label(ax, tag)
    fig.suptitle(
        f"Base ensemble: N = {params['N']}, d = {params['density']:g}, {params['balance_mode']}, "
        f"{params['reps']} realisations; red: bulk radius = 1 (solid), |outlier| = 1 (dashed)",
        fontsize=8,
    )
    return fig
