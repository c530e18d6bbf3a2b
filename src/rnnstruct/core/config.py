"""Configuration checks with messages that name the key (pure: dicts in, messages out).

``schema_errors`` reports every JSON-schema violation as one line ``config key 'a.b.c': ...``
with the allowed values or keys; :func:`grid_errors` is a building block of the papers' own
consistency checks (``rnnstruct.<paper>.checks.errors``: what a schema cannot express, such as
grid order, divisibility and windows).  The workflow raises on any of them before a job runs.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Mapping

import jsonschema
import yaml
from jsonschema import validators


def load_schema(path: str | Path) -> dict:
    """The configuration schema as one document: ``$ref`` to other files (relative to the referring
    file) and to ``#/$defs/...`` are replaced by what they point to (sibling keys such as
    ``description`` and ``default`` win), so validation, default filling and the notes' table of
    [RECON] keys all see every key."""
    return _inline(_load(Path(path).resolve()), Path(path).resolve())


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def _inline(node: Any, path: Path, root: Mapping | None = None) -> Any:
    root = _load(path) if root is None else root
    if isinstance(node, list):
        return [_inline(v, path, root) for v in node]
    if not isinstance(node, Mapping):
        return node
    node = dict(node)
    ref = node.pop("$ref", None)
    out = {k: _inline(v, path, root) for k, v in node.items() if k != "$defs"}
    if ref is None:
        return out
    file_part, _, pointer = ref.partition("#")
    target_path = (path.parent / file_part).resolve() if file_part else path
    target_root = _load(target_path) if file_part else root
    target: Any = target_root
    for part in [p for p in pointer.split("/") if p]:
        target = target[part]
    resolved = _inline(target, target_path, target_root)
    resolved = {k: v for k, v in resolved.items() if k not in ("$schema", "title")}
    return {**resolved, **out}


def _set_defaults(validator, properties, instance, schema):
    if isinstance(instance, dict):
        for name, sub in properties.items():
            if "default" in sub and name not in instance:
                instance[name] = copy.deepcopy(sub["default"])
    yield from validators.Draft202012Validator.VALIDATORS["properties"](validator, properties, instance, schema)


_DefaultFiller = validators.extend(jsonschema.Draft202012Validator, {"properties": _set_defaults})


def fill_defaults(config: dict, schema: Mapping) -> dict:
    """Insert every missing key that has a default (recursively, into the defaults too); in place."""
    for _ in _DefaultFiller(schema).iter_errors(config):
        pass
    return config


def _dotted(path) -> str:
    parts = [str(p) if not isinstance(p, int) else f"[{p}]" for p in path]
    out = ""
    for p in parts:
        out += p if p.startswith("[") or not out else "." + p
    return out or "<top level>"


def _subschema(schema: Mapping, error: jsonschema.ValidationError) -> Mapping:
    return error.schema if isinstance(error.schema, Mapping) else {}


def schema_errors(config: Mapping, schema: Mapping) -> list[str]:
    """All schema violations of ``config``, one message each, sorted by key."""
    validator = jsonschema.Draft202012Validator(schema)
    messages = []
    for err in sorted(
        validator.iter_errors(config), key=lambda e: (list(map(str, e.absolute_path)), e.validator)
    ):
        key = _dotted(err.absolute_path)
        sub = _subschema(schema, err)
        if err.validator == "additionalProperties":
            allowed = sorted(sub.get("properties", {}))
            extra = sorted(set(err.instance) - set(allowed))
            for name in extra:
                full = f"{key}.{name}" if key != "<top level>" else name
                messages.append(f"config key '{full}': unknown key (allowed here: {', '.join(allowed)})")
        elif err.validator == "enum":
            messages.append(
                f"config key '{key}': {err.instance!r} is not allowed (allowed values: {', '.join(map(repr, err.validator_value))})"
            )
        elif err.validator == "type":
            messages.append(f"config key '{key}': {err.instance!r} is not of type {err.validator_value!r}")
        elif err.validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            bounds = {
                k: sub[k] for k in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum") if k in sub
            }
            rng = ", ".join(f"{k}={v}" for k, v in bounds.items())
            messages.append(f"config key '{key}': {err.instance!r} is out of range ({rng})")
        elif err.validator == "required":
            messages.append(f"config key '{key}': {err.message}")
        elif err.validator == "minItems":
            messages.append(f"config key '{key}': must not be empty (at least {err.validator_value} item(s))")
        else:
            messages.append(f"config key '{key}': {err.message}")
    return messages


def grid_errors(key: str, grid: Mapping, lo: float | None = None, hi: float | None = None) -> list[str]:
    out = []
    start, stop, num = grid["start"], grid["stop"], grid["num"]
    if stop < start:
        out.append(f"config key '{key}': stop={stop} is smaller than start={start}")
    if num == 1 and stop != start:
        out.append(f"config key '{key}': num=1 needs start == stop (got start={start}, stop={stop})")
    if lo is not None and start < lo:
        out.append(f"config key '{key}.start': {start} is below the allowed minimum {lo}")
    if hi is not None and stop > hi:
        out.append(f"config key '{key}.stop': {stop} is above the allowed maximum {hi}")
    return out


def check(config: dict, schema: Mapping, semantic=None) -> list[str]:
    """Schema problems of ``config``; if there are none, fill the defaults (in place) and return the
    problems ``semantic(config)`` finds in the completed config."""
    problems = schema_errors(config, schema)
    if problems or semantic is None:
        return problems
    fill_defaults(config, schema)
    return list(semantic(config))
