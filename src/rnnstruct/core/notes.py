"""Reproduction notes generated from the pipeline's outputs (pure: data in, Markdown out)."""

from __future__ import annotations

import json
from typing import Any, Iterator, Mapping

import jinja2
import numpy as np
import xarray as xr

from rnnstruct import __version__


def recon_keys(schema: Mapping, path: str = "") -> Iterator[tuple[str, Mapping]]:
    """Leaf keys of a JSON schema whose description is tagged [RECON], with their sub-schemas."""
    for name, sub in schema.get("properties", {}).items():
        key = f"{path}{name}"
        if "[RECON]" in sub.get("description", "") and sub.get("type") != "object":
            yield key, sub
        yield from recon_keys(sub, key + ".")


def lookup(tree: Mapping, dotted: str) -> Any:
    node: Any = tree
    for part in dotted.split("."):
        node = node[part]
    return node


def compact(value: Any) -> str:
    """Short YAML-like rendering of a config value for a table cell."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {compact(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(compact(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def recon_table(schema: Mapping, config: Mapping, prefix: str = "metzner") -> list[dict]:
    """Rows (key, value used, default, description) for every [RECON] key under ``prefix``."""
    rows = []
    for key, sub in recon_keys(schema):
        if not key.startswith(prefix + "."):
            continue
        rows.append(
            {
                "key": key,
                "value": compact(lookup(config, key)),
                "default": compact(sub.get("default")),
                "description": " ".join(sub["description"].replace("[RECON]", "").split()),
            }
        )
    return rows


def claims_rows(claims: xr.Dataset) -> list[dict]:
    """One row per regularity with the generated numbers of rnnstruct.metzner.claims.evaluate_claims."""
    meanings = claims["verdict"].attrs["flag_meanings"].split()
    rows = []
    for g, reg in enumerate(claims["regularity"].values.tolist()):
        n = int(np.isfinite(claims["ctrl"][g]).sum())
        per_ctrl = [
            (
                float(claims["ctrl"][g, c]),
                float(claims["accuracy_mean"][g, c]),
                float(claims["accuracy_sd"][g, c]),
                float(claims["sat_frac_mean"][g, c]),
            )
            for c in range(n)
        ]
        rows.append(
            {
                "regularity": reg,
                "claim": str(claims["claim"][g].values),
                "per_ctrl": per_ctrl,
                "delta": float(claims["delta"][g]),
                "delta_se": float(claims["delta_se"][g]),
                "sat_delta": float(claims["sat_delta"][g]),
                "sat_delta_se": float(claims["sat_delta_se"][g]),
                "monotone": bool(claims["monotone"][g]),
                "verdict": meanings[int(claims["verdict"][g])].replace("_", " "),
            }
        )
    return rows


def fmt(x: float, digits: int = 3) -> str:
    return "n/a" if not np.isfinite(x) else f"{x:.{digits}f}"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True
    )
    env.filters["fmt"] = fmt
    return env


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


def _provenance(ds: xr.Dataset) -> dict:
    return {
        "version": __version__,
        "git_commit": ds.attrs.get("git_commit", "unknown"),
        "config_hash": ds.attrs.get("config_hash", ""),
        "params": json.loads(ds.attrs["parameters"]),
    }


def render_numerics(template: str, num: xr.Dataset, iid_map: xr.Dataset) -> str:
    """Fill docs/numerics.md from the convergence file and the discrete-map lambda_max curve."""
    return (
        _environment()
        .from_string(template)
        .render(
            **_provenance(num),
            map_N=json.loads(iid_map.attrs["parameters"])["lyapunov"]["iid_map"]["N"],
            tables=numerics_tables(num, iid_map),
        )
    )


def render(template: str, schema: Mapping, claims: xr.Dataset, figures: Mapping[str, str]) -> str:
    """Fill the notes template from the schema, the claims file and its recorded parameters."""
    prov = _provenance(claims)
    config = {"metzner": {k: v for k, v in prov["params"].items() if k != "seed"}}
    return (
        _environment()
        .from_string(template)
        .render(
            **prov,
            recon=recon_table(schema, config),
            claims=claims_rows(claims),
            figures=figures,
        )
    )


# --- clark (issue D) ---
def clark_fig4_rows(sims: xr.Dataset) -> list[dict]:
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


def clark_summary(rows: list[dict]) -> dict:
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


def clark_fig4b_rows(theory: xr.Dataset, sims: xr.Dataset, lags=(2, 5, 10)) -> list[dict]:
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


def clark_svd_rows(svd: xr.Dataset) -> list[dict]:
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


def render_clark_section(key: str, template: str, ds: xr.Dataset) -> str:
    """One figure-group section of the Clark notes: ``notes_clark.SECTIONS[key](ds)`` fills ``template``."""
    from rnnstruct.clark import notes as notes_clark

    if key not in notes_clark.SECTIONS:
        raise KeyError(f"no Clark notes section {key!r}; known: {sorted(notes_clark.SECTIONS)}")
    context = notes_clark.SECTIONS[key](ds)
    return _environment().from_string(template).render(**_provenance(ds), **context)


def render_clark(
    template: str,
    schema: Mapping,
    theory: xr.Dataset,
    sims: xr.Dataset,
    svd: xr.Dataset | None = None,
    sections: Mapping[str, tuple[str, xr.Dataset]] | None = None,
    clark_config: Mapping | None = None,
) -> str:
    """Fill the Clark reproduction notes from the theory and simulation files and their parameters.

    ``sections`` maps a figure group's key to (its partial template, its NetCDF file); the rendered
    sections are inserted in that order where the main template says ``{{ sections }}``.
    ``clark_config`` is the whole ``clark`` config block for the [RECON] table (each stage's files record
    only the blocks that stage reads); without it, the block recorded in ``sims`` is used.
    """
    prov = _provenance(sims)
    rendered = "\n".join(render_clark_section(k, t, ds) for k, (t, ds) in (sections or {}).items())
    rows = clark_fig4_rows(sims)
    iid = [
        {"g": float(g), "pr_phi": float(theory["pr_phi_iid"].sel(g_eff=g)), "pr_x": float(theory["pr_x_iid"].sel(g_eff=g)),
         "k_phi": float(theory["k_phi"].sel(g_eff=g)), "k_x": float(theory["k_x"].sel(g_eff=g))}
        for g in theory["g_eff"].values
    ]
    return (
        _environment()
        .from_string(template)
        .render(
            **prov,
            clark=prov["params"]["clark"],
            recon=recon_table(schema, {"clark": clark_config or prov["params"]["clark"]}, prefix="clark"),
            rows=rows,
            summary=clark_summary(rows),
            iid=iid,
            psi_rows=clark_fig4b_rows(theory, sims) if "psibar_phi" in sims else [],
            svd_rows=clark_svd_rows(svd) if svd is not None else [],
            svd_N=json.loads(svd.attrs["parameters"])["clark"]["svd"]["N"] if svd is not None else 0,
            sections=rendered,
        )
    )


# --- end clark ---
