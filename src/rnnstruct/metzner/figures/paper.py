"""Figures of Metzner et al. 2025 (docs/models/metzner2025.md#figures: F1-F10 and the mechanism panel).

Every figure is built from datasets read from the pipeline's NetCDF files; numbers drawn in a
figure are computed here from those datasets.
"""

from __future__ import annotations

from typing import Callable, Mapping

import numpy as np
import xarray as xr
from matplotlib.colors import BoundaryNorm, TwoSlopeNorm
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

from rnnstruct.core import io
from rnnstruct.metzner import spectra
from rnnstruct.metzner.dynamics import REGIME_CODES
from rnnstruct.core.plotting import THEORY_COLOR, new_figure, panel_label
from rnnstruct.metzner.figures.style import REGIME_COLORS, REGIME_LABELS, regime_cmap

LYAP_FLOOR = -1.0  # colour scale floor for lambda_max (saturated runs reach -25, w = 0 gives -inf)
REG_COLORS = {"dale": "#d62728", "hopfield": "#1f77b4", "modular": "#2ca02c"}
REG_TITLES = {"dale": "Dale monopolarity m", "hopfield": "Hopfield reciprocity r", "modular": "modularity q"}


# ---------------------------------------------------------------------------------------------
# shared pieces
# ---------------------------------------------------------------------------------------------


def modal_regime(regime: xr.DataArray, dim: str = "rep") -> xr.DataArray:
    """Most frequent regime code over ``dim`` (ties: the lower code)."""
    codes = np.arange(len(REGIME_CODES))
    counts = xr.concat([(regime == c).sum(dim) for c in codes], dim="code")
    return counts.argmax("code").astype(np.int8)


def stability_lines(predict: Callable[[float], Mapping], b: np.ndarray) -> dict:
    """Lines in the (b, w) plane where the linearisation at x = 0 loses stability.

    ``predict(b)`` gives the random-matrix prediction at w = 1 (bulk radius or ellipse semi-axis on the
    real line, and the outlier), which scale linearly with w: w_bulk(b) solves real extent = 1 and
    w_outlier(b) solves |outlier| = 1.
    """
    pred = [predict(float(bb)) for bb in b]
    extent = np.array(
        [
            p.get("semi_major", np.nan) if np.isfinite(p.get("semi_major", np.nan)) else p["bulk_radius"]
            for p in pred
        ]
    )
    out1 = np.abs(np.array([p["outlier"] for p in pred]))
    with np.errstate(divide="ignore", invalid="ignore"):
        w_bulk = np.where(extent > 0, 1.0 / extent, np.inf)
        w_out = np.where(out1 > 0, 1.0 / out1, np.inf)
    return {"w_bulk": w_bulk, "w_outlier": w_out}


def base_lines(params: Mapping, b: np.ndarray) -> dict:
    N, d, mode = params["N"], params["density"], params["balance_mode"]
    return stability_lines(lambda bb: spectra.base_predictions(N, 1.0, bb, d, mode), b)


def regularity_lines(params: Mapping, reg: str, ctrl: float, b: np.ndarray) -> dict:
    from rnnstruct.metzner.stages.regularities import predictions

    return stability_lines(lambda bb: predictions(params, reg, 1.0, bb, ctrl, params["N"]), b)


class Grid:
    """Cell edges of a (w, b) grid for pcolormesh, and a fine b axis for theory lines."""

    def __init__(self, ds: xr.Dataset):
        self.b, self.w = ds["b"].values, ds["w"].values
        db = (self.b[1] - self.b[0]) / 2 if len(self.b) > 1 else 0.05
        dw = (self.w[1] - self.w[0]) / 2 if len(self.w) > 1 else 0.05
        self.eb = np.concatenate([self.b - db, [self.b[-1] + db]])
        self.ew = np.concatenate([self.w - dw, [self.w[-1] + dw]])
        self.b_fine = np.linspace(self.b.min(), self.b.max(), 801)
        self.w_max = self.w.max() + dw


