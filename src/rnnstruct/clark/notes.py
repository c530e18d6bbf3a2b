"""Context builders of the figure-group sections of the Clark reproduction notes (rendering only).

The notes are written to results/reproduction/clark2025.md and committed as docs/reproduction/clark2025.md.
Each figure group of the Clark stage registers ``SECTIONS[key] = function(dataset) -> dict``; the rule
clark_reproduction_notes renders workflow/report/clark/notes/<key>.md.j2 with that dict (plus the
provenance of the dataset: version, git_commit, config_hash, params) for every key that
:func:`rnnstruct.clark.targets.notes_sections` lists.  Numbers in the notes come from these functions, never
from the templates.
"""

from __future__ import annotations

import json
from typing import Callable, Mapping

import numpy as np
import xarray as xr

from rnnstruct.core.notes import environment, provenance, recon_table

SECTIONS: dict[str, Callable[[xr.Dataset], dict]] = {}


def large_n(sims: xr.Dataset) -> dict:
    """PRX Fig. 4a theory versus the larger-N simulations (clark.large_n)."""
    rows = fig4_rows(sims)
    return {"rows": rows, "summary": fig4_summary(rows)}


SECTIONS["large_n"] = large_n


def _gains_rows(ds: xr.Dataset) -> list[dict]:
    kind = _params(ds)["clark"]["simulation"]["pr_estimator"]
    rows = []
    for g in ds["g_eff"].values:
        for e in ds["eff_rank"].values:
            for pg in ds["pr_g"].values:
                s = ds.sel(g_eff=g, eff_rank=e, pr_g=pg)
                if not int(s["gain_simulated"]):
                    continue
                row = {"g": float(g), "E": float(e), "pr_g": float(pg), "pr_g_real": float(s["gain_pr_g_realised"]),
                       "E_real": float(s["gain_eff_rank_realised"])}
                for n in ("gphi", "phi", "gpphi"):
                    th, sim, err = (float(s[f"gain_pr_{n}_theory"]), float(s[f"gain_pr_{n}"]), float(s[f"gain_pr_{n}_err"]))
                    row[n] = _cell(th, sim, err)
                for n in ("gphi", "gpphi"):
                    row[f"ratio_{n}"] = _cell(float(s[f"gain_ratio_{n}_theory"]), float(s[f"gain_ratio_{n}"]),
                                              float(s[f"gain_ratio_{n}_err"]))
                row["kind"] = kind
                rows.append(row)
    return rows


def _step_rows(ds: xr.Dataset) -> list[dict]:
    import math

    rows = []
    for g in ds["g_eff"].values:
        for pd in ds["pr_d"].values:
            s = ds.sel(g_eff=g, pr_d=pd)
            if not int(s["step_simulated"]):
                continue
            row = {"g": float(g), "pr_d": float(pd), "log2_pr_d": math.log2(float(pd)), "E_real": float(s["step_eff_rank_realised"])}
            for n in ("phi", "x"):
                row[n] = _cell(float(s[f"step_pr_{n}_theory"]), float(s[f"step_pr_{n}"]), float(s[f"step_pr_{n}_err"]))
                row[n]["lowrank"] = float(s[f"step_pr_{n}_lowrank"])
            rows.append(row)
    return rows


def _cell(theory: float, sim: float, err: float) -> dict:
    dev = sim - theory
    return {"theory": theory, "sim": sim, "err": err, "dev": dev, "rel": dev / theory,
            "z": dev / err if err > 0 else float("nan")}


def _params(ds: xr.Dataset) -> dict:
    import json

    return json.loads(ds.attrs["parameters"])


def _summary(cells: list[dict]) -> dict:
    import numpy as np

    rel = np.array([c["rel"] for c in cells]) if cells else np.zeros(0)
    z = np.array([c["z"] for c in cells]) if cells else np.zeros(0)
    return {
        "n": int(rel.size),
        "mean_abs_rel": float(np.mean(np.abs(rel))) if rel.size else float("nan"),
        "max_abs_rel": float(np.max(np.abs(rel))) if rel.size else float("nan"),
        "mean_rel": float(np.mean(rel)) if rel.size else float("nan"),
        "within_2se": int(np.sum(np.abs(z[np.isfinite(z)]) <= 2.0)),
    }


