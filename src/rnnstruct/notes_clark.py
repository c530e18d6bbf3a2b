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


# --- pcs ---
def _pcs_lag_rows(ds: xr.Dataset, dim: str, pairs: dict, lags=(0, 1, 2, 5, 10, 20, 30)) -> list[dict]:
    """Rows tau -> {name: (theory, simulation, deviation, relative deviation)} at the lags present."""
    import numpy as np

    have = ds[dim].values
    rows = []
    for tau in lags:
        if tau > have.max():
            continue
        i = int(np.argmin(np.abs(have - tau)))
        row = {"tau": float(have[i])}
        for name, (th, sim) in pairs.items():
            t, s = float(ds[th].values[i]), float(ds[sim].values[i])
            # relative deviations are shown only where the theory exceeds 2% of its tau = 0 value
            big = abs(t) > 0.02 * abs(float(ds[th].values[0]))
            row[name] = {"theory": t, "sim": s, "dev": s - t, "rel": (s - t) / abs(t) if big else float("nan")}
        rows.append(row)
    return rows


def pcs_traces_section(ds: xr.Dataset) -> dict:
    """PRX Figs. 3 and 9: theory vs simulation of C^phi(tau) and Psi^phi(tau, 0), identities."""
    import numpy as np

    c0_theory = float(ds["pcs_fig3_c_phi_theory"].values[0])
    return {
        "f3": {
            "g": float(ds["pcs_fig3_g"]),
            "N": int(ds["pcs_fig3_N"]),
            "diag": float(ds["pcs_fig3_diag_mean"]),
            "c0_theory": c0_theory,
            "offdiag_rms": float(ds["pcs_fig3_offdiag_rms"]),
            "offdiag_rms_sqrtN": float(ds["pcs_fig3_offdiag_rms"]) * float(np.sqrt(int(ds["pcs_fig3_N"]))),
            "rows": _pcs_lag_rows(
                ds,
                "pcs_fig3_lag",
                {
                    "unit": ("pcs_fig3_c_phi_theory", "pcs_fig3_c_phi_sim"),
                    "window": ("pcs_fig3_c_phi_theory", "pcs_fig3_cov_time_lag"),
                },
                lags=(0, 1, 2, 5, 10, 20),
            ),
        },
        "f9": {
            "g": float(ds["pcs_fig9_g"]),
            "N": int(ds["pcs_fig9_N"]),
            "id_c": float(np.max(np.abs(ds["pcs_fig9_sum_c"].values - ds["pcs_fig9_c_phi_direct"].values))),
            "id_psi": float(np.max(np.abs(ds["pcs_fig9_sum_psi"].values - ds["pcs_fig9_psi_direct"].values))),
            "lam1": float(ds["pcs_fig9_eigenvalue"].values[0]),
            "fwhm_pc1": float(ds["pcs_fig9_pc_fwhm"].values[0]),
            "rows": _pcs_lag_rows(
                ds,
                "pcs_fig9_lag",
                {
                    "c": ("pcs_fig9_c_phi_theory", "pcs_fig9_sum_c"),
                    "psi": ("pcs_fig9_psi_theory", "pcs_fig9_sum_psi"),
                    "psi_x": ("pcs_fig9_psi_theory", "pcs_fig9_psi_crosshalf"),
                },
            ),
        },
    }


def pcs_timescales_section(ds: xr.Dataset) -> dict:
    """PRL Fig. 4: pooled PC timescales per g, leading-PC medians vs N and the fitted log N slopes."""
    import warnings

    with warnings.catch_warnings():  # unresolved PCs (all NaN) are reported as n/a
        warnings.simplefilter("ignore", RuntimeWarning)
        return _pcs_timescales_context(ds)


def _pcs_timescales_context(ds: xr.Dataset) -> dict:
    import numpy as np

    a_rows = [
        {
            "g": float(g),
            "median": float(ds["pcs_a_median"].sel(pcs_g_a=g)),
            "pc1": float(np.nanmedian(ds["pcs_a_pc_fwhm"].sel(pcs_g_a=g).values[:, 0])),
            "unit": float(np.nanmedian(ds["pcs_a_unit_fwhm"].sel(pcs_g_a=g).values)),
            "unresolved": float(ds["pcs_a_unresolved"].sel(pcs_g_a=g)),
        }
        for g in ds["pcs_g_a"].values
    ]
    lead = [int(k) for k in ds["pcs_lead"].values]
    b_rows = [
        {
            "N": int(n),
            "unit": float(np.nanmedian(ds["pcs_b_unit_fwhm"].values[i])),
            "cells": [
                {"median": float(ds["pcs_b_median"].values[i, j]), "sem": float(ds["pcs_b_sem"].values[i, j])}
                for j in range(len(lead))
            ],
        }
        for i, n in enumerate(ds["pcs_N_b"].values)
    ]
    fits = []
    Ns = ds["pcs_N_b"].values.astype(float)
    for j, k in enumerate(lead):
        pred = float(ds["pcs_b_intercept"].values[j]) + float(ds["pcs_b_logslope"].values[j]) * np.log(Ns)
        resid = ds["pcs_b_median"].values[:, j] - pred
        fits.append(
            {
                "pc": k,
                "slope": float(ds["pcs_b_logslope"].values[j]),
                "se": float(ds["pcs_b_logslope_se"].values[j]),
                "per_decade": float(ds["pcs_b_logslope"].values[j]) * float(np.log(10.0)),
                "rms_resid": float(np.sqrt(np.nanmean(resid**2))),
            }
        )
    return {
        "N_a": int(ds["pcs_a_N"]),
        "reps": int(ds.sizes["rep"]),
        "g_b": float(ds["pcs_b_g"]),
        "lead": lead,
        "a_rows": a_rows,
        "b_rows": b_rows,
        "fits": fits,
        "n_positive": sum(1 for f in fits if f["slope"] > 0),
    }


SECTIONS["pcs"] = pcs_traces_section
SECTIONS["pcs_prl"] = pcs_timescales_section
# --- end pcs ---
