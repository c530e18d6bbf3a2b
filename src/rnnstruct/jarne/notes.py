"""docs/reproduction/jarne2024.md from the spectra file (pure: data in, Markdown out)."""

from __future__ import annotations

from typing import Mapping

import xarray as xr

from rnnstruct.core.notes import compact, environment, lookup, provenance, recon_table
from rnnstruct.jarne import stages as stage

#: keys of the training schedule shown against the schema defaults (the paper's settings)
SCHEDULE = (
    "training.lr", "training.batch_size", "training.epochs", "data.n_train", "training.decay",
    "training.clipnorm", "nets", "until_success.max_attempts", "until_success.check_every",
    "until_success.early_stop", "training.slots",
)


def schedule(schema: Mapping, p: Mapping) -> list[dict]:
    """Rows (key, this run, schema default = the paper's setting, differs) of the training schedule,
    with the step cap derived from both."""
    def default(key):
        sub = schema["properties"]["jarne"]
        for part in key.split("."):
            sub = sub["properties"][part]
        return sub.get("default")

    rows = []
    for key in SCHEDULE:
        value, dflt = lookup(p, key), default(key)
        rows.append({"key": f"jarne.{key}", "value": compact(value), "default": compact(dflt),
                     "differs": value != dflt})
    defaults = {"training": {k: default(f"training.{k}") for k in ("epochs", "batch_size")},
                "data": {"n_train": default("data.n_train")}}
    cap, cap0 = stage.step_cap(p), stage.step_cap(defaults)
    rows.append({"key": "step cap = epochs x ceil(n_train / batch_size)", "value": str(cap), "default": str(cap0),
                 "differs": cap != cap0})
    return rows


def render(template: str, schema: Mapping, spectra: xr.Dataset, profile: str = "(not named)") -> str:
    prov = provenance(spectra)
    p = prov["params"]
    config = {"jarne": {k: v for k, v in p.items() if k != "seed"}}
    rows = schedule(schema, p)
    return (
        environment()
        .from_string(template)
        .render(
            **prov,
            profile=profile,
            recon=recon_table(schema, config, prefix="jarne"),
            claims=stage.claims(p, spectra),
            conditions=stage.success_table(spectra),
            summary=stage.training_summary(spectra, int(p["N"])),
            schedule=rows,
            deviations=[r for r in rows if r["differs"]],
            cap=stage.step_cap(p),
        )
    )
