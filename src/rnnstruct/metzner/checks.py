"""Consistency checks of the ``metzner`` config section that a JSON schema cannot express
(pure: a schema-valid config with defaults filled in, messages naming the dotted key out)."""

from __future__ import annotations

from typing import Any, Mapping

from rnnstruct.core.config import grid_errors


def _regularity_errors(m: Mapping) -> list[str]:
    out: list[str] = []
    reg = m["regularities"]
    out += grid_errors("metzner.regularities.grid.w", reg["grid"]["w"], 0.0, 100.0)
    out += grid_errors("metzner.regularities.grid.b", reg["grid"]["b"], -1.0, 1.0)
    for name in ("dale", "hopfield", "modular"):
        controls = reg[name]["controls"]
        if any(b <= a for a, b in zip(controls, controls[1:])):
            out.append(
                f"config key 'metzner.regularities.{name}.controls': {controls} must be strictly increasing"
            )
    K = reg["modular"]["K"]
    if "modular" in reg["include"]:
        for key, N in (("metzner.N", m["N"]), ("metzner.validation.N", m["validation"]["N"])):
            if N % K:
                out.append(f"config key 'metzner.regularities.modular.K': K={K} does not divide {key}={N}")
    if "dale" in reg["include"] and m["balance_mode"] != "sign_prob":
        out.append(
            "config key 'metzner.balance_mode': 'gaussian_mean' has no weight signs to make monopolar; the Dale "
            "ensemble needs 'sign_prob' (or remove 'dale' from metzner.regularities.include)"
        )
    return out


def _robustness_errors(m: Mapping) -> list[str]:
    rob = m.get("robustness")
    if not rob or not rob["enabled"]:
        return []
    out: list[str] = []
    out += grid_errors("metzner.robustness.grid.w", rob["grid"]["w"], 0.0, 100.0)
    out += grid_errors("metzner.robustness.grid.b", rob["grid"]["b"], -1.0, 1.0)
    controls = rob["controls"]
    if len(controls) < 2 or any(b <= a for a, b in zip(controls, controls[1:])):
        out.append(f"config key 'metzner.robustness.controls': {controls} must hold at least 2 strictly increasing values")
    K = m["regularities"]["modular"]["K"]
    for N in rob["alternatives"]["N"]:
        if N % K:
            out.append(f"config key 'metzner.robustness.alternatives.N': K={K} does not divide N={N}")
    for pair in rob["pairs"]:
        if pair[0] == pair[1]:
            out.append(f"config key 'metzner.robustness.pairs': {pair} pairs a choice with itself")
    return out


def _reservoir_errors(res: Mapping) -> list[str]:
    out: list[str] = []
    for key in ("n_train", "n_test"):
        if res[key] % res["streams"]:
            out.append(
                f"config key 'metzner.reservoir.{key}': {res[key]} is not divisible by "
                f"metzner.reservoir.streams = {res['streams']}"
            )
    cl = res["clusters"]
    if res["task"] == "clusters" and cl["M"] % cl["classes"]:
        out.append(
            f"config key 'metzner.reservoir.clusters.classes': {cl['classes']} does not divide "
            f"metzner.reservoir.clusters.M = {cl['M']} (classes are balanced over clusters)"
        )
    return out


def errors(config: Mapping[str, Any]) -> list[str]:
    """Every inconsistency of the ``metzner`` section, one message per problem."""
    out: list[str] = []
    m = config.get("metzner")
    if not m:
        return out
    out += grid_errors("metzner.grid.w", m["grid"]["w"], 0.0, 100.0)
    out += grid_errors("metzner.grid.b", m["grid"]["b"], -1.0, 1.0)
    dyn = m["dynamics"]
    if dyn["n_measure"] < 2 * dyn["max_period"]:
        out.append(
            f"config key 'metzner.dynamics.n_measure': {dyn['n_measure']} must be >= 2 * "
            f"metzner.dynamics.max_period = {2 * dyn['max_period']}"
        )
    val = m["validation"]
    out += grid_errors("metzner.validation.w", val["w"], 0.0, 100.0)
    if val["n_measure"] % val["cov_blocks"]:
        out.append(
            f"config key 'metzner.validation.n_measure': {val['n_measure']} is not divisible by "
            f"metzner.validation.cov_blocks = {val['cov_blocks']}"
        )
    if val["n_measure"] < 2 * dyn["max_period"]:
        out.append(
            f"config key 'metzner.validation.n_measure': {val['n_measure']} must be >= 2 * "
            f"metzner.dynamics.max_period = {2 * dyn['max_period']}"
        )
    out += _regularity_errors(m)
    out += _reservoir_errors(m["reservoir"])
    out += _robustness_errors(m)
    return out
