"""The runs of the robustness stage as pure functions of the configuration (no computation, no JAX:
the workflow's target lists read them at parse time).  The stage itself is
:mod:`rnnstruct.metzner.stages.robustness`; the meaning of every choice is in
``docs/models/metzner2025.md#robustness``."""

from __future__ import annotations

import copy
import itertools
from typing import Mapping, Sequence

REGULARITIES = ("dale", "hopfield", "modular")

#: choice -> (config path inside the metzner section, the claims it can move)
CHOICES = {
    "dale_mode": (("regularities", "dale", "mode"), ("dale",)),
    "dale_types": (("regularities", "dale", "types"), ("dale",)),
    "hopfield_mode": (("regularities", "hopfield", "mode"), ("hopfield",)),
    "modular_mode": (("regularities", "modular", "mode"), ("modular",)),
    # Dale always uses the sign-probability construction: the balance mode cannot move its claim
    "balance_mode": (("balance_mode",), ("hopfield", "modular")),
    "task": (("reservoir", "task"), REGULARITIES),
    "N": (("N",), REGULARITIES),
    "input_scale": (("reservoir", "input_scale"), REGULARITIES),
    "ridge": (("reservoir", "ridge"), REGULARITIES),
}
STATISTICS = ("grid_mean", "best", "edge", "nonsaturated")
VERDICT_UNDEFINED = -1  # the statistic has no grid point for some realisation (e.g. nothing below nonsaturated_max)


def _get(params: Mapping, path: Sequence[str]):
    for key in path:
        params = params[key]
    return params


def _set(params: dict, path: Sequence[str], value) -> None:
    for key in path[:-1]:
        params = params[key]
    params[path[-1]] = value


def _label(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def default_value(params: Mapping, choice: str):
    return _get(params, CHOICES[choice][0])


def runs(params: Mapping) -> list[dict]:
    """Every run of the stage: {id, settings: {choice: value}, claims: affected regularities}.

    The default run, then each alternative of each choice (one at a time), then each combination of
    non-default alternatives of every listed pair.  ``params`` is the metzner section.
    """
    rob = params["robustness"]
    include = [r for r in REGULARITIES if r in params["regularities"]["include"]]
    out = [{"id": "default", "settings": {}, "claims": include}]
    alts = {c: [v for v in rob["alternatives"][c] if v != default_value(params, c)] for c in CHOICES}

    def claims_of(choices):
        return [r for r in include if any(r in CHOICES[c][1] for c in choices)]

    for choice in CHOICES:
        for value in alts[choice]:
            if claims_of([choice]):
                out.append({"id": f"{choice}-{_label(value)}", "settings": {choice: value}, "claims": claims_of([choice])})
    for pair in rob["pairs"]:
        for values in itertools.product(*(alts[c] for c in pair)):
            settings = dict(zip(pair, values))
            if claims_of(pair):
                rid = "__".join(f"{c}-{_label(v)}" for c, v in settings.items())
                out.append({"id": rid, "settings": settings, "claims": claims_of(pair)})
    return out


def run_params(params: Mapping, settings: Mapping) -> dict:
    """The metzner section of one run: the reduced sweep of ``robustness`` and the run's settings."""
    p = copy.deepcopy(dict(params))
    rob = p["robustness"]
    reg = p["regularities"]
    reg["grid"] = copy.deepcopy(rob["grid"])
    reg["reps"] = rob["reps"]
    for name in REGULARITIES:
        reg[name]["controls"] = list(rob["controls"])
    for choice, value in settings.items():
        _set(p, CHOICES[choice][0], value)
    return p