def _overlay(ax, grid: Grid, lines: dict | None, labels: bool = True):
    if lines is not None:
        ax.plot(grid.b_fine, lines["w_bulk"], color=THEORY_COLOR, lw=1.0, ls="-")
        ax.plot(grid.b_fine, lines["w_outlier"], color=THEORY_COLOR, lw=1.0, ls="--")
    ax.set_ylim(grid.ew[0], grid.w_max)
    ax.set_xlim(grid.eb[0], grid.eb[-1])
    if labels:
        ax.set_xlabel("balance b")
        ax.set_ylabel("strength w")


def regime_panel(ax, grid: Grid, regime: xr.DataArray, lines=None, legend: bool = False):
    n_codes = len(REGIME_CODES)
    reg = modal_regime(regime).transpose("w", "b").values
    ax.pcolormesh(
        grid.eb, grid.ew, reg, cmap=regime_cmap(), norm=BoundaryNorm(np.arange(-0.5, n_codes), n_codes)
    )
    _overlay(ax, grid, lines)
    if legend:
        names = sorted(REGIME_CODES, key=REGIME_CODES.get)
        ax.legend(
            handles=[Patch(color=REGIME_COLORS[n], label=REGIME_LABELS[n]) for n in names],
            loc="upper center",
            bbox_to_anchor=(0.5, -0.18),
            ncol=3,
            frameon=False,
        )


def lyap_panel(fig, ax, grid: Grid, lyap: xr.DataArray, lines=None, vmax: float | None = None, cbar=True):
    lam = np.clip(lyap.clip(min=LYAP_FLOOR).mean("rep").transpose("w", "b").values, LYAP_FLOOR, None)
    vmax = vmax if vmax is not None else max(float(np.nanmax(lam)), 0.05)
    m = ax.pcolormesh(grid.eb, grid.ew, lam, cmap="RdBu_r", norm=TwoSlopeNorm(0.0, LYAP_FLOOR, vmax))
    if cbar:
        cb = fig.colorbar(m, ax=ax, extend="min")
        cb.set_label(r"$\lambda_{max}$ per step", labelpad=1)
    _overlay(ax, grid, lines)
    return m


def map_panel(
    fig,
    ax,
    grid: Grid,
    da: xr.DataArray,
    label: str,
    lines=None,
    vmin=0.0,
    vmax=1.0,
    cmap="viridis",
    cbar=True,
):
    m = ax.pcolormesh(
        grid.eb, grid.ew, da.mean("rep").transpose("w", "b").values, cmap=cmap, vmin=vmin, vmax=vmax
    )
    if cbar:
        fig.colorbar(m, ax=ax, label=label)
    _overlay(ax, grid, lines)
    return m


