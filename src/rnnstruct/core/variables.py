"""CF metadata of every variable and coordinate that rnnstruct writes, one table per paper.

Each paper package keeps its table in ``<paper>/variables.yaml`` next to a ``variables.py`` that
registers it under the paper's name (``register("clark", ...)``); names that several papers write
with one meaning (realisation index, eigenvalue parts, ...) live in ``core/variables.yaml`` and are
part of every table.  A stage's name starts with its paper (``clark_prl_merge``, ``metzner.ensemble.base``),
and :func:`rnnstruct.core.io.write_dataset` fills attributes from that paper's table: the same
variable name may mean different things in different papers (``pr_x`` of Metzner's discrete map and
of Clark's rate network).

Per name: ``long_name``, ``units`` (UDUNITS; "1" for dimensionless quantities and per-step
exponents), ``comment`` (the formula or definition) and, for variables that may legitimately hold
NaN, ``nan_meaning`` (what NaN means); the writer refuses NaN anywhere else.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping

import yaml

#: names shared by every paper's table
COMMON: dict[str, dict] = yaml.safe_load(Path(__file__).with_name("variables.yaml").read_text())
_TABLES: dict[str, dict[str, dict]] = {}


def load(path: Path) -> dict[str, dict]:
    """A paper's table (``variables.yaml``) merged over the common names."""
    own = yaml.safe_load(Path(path).read_text()) or {}
    clash = sorted(set(own) & set(COMMON))
    if clash:
        raise ValueError(f"{path} redefines common variables {clash} (rnnstruct/core/variables.yaml)")
    return {**COMMON, **own}


def register(namespace: str, table: Mapping[str, dict]) -> dict[str, dict]:
    """Make ``table`` the metadata of the stages whose name starts with ``namespace``."""
    _TABLES[namespace] = dict(table)
    return _TABLES[namespace]


def namespace_of(stage: str) -> str:
    """The paper of a stage name: its first component (``clark_prl_merge`` -> ``clark``)."""
    return re.split(r"[._]", stage, maxsplit=1)[0]


def table(stage: str) -> dict[str, dict]:
    """The metadata table that applies to the outputs of ``stage``."""
    ns = namespace_of(stage)
    if ns not in _TABLES:
        raise KeyError(
            f"stage {stage!r}: no variable table registered for {ns!r} (import rnnstruct.{ns}.variables "
            f"in the stage module); registered: {sorted(_TABLES)}"
        )
    return _TABLES[ns]
