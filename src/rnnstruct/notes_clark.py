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


# --- connectome ---
def connectome_section(ds: xr.Dataset) -> dict:
    """PRX Figs. 1 and 6: source, preprocessing counts and theory-vs-measured checks of connectome.nc."""
    import json

    import numpy as np

    cfg = json.loads(ds.attrs["parameters"])["clark"]["connectome"]
    N = int(ds.sizes["mode"])
    matrices = [str(m) for m in ds["matrix"].values]

    def row(name, theory, measured, err=None):
        dev = measured - theory
        return {"name": name, "theory": theory, "measured": measured, "dev": dev,
                "rel": dev / theory if theory else float("nan"), "err": err}

    S_iid, th = ds["conn_sv_iid"].values, ds["conn_sv_iid_theory"].values
    half = N // 2 - 1
    rows = [
        row("PR^S of the RMM with D = S, i.i.d. modes (PRX 13)", float(ds["conn_pr_s_theory"]),
            float(ds["conn_pr_s"].sel(matrix="rmm_iid_modes"))),
        row("spectral radius of the RMM with D = S, i.i.d. modes (disk radius g)", float(ds["conn_g_eff"]),
            float(ds["conn_spectral_radius"].sel(matrix="rmm_iid_modes"))),
        row("fraction of \\|O_aa\\| < 2.5/√N, RMM with i.i.d. modes", float(ds["conn_overlap_inside_theory"]),
            float(ds["conn_overlap_inside"].sel(matrix="rmm_iid_modes")),
            float(np.sqrt(ds["conn_overlap_inside_theory"] * (1 - ds["conn_overlap_inside_theory"]) / N))),
        row("largest singular value S_1 of the i.i.d. Gaussian matrix (quarter-circle quantile at rank 1)", float(th[0]), float(S_iid[0])),
        row(f"median singular value S_{half + 1} of the i.i.d. Gaussian matrix", float(th[half]), float(S_iid[half])),
        row("column sign-part norm after balancing (1/√2)", float(1 / np.sqrt(2)),
            float(1 / np.sqrt(2)) + float(ds["conn_balance_col_dev"])),
        row("row sign-part norms after balancing, largest deviation from the fixed point sqrt(n_col/(2 n_row))",
            0.0, float(ds["conn_balance_row_dev"])),
    ]
    per_matrix = [
        {"matrix": m, "pr_s": float(ds["conn_pr_s"].sel(matrix=m)),
         "radius": float(ds["conn_spectral_radius"].sel(matrix=m)),
         "outliers": int(ds["conn_real_outliers"].sel(matrix=m)),
         "inside": float(ds["conn_overlap_inside"].sel(matrix=m))}
        for m in matrices
    ]
    pr_s = float(ds["conn_pr_s"].sel(matrix="connectome"))
    counts = {str(k): int(v) for k, v in zip(ds["count_kind"].values, ds["conn_count"].values)}
    return {
        "standin": bool(int(ds["conn_is_standin"])),
        "source": ds["conn_pr_s"].attrs.get("data_source", ""),
        "cfg": cfg,
        "N": N,
        "rows": rows,
        "per_matrix": per_matrix,
        "counts": counts,
        "checksums": (
            dict(zip(map(str, ds["input_file"].values), map(str, ds["conn_input_sha256"].values)))
            if "conn_input_sha256" in ds else {}
        ),
        "sweeps": int(ds["conn_balance_sweeps"]),
        "residual": float(ds["conn_balance_residual"]),
        "pr_s": pr_s,
        "row_norm_pos": float(ds["conn_balance_row_norm"].sel(sign="positive")),
        "row_norm_neg": float(ds["conn_balance_row_norm"].sel(sign="negative")),
        # PRX 13 inverted: alpha PR^D = PR^S / (1 - 2 PR^S), defined for PR^S < 1/2
        "eff_rank_matched": pr_s / (1 - 2 * pr_s) if pr_s < 0.5 else float("inf"),
        "eff_rank_d": float(ds["conn_eff_rank_d"]),
        "g_eff": float(ds["conn_g_eff"]),
    }


SECTIONS["connectome"] = connectome_section
# --- end connectome ---
