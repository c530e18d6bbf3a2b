"""Context builders of the figure-group sections of docs/reproduction/clark2025.md (rendering only).

Each figure group of the Clark stage registers ``SECTIONS[key] = function(dataset) -> dict``; the rule
clark_reproduction_notes renders workflow/report/notes/clark/<key>.md.j2 with that dict (plus the
provenance of the dataset: version, git_commit, config_hash, params) for every key that its rules file
lists in CLARK_NOTES_SECTIONS.  Numbers in the notes come from these functions, never from the templates.
"""

from __future__ import annotations

from typing import Callable

import xarray as xr

SECTIONS: dict[str, Callable[[xr.Dataset], dict]] = {}


# --- overlaps ---
def _overlaps_context(ds: xr.Dataset) -> dict:
    """PRX Fig. 7 and PRL Fig. 6: theory vs simulation PR tables, DMFT settings and convergence check."""
    import json
    import warnings

    import numpy as np

    p = json.loads(ds.attrs["parameters"])["clark"]
    ov = p["overlaps"]

    def row(th, sim, err, **keys):
        dev = sim - th
        return {**keys, "theory": th, "sim": sim, "err": err, "dev": dev, "rel": dev / th if np.isfinite(th) else float("nan")}

    fig7 = []
    for e in ds["eff_rank"].values:
        for g in ds["g_eff"].values:
            for c in ds["gamma_rho"].values:
                s = ds.sel(eff_rank=e, g_eff=g, gamma_rho=c)
                if np.isfinite(float(s["ovl_pr_phi_sim"])):
                    fig7.append(row(float(s["ovl_pr_phi_theory"]), float(s["ovl_pr_phi_sim"]), float(s["ovl_pr_phi_sim_err"]),
                                    E=float(e), g=float(g), gamma=float(c), condensed=int(s["ovl_condensed"])))
    prl6 = []
    for g in ds["g"].values:
        for r in ds["rho_sym"].values:
            s = ds.sel(g=g, rho_sym=r)
            if np.isfinite(float(s["psym_pr_phi_sim"])):
                prl6.append(row(float(s["psym_pr_phi_theory"]), float(s["psym_pr_phi_sim"]), float(s["psym_pr_phi_sim_err"]),
                                g=float(g), rho=float(r)))
    psi = []
    lags = ds["lag_diag"].values
    for g in ds["g"].values:
        for r in ds["rho_sym"].values:
            s = ds.sel(g=g, rho_sym=r)
            if np.isfinite(s["psym_psi_diag_sim"].values).any():
                cells = []
                for t in (lags[0], lags[len(lags) // 2], lags[-1]):
                    cells.append({"tau": float(t), "theory": float(s["psym_psi_diag_theory"].sel(tau_diag=t, method="nearest")),
                                  "sim": float(s["psym_psi_diag_sim"].sel(lag_diag=t))})
                psi.append({"g": float(g), "rho": float(r), "cells": cells})
    condensed = [{"E": float(e), "g": float(g), "gamma": float(c), "margin": float(ds["ovl_margin"].sel(eff_rank=e, g_eff=g, gamma_rho=c))}
                 for e in ds["eff_rank"].values for g in ds["g_eff"].values for c in ds["gamma_rho"].values
                 if int(ds["ovl_condensed"].sel(eff_rank=e, g_eff=g, gamma_rho=c))]
    zero = []
    if 0.0 in ds["gamma_rho"].values:
        for e in ds["eff_rank"].values:
            for g in ds["g_eff"].values:
                s = ds.sel(eff_rank=e, g_eff=g, gamma_rho=0.0)
                th, ex = float(s["ovl_pr_phi_theory"]), float(s["ovl_pr_phi_prx38"])
                zero.append({"E": float(e), "g": float(g), "sampled": th, "prx38": ex, "rel": (th - ex) / ex})
    ref = {k: float(ds["ovl_ref_pr_phi"].sel(dmft_settings=k)) for k in ("profile", "reference")}
    ref_c0 = {k: float(ds["ovl_ref_c_phi0"].sel(dmft_settings=k)) for k in ("profile", "reference")}
    n_it = int(ov["dmft"]["n_iter"])
    h = ds["ovl_c0_history"].transpose(..., "iteration").values[..., max(0, n_it - int(ov["dmft"]["n_avg"])) : n_it]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # condensed points have no iterates
        spread = float(np.nanmax(np.nanstd(h, axis=-1) / np.nanmean(h, axis=-1)))
    rel7 = np.array([r["rel"] for r in fig7 if np.isfinite(r["rel"])])
    rel6 = np.array([r["rel"] for r in prl6 if np.isfinite(r["rel"])])
    return {
        "ov": ov,
        "fig7_rows": fig7,
        "prl6_rows": prl6,
        "psi_rows": psi,
        "condensed": condensed,
        "zero_rows": zero,
        "ref": ref,
        "ref_c0": ref_c0,
        "ref_rel": (ref["profile"] - ref["reference"]) / ref["reference"],
        "c0_spread": spread,
        "fig7_mean_abs_rel": float(np.mean(np.abs(rel7))) if rel7.size else float("nan"),
        "prl6_mean_abs_rel": float(np.mean(np.abs(rel6))) if rel6.size else float("nan"),
    }


SECTIONS["overlaps"] = _overlaps_context
# --- end overlaps ---
