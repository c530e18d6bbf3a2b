"""Consistency checks of the ``lyapunov`` config section that a JSON schema cannot express
(pure: a schema-valid config with defaults filled in, messages naming the dotted key out)."""

from __future__ import annotations

from typing import Any, Mapping

from rnnstruct.core.config import grid_errors


def _schedule_errors(prefix: str, steps: Mapping, n_blocks: int, qr_every: int) -> list[str]:
    """Step counts (already in steps) must fit whole QR intervals and equal blocks."""
    out = []
    if steps["total"] % (n_blocks * qr_every):
        out.append(
            f"config key '{prefix}.{steps['total_key']}': {steps['total']} steps are not divisible by "
            f"n_blocks * qr_every = {n_blocks * qr_every}"
        )
    if steps["ons"] % qr_every:
        out.append(
            f"config key '{prefix}.{steps['ons_key']}': {steps['ons']} steps are not a multiple of qr_every = {qr_every}"
        )
    return out


def _as_steps(prefix: str, key: str, value: float, dt: float, out: list) -> int:
    n = value / dt
    if abs(n - round(n)) > 1e-9 * max(1.0, abs(n)):
        out.append(f"config key '{prefix}.{key}': {value} is not a whole number of steps of length {dt}")
    return int(round(n))


def _errors(lp: Mapping) -> list[str]:
    out: list[str] = []
    for kind, dt in (("iid_map", 1.0), ("iid_flow", float(lp["dt"]))):
        sysp, prefix = lp[kind], f"lyapunov.{kind}"
        out += grid_errors(f"{prefix}.g", sysp["g"], 0.0, 100.0)
        if sysp["spectrum_k"] > sysp["N"]:
            out.append(
                f"config key '{prefix}.spectrum_k': {sysp['spectrum_k']} exceeds {prefix}.N = {sysp['N']}"
            )
        steps = {
            "total": _as_steps(prefix, "total", sysp["total"], dt, out),
            "ons": _as_steps(prefix, "ons_transient", sysp["ons_transient"], dt, out),
            "total_key": "total",
            "ons_key": "ons_transient",
        }
        _as_steps(prefix, "transient", sysp["transient"], dt, out)
        out += _schedule_errors(prefix, steps, sysp["n_blocks"], sysp["qr_every"])
    reg = lp["regularities"]
    out += _schedule_errors(
        "lyapunov.regularities",
        {
            "total": reg["n_steps"],
            "ons": reg["n_ons_transient"],
            "total_key": "n_steps",
            "ons_key": "n_ons_transient",
        },
        reg["n_blocks"],
        reg["qr_every"],
    )
    num, base = lp["numerics"], lp["iid_map"]
    for n in num["n_steps_values"]:
        if n % (base["n_blocks"] * base["qr_every"]):
            out.append(
                f"config key 'lyapunov.numerics.n_steps_values': {n} is not divisible by lyapunov.iid_map.n_blocks * "
                f"lyapunov.iid_map.qr_every = {base['n_blocks'] * base['qr_every']}"
            )
    for q in num["qr_every_values"]:
        if int(base["total"]) % (base["n_blocks"] * q) or int(base["ons_transient"]) % q:
            out.append(
                f"config key 'lyapunov.numerics.qr_every_values': {q} must divide lyapunov.iid_map.ons_transient and "
                f"lyapunov.iid_map.total / lyapunov.iid_map.n_blocks"
            )
    if max(num["N_values"]) > 20000:
        out.append("config key 'lyapunov.numerics.N_values': sizes above 20000 are not supported")
    return out


def errors(config: Mapping[str, Any]) -> list[str]:
    """Every inconsistency of the ``lyapunov`` section (step counts, QR schedule, sizes)."""
    return _errors(config["lyapunov"]) if config.get("lyapunov") else []
