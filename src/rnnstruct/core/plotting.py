"""Shared figure style and saving (PDF + PNG, written atomically)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from rnnstruct import __version__  # noqa: E402
from rnnstruct.core.io import publish  # noqa: E402

#: environment variable naming a folder where scripts/figure.py writes each figure's axes_audit (tests)
AUDIT_ENV = "RNNSTRUCT_FIGURE_AUDIT"

STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "image.cmap": "viridis",
    "pdf.fonttype": 42,
}

THEORY_COLOR = "#d62728"


def new_figure(nrows: int = 1, ncols: int = 1, width: float = 7.0, height: float = 3.0, **kw):
    plt.rcParams.update(STYLE)
    return plt.subplots(nrows, ncols, figsize=(width, height), layout="constrained", **kw)


def empty_figure(width: float = 7.0, height: float = 3.0):
    """A styled, constrained-layout figure without axes (for subfigures or mixed 2-D / 3-D panels)."""
    plt.rcParams.update(STYLE)
    return plt.figure(figsize=(width, height), layout="constrained")


def panel_label(ax, text: str) -> None:
    """Bold panel letter above the top-left corner, clear of a centred title."""
    ax.text(-0.14, 1.02, text, transform=ax.transAxes, ha="left", va="bottom", fontweight="bold")


def save_figure(fig, *paths: os.PathLike | str) -> None:
    """Save ``fig`` to each path (format from the suffix), atomically, then close it."""
    for path in map(Path, paths):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
        os.close(fd)
        try:
            meta = (
                {"Creator": f"rnnstruct {__version__}"}
                if path.suffix == ".pdf"
                else {"Software": f"rnnstruct {__version__}"}
            )
            fig.savefig(tmp, metadata=meta)
            publish(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    plt.close(fig)


def axes_audit(fig) -> list[dict]:
    """What a reader sees on each axes of ``fig``: its labels and title, whether it is drawn (axis on)
    and holds data, and whether it is a colour bar (for the figure-style test)."""
    sup = {axis: bool(getattr(fig, f"_sup{axis}label", None) and getattr(fig, f"_sup{axis}label").get_text())
           for axis in ("x", "y")}

    def shared_label(ax, axis: str) -> bool:
        """Another axes sharing this axis carries the label (the outer panel of a grid)."""
        group = ax.get_shared_x_axes() if axis == "x" else ax.get_shared_y_axes()
        get = "get_xlabel" if axis == "x" else "get_ylabel"
        return any(getattr(other, get)() for other in group.get_siblings(ax) if other is not ax)

    out = []
    for ax in fig.axes:
        has_data = bool(ax.lines or ax.collections or ax.images or ax.patches or ax.containers)
        entry = {
            "xlabel": ax.get_xlabel(),
            "ylabel": ax.get_ylabel(),
            "title": ax.get_title(),
            "visible": bool(ax.get_visible() and ax.axison),
            "has_data": has_data,
            "colorbar": ax.get_label() == "<colorbar>",
            "xticks": bool(ax.get_xticks().size and ax.xaxis.get_visible()),
            "yticks": bool(ax.get_yticks().size and ax.yaxis.get_visible()),
            "x_labelled_elsewhere": sup["x"] or shared_label(ax, "x"),
            "y_labelled_elsewhere": sup["y"] or shared_label(ax, "y"),
        }
        if hasattr(ax, "get_zlabel"):
            entry["zlabel"] = ax.get_zlabel()
        out.append(entry)
    return out
