"""docs/reproduction/jarne2024.md from the spectra file (pure: data in, Markdown out)."""

from __future__ import annotations

from typing import Mapping

import xarray as xr

from rnnstruct.core.notes import environment, provenance, recon_table
from rnnstruct.jarne import stages as stage


def render(template: str, schema: Mapping, spectra: xr.Dataset, profile: str = "(not named)") -> str:
    prov = provenance(spectra)
    p = prov["params"]
    config = {"jarne": {k: v for k, v in p.items() if k != "seed"}}
    return (
        environment()
        .from_string(template)
        .render(
            **prov,
            profile=profile,
            recon=recon_table(schema, config, prefix="jarne"),
            claims=stage.claims(p, spectra),
            conditions=stage.success_table(spectra),
            steps_per_net=p["training"]["epochs"] * -(-p["data"]["n_train"] // p["training"]["batch_size"]),
        )
    )
