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


def render(
    template: str, schema: Mapping, claims: xr.Dataset, figures: Mapping[str, str], profile: str = "(not named)"
) -> str:
    """Fill the notes template from the schema, the claims file and its recorded parameters."""
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
        )
    )
