"""The generated convergence notes of the Lyapunov stage (pure: data in, Markdown out)."""

from __future__ import annotations

import json

import numpy as np
import xarray as xr

from rnnstruct.core.notes import environment, provenance


def numerics_tables(num: xr.Dataset, iid_map: xr.Dataset) -> dict:
    """Rows of the convergence tables (mean ± SE over matrices) and of the mean-field comparison."""
    from rnnstruct.metzner import theory

    tables = {}
    for name in ("n_steps", "qr_every", "N"):
        data = num[f"by_{name}"]
        n_rep = data.sizes["rep"]
        rows = []
        for i, value in enumerate(num[f"{name}_value"].values):
            cells = {}
            for q in num["quantity"].values.tolist():
                d = data.isel({f"{name}_value": i}).sel(quantity=q).values
                cells[q] = (float(d.mean()), float(d.std(ddof=1) / np.sqrt(n_rep)))
            rows.append({"value": int(value), **cells})
        tables[name] = rows
    lam = iid_map["lyap_max"]
    rates = iid_map["lyap_max_block_sums"] / iid_map["block_time"]
    block_se = rates.std("block", ddof=1) / np.sqrt(rates.sizes["block"])
    rows = []
    for i, g in enumerate(iid_map["g"].values):
        sim = float(lam.isel(g=i).mean())
        spread = float(lam.isel(g=i).std(ddof=1)) if lam.sizes["rep"] > 1 else float("nan")
        th = theory.lyapunov_max(float(g))
        rows.append(
            {
                "g": float(g),
                "sim": sim,
                "spread": spread,
                "block_se": float(block_se.isel(g=i).mean()),
                "theory": th,
                "dev": sim - th,
            }
        )
    tables["meanfield"] = rows
    return tables


def render(template: str, num: xr.Dataset, iid_map: xr.Dataset, profile: str = "(not named)") -> str:
    """Fill the Lyapunov numerics notes (results/reproduction/lyapunov_numerics.md) from the convergence file
    and the discrete-map lambda_max curve."""
    return (
        environment()
        .from_string(template)
        .render(
            **provenance(num),
            profile=profile,
            map_N=json.loads(iid_map.attrs["parameters"])["lyapunov"]["iid_map"]["N"],
            tables=numerics_tables(num, iid_map),
        )
    )
