"""The generated Metzner reproduction notes: claims table and [RECON] keys (pure: data in, Markdown out)."""

from __future__ import annotations

from typing import Mapping

import numpy as np
import xarray as xr

from rnnstruct.core.notes import environment, provenance, recon_table


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


VERDICT_TEXT = {-1: "undefined", 0: "not reproduced", 1: "partly reproduced", 2: "reproduced"}
MARGINAL_TOL = 0.1  # a realised-marginal ratio counts as changed when it differs from the default's by > 10 %


def robustness_claims(rob: xr.Dataset) -> list[dict]:
    """Per claim: the alternatives (choice: value) under each verdict (grid-mean statistic), the choices its
    verdict depends on, the verdicts of the default run under every statistic, and the alternatives whose
    realised W variance or |mean| ratio (last / first control) differs from the default's by more than 10 %."""
    g = rob.sel(statistic="grid_mean")
    out = []
    for reg in rob["regularity"].values.tolist():
        r = g.sel(regularity=reg)
        default = int(r["claim_verdict"].isel(choice=0, alternative=0))
        by_verdict: dict[str, list[str]] = {VERDICT_TEXT[c]: [] for c in (2, 1, 0, -1)}
        d_delta, d_se = float(r["claim_delta"][0, 0]), float(r["claim_delta_se"][0, 0])
        by_verdict[VERDICT_TEXT[default]].append(f"the default choices ({d_delta:+.4f} ± {d_se:.4f})")
        depends, marginal = [], []
        for k, choice in enumerate(rob["choice"].values.tolist()):
            if not int(rob["affected"].sel(regularity=reg)[k]):
                continue  # the choice cannot move this claim: its numbers are the default run's
            moved = False
            for a in range(1, rob.sizes["alternative"]):
                if not int(rob["alternative_valid"][k, a]):
                    continue
                code = int(r["claim_verdict"][k, a])
                label = f"{choice} = {rob['alternative_label'].values[k, a]}"
                delta, se = float(r["claim_delta"][k, a]), float(r["claim_delta_se"][k, a])
                by_verdict[VERDICT_TEXT[code]].append(f"{label} ({delta:+.4f} ± {se:.4f})")
                moved |= code != default
                for name in ("weight_var", "weight_abs_mean"):
                    v = rob[name].sel(regularity=reg).values[k, a]
                    v0 = rob[name].sel(regularity=reg).values[k, 0]
                    with np.errstate(divide="ignore", invalid="ignore"):
                        ratio, ratio0 = v[-1] / v[0], v0[-1] / v0[0]
                    if np.isfinite(ratio) and np.isfinite(ratio0) and abs(ratio / ratio0 - 1) > MARGINAL_TOL:
                        marginal.append(
                            f"{label}: {name} ×{ratio:.2f} from the first to the last control value "
                            f"(default choices ×{ratio0:.2f})"
                        )
            if moved:
                depends.append(choice)
        d0 = rob.isel(choice=0, alternative=0).sel(regularity=reg)
        stats = [
            {
                "statistic": st,
                "delta": float(d0["claim_delta"].sel(statistic=st)),
                "delta_se": float(d0["claim_delta_se"].sel(statistic=st)),
                "verdict": VERDICT_TEXT[int(d0["claim_verdict"].sel(statistic=st))],
            }
            for st in rob["statistic"].values.tolist()
        ]
        statistic_moves = sorted({s["statistic"] for s in stats if s["verdict"] != VERDICT_TEXT[default]})
        out.append(
            {
                "regularity": reg,
                "claim": str(rob["claim"].sel(regularity=reg).values),
                "default": VERDICT_TEXT[default],
                "by_verdict": {k: v for k, v in by_verdict.items() if v},
                "depends_on": depends,
                "statistics": stats,
                "statistic_moves": statistic_moves,
                "marginal": marginal,
            }
        )
    return out


def robustness_setup(rob: xr.Dataset) -> dict:
    p = provenance(rob)["params"]["robustness"]
    return {
        "reps": p["reps"],
        "grid": f"{p['grid']['w']['num']} × {p['grid']['b']['num']}",
        "controls": ", ".join(f"{c:g}" for c in p["controls"]),
        "edge_band": p["edge_band"],
        "nonsaturated_max": p["nonsaturated_max"],
        "runs": int(rob["alternative_valid"].sum()) - rob.sizes["choice"] + 1,
    }


def render(
    template: str,
    schema: Mapping,
    claims: xr.Dataset,
    figures: Mapping[str, str],
    profile: str = "(not named)",
    robustness: xr.Dataset | None = None,
) -> str:
    """Fill the notes template from the schema, the claims file (and the robustness file, if the stage ran)
    and their recorded parameters."""
    prov = provenance(claims)
    config = {"metzner": {k: v for k, v in prov["params"].items() if k != "seed"}}
    return (
        environment()
        .from_string(template)
        .render(
            **prov,
            profile=profile,
            recon=recon_table(schema, config),
            claims=claims_rows(claims),
            figures=figures,
            robustness=robustness_claims(robustness) if robustness is not None else None,
            robustness_setup=robustness_setup(robustness) if robustness is not None else None,
        )
    )
