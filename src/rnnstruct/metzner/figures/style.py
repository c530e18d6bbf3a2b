"""Colours and labels of the dynamical regimes (rnnstruct.metzner.dynamics.REGIME_CODES) in figures."""

from __future__ import annotations

from matplotlib.colors import ListedColormap

from rnnstruct.metzner.dynamics import REGIME_CODES

REGIME_COLORS = {
    "quiescent_fixed_point": "#d9d9d9",
    "saturated_fixed_point": "#e6550d",
    "periodic": "#3182bd",
    "chaotic": "#54278f",
    "other": "#fdd049",
}
REGIME_LABELS = {
    "quiescent_fixed_point": "quiescent FP",
    "saturated_fixed_point": "saturated FP",
    "periodic": "periodic",
    "chaotic": "chaotic",
    "other": "other (see caption)",
}


def regime_cmap() -> ListedColormap:
    names = sorted(REGIME_CODES, key=REGIME_CODES.get)
    return ListedColormap([REGIME_COLORS[n] for n in names], name="regimes")
