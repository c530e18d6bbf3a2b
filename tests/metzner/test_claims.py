"""Verdict rules of rnnstruct.metzner.claims on synthetic reservoir outputs with known effects."""

import numpy as np
import pytest
import xarray as xr

from rnnstruct.metzner import claims


def fake(effect_per_ctrl, reps=6, noise=0.002, sat_effect=0.0, seed=0):
    """Reservoir and dynamics datasets whose grid-mean accuracy moves by effect_per_ctrl[c]."""
    rng = np.random.default_rng(seed)
    ctrl = np.linspace(0, 1, len(effect_per_ctrl))
    shape = (len(ctrl), 3, 3, reps)
    base = 0.7 + rng.normal(0, 0.05, (1, 3, 3, reps))  # realisation effects shared by all controls
    acc = base + np.asarray(effect_per_ctrl)[:, None, None, None] + rng.normal(0, noise, shape)
    sat = 0.3 + sat_effect * ctrl[:, None, None, None] + rng.normal(0, noise, shape)
    coords = {"ctrl": ctrl, "w": [0.5, 1.0, 2.0], "b": [-0.5, 0.0, 0.5], "rep": np.arange(reps)}
    dims = ("ctrl", "w", "b", "rep")
    return xr.Dataset({"accuracy": (dims, acc)}, coords=coords), xr.Dataset(
        {"sat_frac": (dims, sat)}, coords=coords
    )


def verdict_of(reg, **kw):
    res, dyn = fake(**kw)
    ds = claims.evaluate_claims({reg: res}, {reg: dyn})
    return claims.VERDICTS[int(ds["verdict"][0])], ds


def test_clear_increase_is_reproduced_for_dale():
    v, ds = verdict_of("dale", effect_per_ctrl=[0.0, 0.02, 0.04])
    assert v == "reproduced" and ds["delta"][0] == pytest.approx(0.04, abs=0.005)


def test_decrease_is_not_reproduced_for_modular():
    assert verdict_of("modular", effect_per_ctrl=[0.0, -0.01, -0.02])[0] == "not_reproduced"


def test_non_monotone_is_partly():
    assert verdict_of("dale", effect_per_ctrl=[0.0, 0.05, 0.03])[0] == "partly_reproduced"


def test_single_realisation_cannot_be_significant():
    assert verdict_of("dale", effect_per_ctrl=[0.0, 0.05], reps=1)[0] == "partly_reproduced"


def test_hopfield_needs_the_saturation_mechanism():
    assert verdict_of("hopfield", effect_per_ctrl=[0.0, -0.02, -0.04], sat_effect=0.2)[0] == "reproduced"
    assert (
        verdict_of("hopfield", effect_per_ctrl=[0.0, -0.02, -0.04], sat_effect=0.0)[0] == "partly_reproduced"
    )
    assert verdict_of("hopfield", effect_per_ctrl=[0.0, 0.02, 0.04], sat_effect=0.2)[0] == "not_reproduced"


def test_paired_difference_removes_realisation_spread():
    """Realisations differ by SD 0.05, the effect is 0.01: pairing keeps it significant."""
    v, ds = verdict_of("dale", effect_per_ctrl=[0.0, 0.01], reps=8)
    assert v == "reproduced" and float(ds["delta_se"][0]) < 0.002