def shown_controls(ctrl: np.ndarray) -> list[int]:
    """Indices of the first, middle and last control values ({0, 0.5, 1} when present)."""
    idx = sorted({0, len(ctrl) // 2, len(ctrl) - 1})
    return idx


def grid_mean_per_rep(da: xr.DataArray) -> xr.DataArray:
    """Average over the (w, b) grid, keeping ctrl and rep (realisations are the independent units)."""
    return da.mean(("w", "b"))


# ---------------------------------------------------------------------------------------------
# F2: base phase diagram
# ---------------------------------------------------------------------------------------------


def base_phase_diagram(dyn: xr.Dataset):
    """F2: regime map and mean lambda_max, A, F over (w, b), with the linear-stability lines."""
    params = io.parameters(dyn)
    grid = Grid(dyn)
    lines = base_lines(params, grid.b_fine)
    fig, axes = new_figure(2, 2, width=7.2, height=6.0)
    regime_panel(axes[0, 0], grid, dyn["regime"], lines, legend=True)
    axes[0, 0].set_title("regime (mode over realisations)")
    lyap_panel(fig, axes[0, 1], grid, dyn["lyap_max"], lines)
    axes[0, 1].set_title(r"$\lambda_{max}$ (mean; floor %g)" % LYAP_FLOOR)
    map_panel(fig, axes[1, 0], grid, dyn["mean_abs"], "A = <|x|>", lines)
    axes[1, 0].set_title("saturation level A (mean)")
    map_panel(fig, axes[1, 1], grid, dyn["fluctuation"], "F = <std_t x>", lines)
    axes[1, 1].set_title("fluctuation F (mean)")
    for ax, tag in zip(axes.flat, "abcd"):
        panel_label(ax, tag)
    fig.suptitle(
        f"Base ensemble: N = {params['N']}, d = {params['density']:g}, {params['balance_mode']}, "
        f"{params['reps']} realisations; red: bulk radius = 1 (solid), |outlier| = 1 (dashed)",
        fontsize=8,
    )
    return fig


# ---------------------------------------------------------------------------------------------
# F1: schematic and example matrices
# ---------------------------------------------------------------------------------------------


def _schematic(ax):
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 2)
    boxes = [
        (0.3, "input u(t)\n$W_{in}$"),
        (3.7, "recurrent network\n$x(t+1) = \\tanh(W x(t) + W_{in} u(t))$"),
        (7.6, "linear readout\n(ridge, argmax)"),
    ]
    widths = [2.0, 3.0, 2.1]
    for (x, text), wd in zip(boxes, widths):
        ax.add_patch(FancyBboxPatch((x, 0.5), wd, 1.0, boxstyle="round,pad=0.05", fc="#f0f0f0", ec="0.3"))
        ax.text(x + wd / 2, 1.0, text, ha="center", va="center", fontsize=8)
    for x0, x1 in ((2.35, 3.65), (6.75, 7.55)):
        ax.add_patch(FancyArrowPatch((x0, 1.0), (x1, 1.0), arrowstyle="-|>", mutation_scale=12, color="0.3"))


def schematic_and_matrices(ensembles: Mapping[str, xr.Dataset], w: float | None = None, b: float = 0.0):
    """F1: the reservoir schematic and W heatmaps per regularity at the first and last control value."""
    regs = [r for r in ("dale", "hopfield", "modular") if r in ensembles]
    fig = new_figure(1, 1, width=2.4 * len(regs) + 0.6, height=6.2)[0]
    fig.clf()
    gs = fig.add_gridspec(3, len(regs), height_ratios=[0.5, 1, 1])
    _schematic(fig.add_subplot(gs[0, :]))
    vmax = None
    for j, reg in enumerate(regs):
        ens = ensembles[reg]
        ww = float(ens["example_w"].values[0]) if w is None else w
        sel = np.nonzero(((ens["example_w"] == ww) & (ens["example_b"] == b)).values)[0]
        k = int(sel[0]) if len(sel) else 0
        for i, c in enumerate((0, ens.sizes["ctrl"] - 1)):
            W = ens["W"].isel(ctrl=c, example=k).values
            vmax = vmax or float(np.percentile(np.abs(W), 99))
            ax = fig.add_subplot(gs[1 + i, j])
            im = ax.imshow(W, cmap="RdBu_r", vmin=-vmax, vmax=vmax, interpolation="nearest")
            sym = {"dale": "m", "hopfield": "r", "modular": "q"}[reg]
            ax.set_title(f"{reg}: {sym} = {float(ens['ctrl'][c]):g}")
            ax.set_xlabel("pre j")
            ax.set_ylabel("post i")
    fig.colorbar(im, ax=fig.axes[1:], label="$W_{ij}$", shrink=0.6)
    params = io.parameters(next(iter(ensembles.values())))
    fig.suptitle(
        f"Reservoir set-up and example matrices (N = {params['N']}, w = {ww:g}, b = {b:g}, realisation 0)",
        fontsize=8,
    )
    return fig


# ---------------------------------------------------------------------------------------------
# F3: baseline accuracy
# ---------------------------------------------------------------------------------------------


def baseline_accuracy(res: xr.Dataset, dyn: xr.Dataset):
    """F3: test and train accuracy at control 0 (the base ensemble) and the driven lambda_max."""
    params = io.parameters(res)
    r0, d0 = res.isel(ctrl=0), dyn.isel(ctrl=0)
    grid = Grid(r0)
    lines = base_lines(params, grid.b_fine)
    chance = float(res["chance_level"])
    fig, axes = new_figure(1, 3, width=10.0, height=3.3)
    for ax, name, title in (
        (axes[0], "accuracy", "test accuracy"),
        (axes[1], "accuracy_train", "train accuracy"),
    ):
        map_panel(fig, ax, grid, r0[name], "accuracy", lines, vmin=chance, vmax=1.0, cmap="magma")
        ax.set_title(f"{title} (mean; chance {chance:g})")
    lyap_panel(fig, axes[2], grid, d0["lyap_driven"], lines)
    lam = d0["lyap_driven"].mean("rep").transpose("w", "b")
    axes[2].contour(grid.b, grid.w, lam.values, levels=[0.0], colors="k", linewidths=0.8)
    axes[2].set_title(r"driven $\lambda_{max}$ (black: $\lambda$ = 0)")
    for ax, tag in zip(axes, "abc"):
        panel_label(ax, tag)
    mean_acc = float(r0["accuracy"].mean())
    fig.suptitle(
        f"Baseline reservoir (task {params['reservoir']['task']}, N = {params['N']}, "
        f"{params['regularities']['reps']} realisations): grid-mean test accuracy {mean_acc:.3f}",
        fontsize=8,
    )
    return fig


# ---------------------------------------------------------------------------------------------
# F4, F6, F8: signatures per control value; F5, F7, F9: accuracy per control value
# ---------------------------------------------------------------------------------------------


def regularity_dynamics(dyn: xr.Dataset, reg: str):
    """Regime, lambda_max, A and F over (w, b) for the first, middle and last control value."""
    params = io.parameters(dyn)
    grid = Grid(dyn)
    idx = shown_controls(dyn["ctrl"].values)
    fig, axes = new_figure(len(idx), 4, width=12.5, height=2.6 * len(idx) + 0.6, squeeze=False)
    vmax = max(float(dyn["lyap_max"].clip(min=LYAP_FLOOR).mean("rep").max()), 0.05)
    for row, c in enumerate(idx):
        d = dyn.isel(ctrl=c)
        ctrl = float(dyn["ctrl"][c])
        lines = regularity_lines(params, reg, ctrl, grid.b_fine)
        regime_panel(axes[row, 0], grid, d["regime"], lines, legend=row == len(idx) - 1)
        lyap_panel(fig, axes[row, 1], grid, d["lyap_max"], lines, vmax=vmax)
        map_panel(fig, axes[row, 2], grid, d["mean_abs"], "A", lines)
        map_panel(fig, axes[row, 3], grid, d["fluctuation"], "F", lines)
        sym = REG_TITLES[reg].split()[-1]
        for ax, name in zip(axes[row], ("regime", r"$\lambda_{max}$", "saturation A", "fluctuation F")):
            ax.set_title(f"{name}, {sym} = {ctrl:g}")
    fig.suptitle(
        f"{REG_TITLES[reg]}: dynamical signatures (N = {params['N']}, {params['regularities']['reps']} realisations); "
        "red: stability of x = 0 from random-matrix theory",
        fontsize=8,
    )
    return fig


def regularity_accuracy(res: xr.Dataset, reg: str):
    """Test accuracy over (w, b) for every control value, and a cut along w at the b closest to 0."""
    params = io.parameters(res)
    grid = Grid(res)
    n = res.sizes["ctrl"]
    chance = float(res["chance_level"])
    fig, axes = new_figure(1, n + 1, width=2.5 * (n + 1) + 0.6, height=3.0, squeeze=False)
    axes = axes[0]
    sym = REG_TITLES[reg].split()[-1]
    for c in range(n):
        ctrl = float(res["ctrl"][c])
        m = map_panel(
            fig,
            axes[c],
            grid,
            res["accuracy"].isel(ctrl=c),
            "accuracy",
            regularity_lines(params, reg, ctrl, grid.b_fine),
            vmin=chance,
            vmax=1.0,
            cmap="magma",
            cbar=False,
        )
        mean = float(res["accuracy"].isel(ctrl=c).mean())
        axes[c].set_title(f"{sym} = {ctrl:g}: mean {mean:.3f}")
    fig.colorbar(m, ax=list(axes[:n]), label="test accuracy", shrink=0.9)
    ax = axes[n]
    b0 = float(res["b"].sel(b=0.0, method="nearest"))
    cmap = [REG_COLORS[reg]]
    for c in range(n):
        acc = res["accuracy"].isel(ctrl=c).sel(b=b0)
        alpha = 0.3 + 0.7 * c / max(n - 1, 1)
        ax.errorbar(
            res["w"],
            acc.mean("rep"),
            yerr=acc.std("rep") if acc.sizes["rep"] > 1 else None,
            color=cmap[0],
            alpha=alpha,
            marker="o",
            ms=3,
            label=f"{sym} = {float(res['ctrl'][c]):g}",
        )
    ax.axhline(chance, color="0.6", lw=0.8, ls=":")
    ax.set_xlabel("strength w")
    ax.set_ylabel("test accuracy")
    ax.set_title(f"cut at b = {b0:g}")
    ax.legend(frameon=False, fontsize=7)
    fig.suptitle(
        f"{REG_TITLES[reg]}: reservoir accuracy (task {params['reservoir']['task']}, N = {params['N']}, "
        f"{params['regularities']['reps']} realisations)",
        fontsize=8,
    )
    return fig


# ---------------------------------------------------------------------------------------------
# F10: summary; mechanism panel
# ---------------------------------------------------------------------------------------------


def summary(reservoirs: Mapping[str, xr.Dataset]):
    """F10: grid-averaged test accuracy versus control value, mean ± SD over realisations."""
    fig, ax = new_figure(1, 1, width=4.6, height=3.4)
    for reg, res in reservoirs.items():
        per_rep = grid_mean_per_rep(res["accuracy"])
        sd = per_rep.std("rep") if per_rep.sizes["rep"] > 1 else None
        ax.errorbar(
            res["ctrl"],
            per_rep.mean("rep"),
            yerr=sd,
            marker="o",
            ms=4,
            capsize=3,
            color=REG_COLORS[reg],
            label=REG_TITLES[reg],
        )
    res0 = next(iter(reservoirs.values()))
    params = io.parameters(res0)
    ax.set_xlabel("control value (m, r or q)")
    ax.set_ylabel("test accuracy, mean over the (w, b) grid")
    ax.legend(frameon=False)
    ax.set_title(
        f"task {params['reservoir']['task']}, N = {params['N']}, ± SD over {res0.sizes['rep']} realisations",
        fontsize=8,
    )
    return fig


def saturation_mechanism(dyn: xr.Dataset, res: xr.Dataset, reg: str = "hopfield"):
    """Mechanism: A versus w at the b closest to 0 for the first and last control, accuracy on a second axis."""
    b0 = float(dyn["b"].sel(b=0.0, method="nearest"))
    fig, ax = new_figure(1, 1, width=5.0, height=3.4)
    ax2 = ax.twinx()
    sym = REG_TITLES[reg].split()[-1]
    for c, ls in ((0, "-"), (dyn.sizes["ctrl"] - 1, "--")):
        ctrl = float(dyn["ctrl"][c])
        A = dyn["mean_abs"].isel(ctrl=c).sel(b=b0)
        acc = res["accuracy"].isel(ctrl=c).sel(b=b0)
        ax.plot(dyn["w"], A.mean("rep"), ls=ls, color="#e6550d", label=f"A, {sym} = {ctrl:g}")
        ax2.plot(res["w"], acc.mean("rep"), ls=ls, color="#3182bd", label=f"accuracy, {sym} = {ctrl:g}")
    ax.set_xlabel("strength w")
    ax.set_ylabel("saturation level A = <|x|>", color="#e6550d")
    ax2.set_ylabel("test accuracy", color="#3182bd")
    ax2.spines["right"].set_visible(True)
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax.legend(
        lines[0] + lines2[0],
        lines[1] + lines2[1],
        frameon=False,
        fontsize=7,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18),
        ncol=2,
    )
    ax.set_title(f"{REG_TITLES[reg]}: saturation versus accuracy at b = {b0:g}", fontsize=8)
    return fig


