"""The Clark theory-versus-simulation table of the report (pure: datasets in, DataFrame out).

The papers' quantitative statements are DMFT predictions of the dimension of activity; the table
summarises, per figure and quantity, how far this run's simulations are from the theory at the
profile's N, with the summaries of the generated notes (:mod:`rnnstruct.clark.notes`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from rnnstruct.clark import notes
from rnnstruct.core import io

COLUMNS = (
    "figure", "quantity", "points", "mean relative deviation", "mean |relative deviation|",
    "max |relative deviation|", "within 2 SE",
)


def _row(figure: str, quantity: str, cells: list[dict]) -> dict:
    rel = np.array([c["rel"] for c in cells], dtype=float)
    z = np.array([c.get("z", np.nan) for c in cells], dtype=float)
    rel = rel[np.isfinite(rel)]
    finite_z = z[np.isfinite(z)]
    return {
        "figure": figure,
        "quantity": quantity,
        "points": int(rel.size),
        "mean relative deviation": round(float(rel.mean()), 6) if rel.size else np.nan,
        "mean |relative deviation|": round(float(np.abs(rel).mean()), 6) if rel.size else np.nan,
        "max |relative deviation|": round(float(np.abs(rel).max()), 6) if rel.size else np.nan,
        "within 2 SE": f"{int(np.sum(np.abs(finite_z) <= 2))} of {finite_z.size}" if finite_z.size else "n/a",
    }


def claims_table(
    dimension: xr.Dataset,
    gains: xr.Dataset | None = None,
    prl: xr.Dataset | None = None,
    overlaps: xr.Dataset | None = None,
    large_n: xr.Dataset | None = None,
) -> pd.DataFrame:
    """Theory versus simulation per figure and quantity.

    ``dimension``: results/clark/simulations/dimension_rmm.nc (PRX Fig. 4a); ``gains``:
    results/clark/simulations/gains.nc (PRX Figs. 5 and 10); ``prl``: results/clark/simulations/prl_iid.nc
    (PRL Fig. 2a); ``overlaps``: results/clark/overlaps/overlaps.nc (PRX Fig. 7, PRL Fig. 6); ``large_n``:
    results/clark/simulations/dimension_rmm_large_n.nc.  Relative deviation = (simulation - theory) / theory;
    "within 2 SE" counts the points whose deviation is at most two standard errors of the simulation.
    """
    rows = []
    fig4 = notes.fig4_rows(dimension)
    n = int(io.parameters(dimension)["clark"]["simulation"]["N"])
    rows.append(_row(f"PRX Fig. 4a (N = {n})", "PR^phi, random-mode model (PRX Eq. 38)", [r["phi"] for r in fig4]))
    rows.append(_row(f"PRX Fig. 4a (N = {n})", "PR^x", [r["x"] for r in fig4]))
    if large_n is not None:
        big = notes.fig4_rows(large_n)
        nb = int(io.parameters(large_n)["clark"]["simulation"]["N"])
        rows.append(_row(f"PRX Fig. 4a (N = {nb})", "PR^phi, larger-N check", [r["phi"] for r in big]))
    if gains is not None:
        g = notes.gains_section(gains)
        for key, label in (("gphi", "PR of g phi (neuron gains, Eq. 46a)"), ("phi", "PR^phi with gains"),
                           ("gpphi", "PR of readout-weighted activity (Eq. 46b)")):
            rows.append(_row("PRX Fig. 5", label, [r[key] for r in g["rows"]]))
        for key, label in (("phi", "PR^phi, step mode spectrum"), ("x", "PR^x, step mode spectrum")):
            rows.append(_row("PRX Fig. 10", label, [r[key] for r in g["step_rows"]]))
    if prl is not None:
        p = notes.SECTIONS["prl"](prl)
        for key in ("phi", "x"):
            cells = [
                {"rel": r[key]["reldev"], "z": r[key]["dev"] / r[key]["sem"] if r[key]["sem"] > 0 else np.nan}
                for r in p["pr_rows"]
            ]
            rows.append(_row(f"PRL Fig. 2a (N = {p['N']})", f"PR^{key}, i.i.d. couplings (median)", cells))
    if overlaps is not None:
        o = notes.SECTIONS["overlaps"](overlaps)
        for key, figure, label in (("fig7_rows", "PRX Fig. 7", "PR^phi with right-left overlaps (sampled DMFT)"),
                                   ("prl6_rows", "PRL Fig. 6", "PR^phi, partially symmetric couplings")):
            cells = [{"rel": r["rel"], "z": r["dev"] / r["err"] if r["err"] > 0 else np.nan} for r in o[key]]
            rows.append(_row(figure, label, cells))
    return pd.DataFrame.from_records(rows, columns=COLUMNS)
