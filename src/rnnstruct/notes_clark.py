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


# --- prl ---
def _prl_section(ds: xr.Dataset) -> dict:
    """PRL Figs. 2a and 3: theory vs simulation tables (medians over realisations) at the profile's N."""
    from . import io

    p = io.parameters(ds)["clark"]["prl"]
    pr_rows = []
    for g in ds["g_sim"].values:
        s = ds.sel(g_sim=g)
        row = {"g": float(g)}
        for n in ("phi", "x"):
            row[n] = {
                "theory": float(s[f"prl_pr_{n}_theory"]),
                "sim": float(s[f"prl_pr_{n}_median"]),
                "dev": float(s[f"prl_pr_{n}_dev"]),
                "reldev": float(s[f"prl_pr_{n}_reldev"]),
                "sem": float(s[f"prl_pr_{n}_sem"]),
            }
        pr_rows.append(row)
    psi_rows = []
    if "psi_g_sim" in ds.coords:
        for g in ds["psi_g_sim"].values:
            s = ds.sel(psi_g_sim=g)
            th, sim = float(s["prl_psi00_theory"]), float(s["prl_psi00_sim"])
            psi_rows.append(
                {
                    "g": float(g),
                    "theory": th,
                    "sim": sim,
                    "dev": sim - th,
                    "reldev": (sim - th) / th,
                    "sem": float(s["prl_psi00_sem"]),
                    "rms": float(s["prl_psi_rel_rms_dev"]),
                }
            )
    mean_abs = {n: sum(abs(r[n]["reldev"]) for r in pr_rows) / len(pr_rows) for n in ("phi", "x")}
    fs_rows = [
        {
            "N": int(n),
            "pr_phi": float(ds["prl_fs_pr_phi"].sel(fs_N=n)),
            "pr_phi_rel": float(ds["prl_fs_pr_phi_reldev"].sel(fs_N=n)),
            "pr_phi_sem": float(ds["prl_fs_pr_phi_sem"].sel(fs_N=n)),
            "pr_x": float(ds["prl_fs_pr_x"].sel(fs_N=n)),
            "pr_x_rel": float(ds["prl_fs_pr_x_reldev"].sel(fs_N=n)),
            "psi00": float(ds["prl_fs_psi00"].sel(fs_N=n)),
            "psi00_rel": float(ds["prl_fs_psi00_reldev"].sel(fs_N=n)),
        }
        for n in ds["fs_N"].values
    ]
    first, last = fs_rows[0], fs_rows[-1]
    shrinks = abs(last["pr_phi_rel"]) < abs(first["pr_phi_rel"])
    return {
        "prl": p,
        "N": int(p["simulation"]["N"]),
        "reps": int(ds.sizes["rep"]),
        "estimator": p["simulation"]["pr_estimator"],
        "psi_estimator": p["psi"]["estimator"],
        "max_lag": int(p["psi"]["max_lag"]),
        "pr_rows": pr_rows,
        "psi_rows": psi_rows,
        "mean_abs_reldev": mean_abs,
        "ising": {"phi": float(ds["prl_pr_phi_ising"]), "x": float(ds["prl_pr_x_ising"])},
        "eigen_g": float(ds["prl_eigen_g"]),
        "eigen_N": int(ds.sizes["eigenmode"]),
        "eig_max_re": float(ds["prl_eig_re"].max()),
        "fs_rows": fs_rows,
        "fs_g": float(ds["prl_fs_g"]),
        "fs_reps": int(ds["prl_fs_reps"]),
        "fs_shrinks": shrinks,
    }


SECTIONS["prl"] = _prl_section
# --- end prl ---