# ---------------------------------------------------------------------------------------------
# mechanism: accuracy against saturation and against lambda_max (Dale, Hopfield)
# ---------------------------------------------------------------------------------------------

MECH_BINS = 10  # equal-count bins of the (w, b, rep) points per control value


def binned_mean(x: np.ndarray, y: np.ndarray, n_bins: int = MECH_BINS) -> tuple[np.ndarray, np.ndarray]:
    """Means of x and y in ``n_bins`` equal-count bins of x (finite x only), ordered by x."""
    ok = np.isfinite(x) & np.isfinite(y)
    order = np.argsort(x[ok], kind="stable")
    xs, ys = x[ok][order], y[ok][order]
    parts = [p for p in np.array_split(np.arange(xs.size), min(n_bins, xs.size)) if p.size]
    return np.array([xs[p].mean() for p in parts]), np.array([ys[p].mean() for p in parts])


def mechanism_accuracy(dyn: Mapping[str, xr.Dataset], res: Mapping[str, xr.Dataset]):
    """Test accuracy against the saturated fraction S and against lambda_max, per control value.

    One row per regularity (Dale, Hopfield); every (w, b, rep) point of the sweep is one sample, binned by
    the abscissa into equal-count bins per control value (mean of both coordinates per bin).  If the
    paper's explanation holds, a control value moves points along a common accuracy-versus-S curve (the
    regularity acts through saturation); a curve that shifts instead means an effect at equal saturation.
    """
    regs = [r for r in ("dale", "hopfield") if r in dyn]
    fig, axes = new_figure(len(regs), 2, width=7.0, height=2.6 * len(regs), squeeze=False)
    for row, reg in enumerate(regs):
        d, r = dyn[reg], res[reg]
        sym = REG_TITLES[reg].split()[-1]
        cmap = plt_colormap(reg)
        n = d.sizes["ctrl"]
        for c in range(n):
            colour = cmap(0.35 + 0.65 * c / max(n - 1, 1))
            acc = r["accuracy"].isel(ctrl=c).values.ravel()
            sat = d["sat_frac"].isel(ctrl=c).values.ravel()
            lam = np.clip(d["lyap_max"].isel(ctrl=c).values.ravel(), LYAP_FLOOR * 3, None)
            label = f"{sym} = {float(d['ctrl'][c]):g}"
            for ax, x in ((axes[row, 0], sat), (axes[row, 1], lam)):
                bx, by = binned_mean(x, acc)
                ax.plot(bx, by, "o-", ms=3, color=colour, label=label)
        axes[row, 0].set_xlabel("saturated fraction S")
        axes[row, 1].set_xlabel(f"λ_max (clipped at {LYAP_FLOOR * 3:g})")
        axes[row, 1].axvline(0.0, color="0.6", lw=0.6, ls=":")
        for ax in axes[row]:
            ax.set_ylabel("test accuracy")
            ax.set_title(REG_TITLES[reg], fontsize=8)
        axes[row, 0].legend(frameon=False, fontsize=7)
    for k, ax in enumerate(axes.ravel()):
        panel_label(ax, "abcd"[k])
    return fig