def gains_section(ds: xr.Dataset) -> dict:
    """Context of the gains section: PRX Fig. 5 and Fig. 10 theory-vs-simulation tables and summaries."""
    import numpy as np

    p = _params(ds)["clark"]
    rows, step = _gains_rows(ds), _step_rows(ds)
    spec = {}
    for n in ("phi", "x"):
        lam = ds[f"step_spectrum_{n}"].mean("rep")
        spec[n] = [
            {"pr_d": float(pd), "n_modes": int(round(p["step"]["N"] * pd)),
             "frac_top": float(np.nansum(np.clip(lam.sel(pr_d=pd).values[: int(round(p["step"]["N"] * pd))], 0, None))
                               / np.nansum(np.clip(lam.sel(pr_d=pd).values, 0, None)))}
            for pd in lam["pr_d"].values
        ]
    return {
        "gains": p["gains"],
        "step": p["step"],
        "sim": p["simulation"],
        "rows": rows,
        "step_rows": step,
        "sum_phi": _summary([r["phi"] for r in rows]),
        "sum_gphi": _summary([r["gphi"] for r in rows]),
        "sum_gpphi": _summary([r["gpphi"] for r in rows]),
        "sum_step_phi": _summary([r["phi"] for r in step]),
        "sum_step_x": _summary([r["x"] for r in step]),
        "spec": spec,
    }


SECTIONS["gains"] = gains_section


def _prl_section(ds: xr.Dataset) -> dict:
    """PRL Figs. 2a and 3: theory vs simulation tables (medians over realisations) at the profile's N."""
    from rnnstruct.core import io

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


def fig4_rows(sims: xr.Dataset) -> list[dict]:
    """Theory versus simulation at every simulated PRX Fig. 4a point (both estimators)."""
    kind = json.loads(sims.attrs["parameters"])["clark"]["simulation"]["pr_estimator"]
    rows = []
    for g in sims["g_eff"].values:
        for e in sims["eff_rank"].values:
            s = sims.sel(g_eff=g, eff_rank=e)
            if not int(s["simulated"]):
                continue
            row = {"g": float(g), "E": float(e), "E_real": float(s["eff_rank_realised"]), "alpha": float(s["alpha"])}
            for n in ("phi", "x"):
                th = float(s[f"pr_{n}_theory"])
                sim, err = float(s[f"pr_{n}"]), float(s[f"pr_{n}_err"])
                row[n] = {
                    "theory": th,
                    "sim": sim,
                    "err": err,
                    "dev": sim - th,
                    "rel": (sim - th) / th,
                    "z": (sim - th) / err if err > 0 else float("nan"),
                    "naive": float(s[f"pr_{n}_naive"].mean()),
                    "cross": float(s[f"pr_{n}_crossblock"].mean()),
                    "median": float(s[f"pr_{n}_{kind}"].median()),
                }
            rows.append(row)
    return rows


def fig4a_points(rows: list[dict], fig4: Mapping) -> list[dict]:
    """The rows of PRX Fig. 4a proper: the main panel (fig4.g_eff x fig4.eff_rank) and its inset."""
    main = {(float(g), float(e)) for g in fig4["g_eff"] for e in fig4["eff_rank"]}
    main |= {(float(fig4["inset_g_eff"]), float(e)) for e in fig4["inset_eff_rank"]}
    return [r for r in rows if (r["g"], r["E"]) in main]


def fig4_dimensions(rows: list[dict], N: int, split: float = 20.0) -> list[dict]:
    """Signed and absolute mean relative deviation of PR^phi for the points whose theory has fewer than
    ``split`` activity dimensions (N PR^phi) and for the others: where the finite-size excess sits."""
    out = []
    for name, keep in (("below", lambda d: d < split), ("above", lambda d: d >= split)):
        rel = np.array([r["phi"]["rel"] for r in rows if keep(N * r["phi"]["theory"])])
        if rel.size:
            out.append({"side": name, "split": split, "n": int(rel.size), "mean_rel": float(np.mean(rel)),
                        "mean_abs_rel": float(np.mean(np.abs(rel)))})
    return out


def fig4_summary(rows: list[dict]) -> dict:
    rel = np.array([r["phi"]["rel"] for r in rows])
    relx = np.array([r["x"]["rel"] for r in rows])
    z = np.array([r["phi"]["z"] for r in rows])
    return {
        "n_points": len(rows),
        "mean_abs_rel_phi": float(np.mean(np.abs(rel))),
        "max_abs_rel_phi": float(np.max(np.abs(rel))),
        "mean_rel_phi": float(np.mean(rel)),
        "mean_abs_rel_x": float(np.mean(np.abs(relx))),
        "mean_rel_x": float(np.mean(relx)),
        "within_2se": int(np.sum(np.abs(z) <= 2)),
    }


