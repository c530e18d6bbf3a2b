"""The three claims of Metzner et al. 2025 tested on the pipeline's outputs.

Claims (paper abstract): Dale monopolarity and modularity significantly *increase* reservoir
accuracy; Hopfield reciprocity *reduces* it by promoting early saturation of the neurons.

The unit of evidence is one realisation: its test accuracy averaged over the (w, b) grid.  Because
a realisation shares its base factors, input matrix and task across control values (common random
numbers), the effect of the control is the paired difference, per realisation, between the last and
the first control value.

Verdict rules (stated so that they can be checked, not tuned):

* **reproduced**: the mean paired difference has the claimed sign and is at least 2 standard errors
  (over realisations) from zero, and the grid-mean accuracy changes monotonically in the claimed
  direction across all control values; for Hopfield, in addition the saturated fraction S rises
  with r by at least 2 standard errors (the claimed mechanism);
* **partly reproduced**: the mean paired difference has the claimed sign but one of the other
  conditions fails (or there is a single realisation, so no standard error);
* **not reproduced**: the mean paired difference is zero or has the opposite sign.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import xarray as xr

CLAIMS = {
    "dale": dict(direction=1, text="Dale monopolarity significantly increases reservoir accuracy"),
    "hopfield": dict(
        direction=-1, text="Hopfield reciprocity reduces reservoir accuracy by promoting early saturation"
    ),
    "modular": dict(direction=1, text="Modularity significantly increases reservoir accuracy"),
}
VERDICTS = ("not_reproduced", "partly_reproduced", "reproduced")
Z_MIN = 2.0


def _paired(per_rep: xr.DataArray) -> tuple[float, float]:
    """Mean and standard error over realisations of last-minus-first control value."""
    diff = (per_rep.isel(ctrl=-1) - per_rep.isel(ctrl=0)).values
    se = float(diff.std(ddof=1) / np.sqrt(len(diff))) if len(diff) > 1 else float("nan")
    return float(diff.mean()), se


def verdict(direction: int, delta: float, se: float, monotone: bool, mechanism: bool | None) -> int:
    """Index into VERDICTS by the rules of the module docstring."""
    if not direction * delta > 0:
        return 0
    significant = np.isfinite(se) and direction * delta >= Z_MIN * se
    if significant and monotone and mechanism is not False:
        return 2
    return 1


def claim_numbers(reg: str, per_rep: xr.DataArray, sat: xr.DataArray) -> dict:
    """Delta, SE, monotonicity, mechanism and verdict of one claim from per-realisation summaries.

    ``per_rep`` (ctrl, rep): a realisation's accuracy summary per control value (the grid mean in
    :func:`evaluate_claims`; other summaries in the robustness stage); ``sat`` (ctrl, rep): its grid-mean
    saturated fraction.  The rules of the module docstring, unchanged.
    """
    d = CLAIMS[reg]["direction"]
    delta, se = _paired(per_rep)
    sat_delta, sat_se = _paired(sat)
    means = per_rep.mean("rep").values
    monotone = bool(np.all(d * np.diff(means) > 0)) if len(means) > 1 else False
    mech = None
    if reg == "hopfield":
        mech = bool(np.isfinite(sat_se) and sat_delta >= Z_MIN * sat_se and sat_delta > 0)
    return {
        "delta": delta,
        "delta_se": se,
        "sat_delta": sat_delta,
        "sat_delta_se": sat_se,
        "monotone": monotone,
        "verdict": verdict(d, delta, se, monotone, mech),
    }


def evaluate_claims(reservoirs: Mapping[str, xr.Dataset], dynamics: Mapping[str, xr.Dataset]) -> xr.Dataset:
    """Numbers and verdicts per regularity (dims: regularity, and ctrl_index for the per-control means)."""
    regs = [r for r in CLAIMS if r in reservoirs]
    n_ctrl = max(reservoirs[r].sizes["ctrl"] for r in regs)
    shape = (len(regs), n_ctrl)
    acc_mean, acc_sd, sat_mean, ctrl = (np.full(shape, np.nan) for _ in range(4))
    fields = ("delta", "delta_se", "sat_delta", "sat_delta_se")
    scalars = {k: np.full(len(regs), np.nan) for k in fields}
    monotone = np.zeros(len(regs), dtype=np.int8)
    code = np.zeros(len(regs), dtype=np.int8)
    for g, reg in enumerate(regs):
        res, dyn = reservoirs[reg], dynamics[reg]
        n = res.sizes["ctrl"]
        per_rep = res["accuracy"].mean(("w", "b"))
        sat = dyn["sat_frac"].mean(("w", "b"))
        ctrl[g, :n] = res["ctrl"].values
        acc_mean[g, :n] = per_rep.mean("rep").values
        acc_sd[g, :n] = per_rep.std("rep", ddof=1).values if per_rep.sizes["rep"] > 1 else np.nan
        sat_mean[g, :n] = sat.mean("rep").values
        numbers = claim_numbers(reg, per_rep, sat)
        for name in fields:
            scalars[name][g] = numbers[name]
        monotone[g] = numbers["monotone"]
        code[g] = numbers["verdict"]
    pad = "this regularity has fewer control values than the longest list"
    by_reg, by_ctrl = ("regularity",), ("regularity", "ctrl_index")
    ds = xr.Dataset(
        {
            "accuracy_mean": (by_ctrl, acc_mean),
            "accuracy_sd": (by_ctrl, acc_sd),
            "sat_frac_mean": (by_ctrl, sat_mean),
            **{name: (by_reg, scalars[name]) for name in fields},
            "monotone": (by_reg, monotone),
            "verdict": (by_reg, code, {"flag_values": list(range(len(VERDICTS))), "flag_meanings": " ".join(VERDICTS)}),
            "claim": (by_reg, [CLAIMS[r]["text"] for r in regs]),
        },
        coords={
            "regularity": regs,
            "ctrl_index": np.arange(n_ctrl),
            "ctrl": (by_ctrl, ctrl, {"long_name": "control value", "units": "1", "comment": "m, r or q", "nan_meaning": pad}),
        },
    )
    return ds