def plt_colormap(reg: str):
    import matplotlib

    return matplotlib.colormaps[{"dale": "Reds", "hopfield": "Blues", "modular": "Greens"}[reg]]


# ---------------------------------------------------------------------------------------------
# robustness: verdicts across the reconstruction choices
# ---------------------------------------------------------------------------------------------

VERDICT_COLORS = {-1: "#d9d9d9", 0: "#fcbba1", 1: "#fee391", 2: "#a1d99b"}
VERDICT_NAMES = {-1: "undefined", 0: "not reproduced", 1: "partly reproduced", 2: "reproduced"}


def robustness_rows(ds: xr.Dataset) -> list[tuple[int, int, str]]:
    """(choice index, alternative index, row label) of every valid alternative, default first per choice."""
    rows = []
    for k, choice in enumerate(ds["choice"].values.tolist()):
        for a in range(ds.sizes["alternative"]):
            if int(ds["alternative_valid"][k, a]):
                rows.append((k, a, f"{choice}: {ds['alternative_label'].values[k, a]}"))
    return rows


def robustness_verdicts(ds: xr.Dataset):
    """Verdict matrix: (a) every choice and alternative x claim, grid-mean statistic, Δ ± SE and the
    realised variance ratio of W (last / first control); (b) the default run under the four statistics."""
    rows = robustness_rows(ds)
    regs = ds["regularity"].values.tolist()
    stats = ds["statistic"].values.tolist()
    height = 1.6 + 0.24 * (len(rows) + len(stats))
    fig, (ax, bx) = new_figure(
        2, 1, width=7.0, height=height, gridspec_kw={"height_ratios": [len(rows), len(stats) + 0.8]}
    )
    g = ds.sel(statistic="grid_mean")

    def cell(axis, i, j, code, text, faded=False):
        axis.add_patch(
            FancyBboxPatch(
                (j + 0.04, i + 0.08), 0.92, 0.84, boxstyle="square,pad=0", fc=VERDICT_COLORS[code],
                ec="none", alpha=0.45 if faded else 1.0,
            )
        )
        axis.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=6)

    for i, (k, a, _) in enumerate(rows):
        for j, reg in enumerate(regs):
            s = g.isel(choice=k, alternative=a).sel(regularity=reg)
            code = int(s["claim_verdict"])
            var = ds["weight_var"].isel(choice=k, alternative=a).sel(regularity=reg).values
            ratio = var[-1] / var[0] if var[0] > 0 else np.nan
            text = f"{float(s['claim_delta']):+.3f} ± {float(s['claim_delta_se']):.3f}   var×{ratio:.2f}"
            faded = a > 0 and not int(ds["affected"].isel(choice=k).sel(regularity=reg))
            cell(ax, i, j, code, text, faded)
    ax.set_yticks(np.arange(len(rows)) + 0.5, [r[2] for r in rows], fontsize=6)
    ax.set_title("Δ (last − first control) ± SE per choice; grid-mean accuracy; var×: realised W variance ratio", fontsize=7)
    ax.set_ylabel("[RECON] choice moved from its configured value", fontsize=7)
    d0 = ds.isel(choice=0, alternative=0)
    for i, stat in enumerate(stats):
        for j, reg in enumerate(regs):
            s = d0.sel(regularity=reg, statistic=stat)
            delta = float(s["claim_delta"])
            text = "undefined" if not np.isfinite(delta) else f"{delta:+.3f} ± {float(s['claim_delta_se']):.3f}"
            cell(bx, i, j, int(s["claim_verdict"]), text)
    bx.set_yticks(np.arange(len(stats)) + 0.5, [f"statistic: {s}" for s in stats], fontsize=6)
    bx.set_title("default run under the four summary statistics", fontsize=7)
    bx.set_ylabel("summary statistic", fontsize=7)
    for axis, n in ((ax, len(rows)), (bx, len(stats))):
        axis.set_xlim(0, len(regs))
        axis.set_ylim(n, 0)
        axis.set_xticks(np.arange(len(regs)) + 0.5, [REG_TITLES[r] for r in regs], fontsize=7)
        axis.tick_params(length=0)
        axis.set_xlabel("claim (regularity)", fontsize=7)
        for spine in axis.spines.values():
            spine.set_visible(False)
    handles = [Patch(fc=VERDICT_COLORS[c], label=VERDICT_NAMES[c]) for c in (2, 1, 0, -1)]
    handles.append(Patch(fc="#a1d99b", alpha=0.45, label="choice cannot move this claim (default's numbers)"))
    bx.legend(handles=handles, frameon=False, fontsize=6, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.45))
    return fig