def fig4b_rows(theory: xr.Dataset, sims: xr.Dataset, lags=(2, 5, 10)) -> list[dict]:
    """Normalised Psi^phi(tau, 0) at a few lags, theory versus simulation, for the Fig. 4b points."""
    f4 = json.loads(sims.attrs["parameters"])["clark"]["fig4"]
    rows = []
    for g in f4["b_g_eff"]:
        t = theory.sel(g_eff=g)
        for e in f4["b_eff_rank"]:
            s = sims.sel(g_eff=g, eff_rank=e)
            psi = t["psi_phi_tau0_p0"].values + t["psi_phi_tau0_p1"].values / float(s["eff_rank_realised"])
            cells = []
            for lag in lags:
                if lag > float(sims["lag"].max()):
                    continue
                th = float(np.interp(lag, theory["tau"].values, psi / psi[0]))
                sim = s.sel(lag=float(lag))
                cells.append({"lag": lag, "theory": th, "sim": float(sim["psibar_phi"]), "err": float(sim["psibar_phi_err"])})
            rows.append({"g": float(g), "E": float(e), "cells": cells})
    return rows


def svd_rows(svd: xr.Dataset) -> list[dict]:
    rows = []
    for a in svd["alpha"].values:
        s = svd.sel(alpha=a)
        S = s["singular_value"].values
        S = S[np.isfinite(S)]
        rows.append(
            {
                "alpha": float(a),
                "M": int(S.size),
                "lo": float(s["sv_edge_lower"]),
                "hi": float(s["sv_edge_upper"]),
                "smin": float(S.min()),
                "smax": float(S.max()),
                "pr_s": float(s["pr_s"]),
                "pr_s_theory": float(s["pr_s_theory"]),
            }
        )
    return rows


def render_section(key: str, template: str, ds: xr.Dataset) -> str:
    """One figure-group section of the Clark notes: ``SECTIONS[key](ds)`` fills ``template``."""
    if key not in SECTIONS:
        raise KeyError(f"no Clark notes section {key!r}; known: {sorted(SECTIONS)}")
    context = SECTIONS[key](ds)
    return environment().from_string(template).render(**provenance(ds), **context)


def render(
    template: str,
    schema: Mapping,
    theory: xr.Dataset,
    sims: xr.Dataset,
    svd: xr.Dataset | None = None,
    sections: Mapping[str, tuple[str, xr.Dataset]] | None = None,
    clark_config: Mapping | None = None,
    profile: str = "(not named)",
) -> str:
    """Fill the Clark reproduction notes from the theory and simulation files and their parameters.

    ``sections`` maps a figure group's key to (its partial template, its NetCDF file); the rendered
    sections are inserted in that order where the main template says ``{{ sections }}``.
    ``clark_config`` is the whole ``clark`` config block for the [RECON] table (each stage's files record
    only the blocks that stage reads); without it, the block recorded in ``sims`` is used.
    """
    prov = provenance(sims)
    rendered = "\n".join(render_section(k, t, ds) for k, (t, ds) in (sections or {}).items())
    rows = fig4_rows(sims)
    iid = [
        {"g": float(g), "pr_phi": float(theory["pr_phi_iid"].sel(g_eff=g)), "pr_x": float(theory["pr_x_iid"].sel(g_eff=g)),
         "k_phi": float(theory["k_phi"].sel(g_eff=g)), "k_x": float(theory["k_x"].sel(g_eff=g))}
        for g in theory["g_eff"].values
    ]
    return (
        environment()
        .from_string(template)
        .render(
            **prov,
            profile=profile,
            clark=prov["params"]["clark"],
            recon=recon_table(schema, {"clark": clark_config or prov["params"]["clark"]}, prefix="clark"),
            rows=rows,
            summary=fig4_summary(rows),
            summary_a=fig4_summary(fig4a_points(rows, prov["params"]["clark"]["fig4"])),
            by_dims=fig4_dimensions(rows, int(prov["params"]["clark"]["simulation"]["N"])),
            iid=iid,
            psi_rows=fig4b_rows(theory, sims) if "psibar_phi" in sims else [],
            svd_rows=svd_rows(svd) if svd is not None else [],
            svd_N=json.loads(svd.attrs["parameters"])["clark"]["svd"]["N"] if svd is not None else 0,
            sections=rendered,
        )
    )
