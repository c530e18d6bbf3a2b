"""Configuration checks with messages that name the key (pure: dicts in, messages out).

``schema_errors`` reports every JSON-schema violation as one line ``config key 'a.b.c': ...``
with the value and the allowed values, keys or range; it also refuses NaN and infinities anywhere
(a comparison with NaN is false, so a range check alone would let them through) and repeated values
in lists (each list becomes the coordinate of a NetCDF dimension).  :func:`check` then converts
integer-valued floats at integer keys (``N: 30.0``, ``--config seed=1e3``) to integers, once, fills
the defaults and runs the papers' consistency rules.  :func:`grid_errors` is a building block of the papers' own
consistency checks (``rnnstruct.<paper>.checks.errors``: what a schema cannot express, such as
grid order, divisibility and windows).  The workflow raises on any of them before a job runs.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any, Mapping

import jsonschema
import yaml
from jsonschema import validators


class ConfigFileError(ValueError):
    """A configuration file that cannot be read as one YAML mapping; the message names file and line."""


class _StrictLoader(yaml.SafeLoader):
    """YAML without silent surprises: a key repeated in one mapping is an error (PyYAML keeps the
    last one, so a repeated section would replace the whole section)."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise ConfigFileError(
                f"{loader.name}, line {key_node.start_mark.line + 1}: key {key!r} repeats the key of line "
                f"{seen[key] + 1} in the same section (the later one would silently replace the earlier one; "
                "merge them)"
            )
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_config_file(path: str | Path) -> dict:
    """One configuration file (profile or overlay), strictly: YAML syntax errors, repeated keys, an
    empty file or a top level that is not a mapping raise :class:`ConfigFileError` naming the file
    (and the line)."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as err:
        raise ConfigFileError(f"{path}: cannot read the configuration file ({err.strerror})") from None
    try:
        data = yaml.load(text, Loader=lambda stream: _named(_StrictLoader(stream), path))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise ConfigFileError(f"{path}{where}: not valid YAML: {err.problem}") from None
    if data is None:
        raise ConfigFileError(f"{path}: the configuration file is empty")
    if not isinstance(data, dict):
        raise ConfigFileError(f"{path}: the top level must be a mapping of sections, got a {type(data).__name__}")
    return data


def _named(loader: _StrictLoader, path: Path) -> _StrictLoader:
    loader.name = str(path)
    return loader


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


def nonfinite_errors(config: Any, path: tuple = ()) -> list[str]:
    """One message per NaN or infinite number anywhere in ``config``."""
    if isinstance(config, Mapping):
        return [m for k, v in config.items() for m in nonfinite_errors(v, path + (k,))]
    if isinstance(config, (list, tuple)):
        return [m for i, v in enumerate(config) for m in nonfinite_errors(v, path + (i,))]
    if isinstance(config, float) and not math.isfinite(config):
        return [f"config key '{_dotted(path)}': {config!r} is not a finite number (NaN and infinities are not accepted)"]
    return []


def np_types(types) -> list[str]:
    return [types] if isinstance(types, str) else list(types)


def _repeated(values: list) -> list:
    seen, out = [], []
    for v in values:
        if v in seen and v not in out:
            out.append(v)
        seen.append(v)
    return out


def schema_errors(config: Mapping, schema: Mapping) -> list[str]:
    """All schema violations of ``config``, one message each, sorted by key."""
    validator = jsonschema.Draft202012Validator(schema)
    messages = nonfinite_errors(config)
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
            hint = ""
            if isinstance(err.instance, str) and set(np_types(err.validator_value)) & {"integer", "number", "boolean"}:
                hint = (
                    " (a value set with --config on the command line arrives as text inside a section: put the "
                    "keys in an overlay file instead, see config/overlays/, and pass it with --configfile FILE or "
                    "make figures CONFIG=FILE)"
                )
            messages.append(f"config key '{key}': {err.instance!r} is not of type {err.validator_value!r}{hint}")
        elif err.validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            bounds = {
                k: sub[k] for k in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum") if k in sub
            }
            rng = ", ".join(f"{k}={v}" for k, v in bounds.items())
            messages.append(f"config key '{key}': {err.instance!r} is out of range ({rng})")
        elif err.validator == "required":
            messages.append(f"config key '{key}': {err.message}")
        elif err.validator == "uniqueItems":
            messages.append(
                f"config key '{key}': {err.instance!r} repeats {_repeated(list(err.instance))!r} (its values become "
                "the coordinates of a dimension: list each once)"
            )
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


def integers(config: Any, schema: Mapping) -> Any:
    """Integer-valued floats at keys the schema types as integers become ints (in place): YAML and
    ``--config`` give 30.0 or 1e3 as floats, and a shape, a count or a seed must be an int."""
    types = schema.get("type")
    if isinstance(config, float) and (types == "integer" or (isinstance(types, list) and "integer" in types)):
        return int(config) if config.is_integer() else config
    if isinstance(config, dict):
        props = schema.get("properties", {})
        for k, v in config.items():
            if k in props:
                config[k] = integers(v, props[k])
    elif isinstance(config, list) and isinstance(schema.get("items"), Mapping):
        config[:] = [integers(v, schema["items"]) for v in config]
    return config


def check(config: dict, schema: Mapping, semantic=None) -> list[str]:
    """Schema problems of ``config``; if there are none, convert integer-valued floats at integer keys,
    fill the defaults (both in place) and return the problems ``semantic(config)`` finds in the
    completed config."""
    problems = schema_errors(config, schema)
    if problems:
        return problems
    integers(config, schema)
    fill_defaults(config, schema)
    return [] if semantic is None else list(semantic(config))


def main(argv: list[str] | None = None) -> int:
    """``python -m rnnstruct.core.config FILE...``: read each configuration file strictly (the Makefile
    runs this before Snakemake, whose own YAML errors name neither the file nor the line)."""
    import sys

    problems = []
    for name in argv if argv is not None else sys.argv[1:]:
        try:
            read_config_file(name)
        except ConfigFileError as err:
            problems.append(str(err))
    for line in problems:
        print(f"invalid configuration file: {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
