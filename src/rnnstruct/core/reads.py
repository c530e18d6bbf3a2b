"""What each workflow rule reads of the config, so that a changed key reruns exactly the jobs that read it.

Every package declares, per rule, the config keys its stage reads (``READS`` in the package's
``targets`` module) as dotted paths: ``"metzner.reservoir"`` is the whole block, ``"metzner.N"`` one value,
``"metzner.regularities.{reg}"`` the entry named by the job's ``reg`` wildcard. From a declaration:

- :func:`select` builds the nested dict the stage receives (``params.p`` of the rule), with the same layout as
  the config; a stage that reaches for an undeclared key fails with a ``KeyError`` instead of silently reading it;
- :func:`leaves` lists one ``"<dotted key>=<JSON value>"`` string per leaf. The rules pass these as separate
  params, so Snakemake's rerun reason names the changed keys
  (``before: 'metzner.reservoir.task="cluster"' now: 'metzner.reservoir.task="seqmem"'``);
- :class:`Params` wraps the nested dict for the rule: it is not a ``dict``, so Snakemake leaves it out of its
  params comparison (the leaves carry that) and does not print the whole block as the reason.

Pure functions of (config, declaration, wildcards); no workflow imports.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator, Mapping


class Params(Mapping):
    """Read-only nested parameters handed to a rule's script (``dict(params.p)`` gives a plain dict)."""

    def __init__(self, data: Mapping):
        self._data = dict(data)  # select() copied the values; the script receives a pickled copy

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self) -> Iterator:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"Params({self._data!r})"


def _as_dict(wildcards) -> dict:
    """A plain dict of a job's wildcards (a mapping, or Snakemake's named list)."""
    if wildcards is None:
        return {}
    if isinstance(wildcards, Mapping):
        return dict(wildcards)
    return dict(wildcards.items())


def expand(keys: Iterable[str], wildcards: Mapping | None = None) -> list[str]:
    """The declared keys with ``{name}`` replaced by the job's wildcard values."""
    wildcards = _as_dict(wildcards)
    out = []
    for key in keys:
        try:
            out.append(key.format(**wildcards))
        except KeyError as err:
            raise KeyError(f"config key {key!r} needs the wildcard {err.args[0]!r}, which this job lacks") from None
    return out


def lookup(config: Mapping, key: str):
    """The value of a dotted key; a ``KeyError`` names the first missing part."""
    return _lookup(config, key.split("."), key)


def _lookup(config: Mapping, path: list[str], key: str):
    node = config
    for i, part in enumerate(path):
        if not isinstance(node, Mapping) or part not in node:
            raise KeyError(f"declared config key {key!r} is not in the config (no {'.'.join(path[: i + 1])!r})")
        node = node[part]
    return node


def select(config: Mapping, keys: Iterable[str], wildcards: Mapping | None = None) -> dict:
    """Nested subset of ``config`` holding exactly the declared keys (values deep-copied)."""
    out: dict = {}
    for key in expand(keys, wildcards):
        path = key.split(".")
        value = _lookup(config, path, key)
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = copy.deepcopy(value)
    return out


def _flatten(prefix: str, value) -> Iterator[tuple[str, object]]:
    if isinstance(value, Mapping) and value:
        for k in sorted(value):
            yield from _flatten(f"{prefix}.{k}", value[k])
    else:
        yield prefix, value


def leaves(config: Mapping, keys: Iterable[str], wildcards: Mapping | None = None) -> list[str]:
    """``"<dotted key>=<JSON value>"`` for every leaf under the declared keys, sorted."""
    out = set()
    for key in expand(keys, wildcards):
        for name, value in _flatten(key, _lookup(config, key.split("."), key)):
            out.add(f"{name}={json.dumps(value, sort_keys=True)}")
    return sorted(out)


def covered(key: str, declared: Iterable[str]) -> bool:
    """Whether a dotted leaf key lies under one of the declared keys (wildcard entries match any name)."""
    parts = key.split(".")
    for d in declared:
        dparts = d.split(".")
        if len(dparts) <= len(parts) and all(
            a == b or (a.startswith("{") and a.endswith("}")) for a, b in zip(dparts, parts)
        ):
            return True
    return False


def _expansions(config: Mapping, key: str) -> list[str]:
    """Every key a declaration can stand for: ``{name}`` parts range over the children of their parent."""
    done = [""]
    for part in key.split("."):
        nxt = []
        for prefix in done:
            path = prefix + part if not prefix else f"{prefix}.{part}"
            if part.startswith("{") and part.endswith("}"):
                parent = _lookup(config, prefix.split("."), prefix) if prefix else config
                nxt += [f"{prefix}.{k}" if prefix else k for k in parent if isinstance(parent, Mapping)]
            else:
                nxt.append(path)
        done = nxt
    return done


def possible_leaves(config: Mapping, keys: Iterable[str]) -> list[str]:
    """Dotted names of every leaf a job of the rule may read, over all wildcard values (parse time)."""
    out = set()
    for key in keys:
        for concrete in _expansions(config, key):
            for name, _ in _flatten(concrete, _lookup(config, concrete.split("."), concrete)):
                out.add(name)
    return sorted(out)


def leaf_param(config: Mapping, keys: Iterable[str], leaf: str, wildcards: Mapping | None = None) -> str:
    """The rule param of one possible leaf for one job: ``"<key>=<JSON>"`` where the job reads it, else
    a constant, so that a key another job of the rule reads does not rerun this one."""
    if covered(leaf, expand(keys, wildcards)):
        value = _lookup(config, leaf.split("."), leaf)
        return f"{leaf}={json.dumps(value, sort_keys=True)}"
    return f"{leaf} (not read)"


def stage_params(
    config: Mapping, keys: Iterable[str], wildcards: Mapping | None = None, lift: str | None = None
) -> dict:
    """The parameters a stage receives: :func:`select`, with the block ``lift`` (e.g. ``"metzner"``) moved
    to the top level next to ``seed`` (the layout the papers' stage functions read)."""
    out = select(config, keys, wildcards)
    if lift is not None and lift in out:
        block = out.pop(lift)
        out = {**block, **out}
    return out
