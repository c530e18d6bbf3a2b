"""Helpers of the generated reproduction notes (pure: data in, Markdown out): the Jinja environment,
the provenance block of a NetCDF file and the table of [RECON] keys read from the config schema."""

from __future__ import annotations

import json
from typing import Any, Iterator, Mapping

import jinja2
import numpy as np
import xarray as xr

from rnnstruct import __version__
from rnnstruct.core.reads import lookup


def _tagged(sub: Mapping) -> bool:
    return "[RECON]" in sub.get("description", "")


def _has_tagged_descendant(schema: Mapping) -> bool:
    return any(_tagged(sub) or _has_tagged_descendant(sub) for sub in schema.get("properties", {}).values())


def recon_keys(schema: Mapping, path: str = "") -> Iterator[tuple[str, Mapping]]:
    """Keys of a JSON schema whose description is tagged [RECON], with their sub-schemas: the most
    specific tagged keys (a tagged section whose own keys are tagged is listed through those keys; a
    tagged object whose keys are not, such as a grid {start, stop, num}, is one key)."""
    for name, sub in schema.get("properties", {}).items():
        key = f"{path}{name}"
        if _tagged(sub) and not _has_tagged_descendant(sub):
            yield key, sub
        else:
            yield from recon_keys(sub, key + ".")


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


def fmt(x: float, digits: int = 3) -> str:
    return "n/a" if not np.isfinite(x) else f"{x:.{digits}f}"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True
    )
    env.filters["fmt"] = fmt
    return env


def provenance(ds: xr.Dataset) -> dict:
    return {
        "version": __version__,
        "git_commit": ds.attrs.get("git_commit", "unknown"),
        "config_hash": ds.attrs.get("config_hash", ""),
        "params": json.loads(ds.attrs["parameters"]),
    }
