"""PRX Fig. 8: singular-value histograms of the random-mode model (D_a = 1) against App. C."""

from __future__ import annotations

import numpy as np
import xarray as xr

from rnnstruct.core import io
from rnnstruct.core.plotting import THEORY_COLOR, new_figure, panel_label


def fig8_singular_values(svd: xr.Dataset):
    N = io.parameters(svd)["clark"]["svd"]["N"]
    n = svd.sizes["alpha"]
    ncols = min(n, 3)
    nrows = int(np.ceil(n / ncols))
    fig, axes = new_figure(nrows, ncols, width=3.0 * ncols, height=2.4 * nrows, squeeze=False)
    for k, a in enumerate(svd["alpha"].values):
        ax = axes[k // ncols][k % ncols]
        s = svd.sel(alpha=a)
        S = s["singular_value"].values
        S = S[np.isfinite(S)]
        ax.hist(S, bins=40, range=(0, 2), density=True, color="0.6", label=f"N = {N}, M = {S.size}")
        mass = min(1.0, 1.0 / float(a))
        ax.plot(svd["s_grid"], s["sv_density"] / mass, color=THEORY_COLOR, lw=1.2, label="App. C density")
        for edge in (float(s["sv_edge_lower"]), float(s["sv_edge_upper"])):
            ax.axvline(edge, color="k", ls="--", lw=0.8)
        ax.set_xlim(0, 2)
        ax.set_title(rf"$\alpha$ = {a:g}: $PR^S$ {float(s['pr_s']):.4f} (theory {float(s['pr_s_theory']):.4f})", fontsize=7)
        ax.set_xlabel("singular value S")
        ax.set_ylabel("density")
        panel_label(ax, "abcdefghijkl"[k])
        if k == 0:
            ax.legend(frameon=False, fontsize=6)
    for k in range(n, nrows * ncols):
        axes[k // ncols][k % ncols].axis("off")
    return fig
