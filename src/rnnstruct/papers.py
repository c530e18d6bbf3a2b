"""The packages rnnstruct builds, in one place: their targets and their configuration checks.

The workflow builds ``rule all``, the cost table and the configuration check from this registry;
each entry is a package with the same inner shape (``stages``, ``figures``, ``notes``, ``targets``
and, where a section has consistency rules a schema cannot express, ``checks``).
"""

from __future__ import annotations

from typing import Mapping

from rnnstruct.clark import checks as clark_checks
from rnnstruct.clark import targets as clark_targets
from rnnstruct.core.targets import outputs
from rnnstruct.jarne import checks as jarne_checks
from rnnstruct.jarne import targets as jarne_targets
from rnnstruct.lyapunov import checks as lyapunov_checks
from rnnstruct.lyapunov import targets as lyapunov_targets
from rnnstruct.metzner import checks as metzner_checks
from rnnstruct.metzner import targets as metzner_targets

#: package name -> its targets module (the order of rule all)
TARGETS = {
    "metzner": metzner_targets,
    "lyapunov": lyapunov_targets,
    "clark": clark_targets,
    "jarne": jarne_targets,
}
CHECKS = (metzner_checks.errors, lyapunov_checks.errors, clark_checks.errors, jarne_checks.errors)
COST_TABLE = "results/benchmarks/cost_summary.csv"


def semantic_errors(config: Mapping) -> list[str]:
    """Every consistency problem of a schema-valid config (defaults filled), one message each."""
    return [msg for check in CHECKS for msg in check(config)]


def reads(rule: str) -> tuple[tuple[str, ...], str | None]:
    """The config keys a computing rule's stage reads and the block lifted to the top of its parameters
    (rnnstruct.core.reads); KeyError for a rule no package declares."""
    for pkg in TARGETS.values():
        if rule in getattr(pkg, "READS", {}):
            return tuple(pkg.READS[rule]), pkg.LIFT
    raise KeyError(f"no package declares the config keys that rule {rule!r} reads (READS in its targets module)")


def all_outputs(config: Mapping) -> list[str]:
    """Every final output of every package, plus the run's cost table."""
    return [f for pkg in TARGETS.values() for f in outputs(pkg, config)] + [COST_TABLE]


def benchmark_files(config: Mapping) -> dict[str, list[str]]:
    """Benchmark TSV files of every computing rule, by rule (the cost table's inputs)."""
    out: dict[str, list[str]] = {}
    for pkg in TARGETS.values():
        out.update(pkg.benchmarks(config))
    return out
