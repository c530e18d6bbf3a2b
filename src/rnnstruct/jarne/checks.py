"""Consistency checks of the ``jarne`` config section that a JSON schema cannot express
(pure: a schema-valid config with defaults filled in, messages naming the dotted key out)."""

from __future__ import annotations

from typing import Any, Mapping

from rnnstruct.jarne import design


def errors(config: Mapping[str, Any]) -> list[str]:
    """Every inconsistency of the ``jarne`` section, one message per problem."""
    j = config.get("jarne")
    if not j:
        return []
    out: list[str] = []
    sizes = [j["N"]] + list(j["size_sweep"]["N"])
    n_dom = j["analysis"]["n_dominant"]
    if n_dom >= min(sizes):
        out.append(
            f"config key 'jarne.analysis.n_dominant': {n_dom} must be < the smallest trained N = {min(sizes)} "
            "(jarne.N and jarne.size_sweep.N): r_out is the modulus of eigenvalue n_dominant + 1"
        )
    out += design.skip_errors(j)
    return out
