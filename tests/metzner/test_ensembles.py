"""Base (w, b, d) ensemble against its construction and random-matrix theory
(docs/models/metzner2025.md#random-matrix-laws)."""

import numpy as np
import pytest
from scipy import stats

from rnnstruct.metzner import ensembles, spectra
from rnnstruct.core import seeds
from rnnstruct.numerics import spectral


def W_of(N, w, b, rep=0, **kw):
    return ensembles.base_matrix(N, w, b, seeds.rng(11, ("test", N, w, b, rep)), **kw)


def test_b0_is_exactly_gaussian():
    N, w = 300, 1.7
    z = (W_of(N, w, 0.0) * np.sqrt(N) / w).ravel()
    # 90 000 samples: a KS test against N(0, 1) with a fixed seed (deterministic outcome)
    assert stats.kstest(z, "norm").pvalue > 1e-3


@pytest.mark.parametrize("b, d", [(0.5, 1.0), (-0.3, 0.5), (0.9, 0.2)])
def test_element_moments(b, d):
    N, w = 400, 2.0
    W = W_of(N, w, b, density=d)
    p = spectra.base_predictions(N, w, b, d)
    n = N * N
    # standard errors of the sample mean and variance of n elements
    assert abs(W.mean() - p["mean"]) < 5 * np.sqrt(W.var() / n)
    assert abs(W.var() - p["var"]) / p["var"] < 0.02
    assert abs(np.count_nonzero(W) / n - d) < 5 * np.sqrt(d * (1 - d) / n + 1e-12)


@pytest.mark.parametrize("b", [-0.8, -0.3, 0.25, 0.6])
def test_outlier_and_bulk_radius(b):
    """Outlier ≈ b w sqrt(2N/π) and bulk radius ≈ w sqrt(1 - 2b²/π) (circular law), N = 400."""
    N, w = 400, 1.5
    p = spectra.base_predictions(N, w, b)
    outs, radii = [], []
    for rep in range(3):
        ev = spectral.eigenvalues(W_of(N, w, b, rep))
        out, bulk = spectral.split_outlier(ev, p["outlier"], p["bulk_radius"])
        outs.append(out)
        radii.append(spectral.bulk_radius_rms(bulk))
        # the edge of the bulk fluctuates by O(N^-1/2): max modulus within 10 %
        assert abs(spectral.bulk_radius_max(bulk) / p["bulk_radius"] - 1) < 0.10
    outs = np.array(outs)
    assert np.all(np.abs(outs.imag) < 1e-9)  # a real outlier
    # outlier fluctuates by O(1) (sqrt(N) * element sd); relative tolerance 5 %
    assert abs(outs.real.mean() / p["outlier"] - 1) < 0.05
    assert abs(np.mean(radii) / p["bulk_radius"] - 1) < 0.03


def test_no_outlier_at_b0():
    p = spectra.base_predictions(200, 2.0, 0.0)
    out, bulk = spectral.split_outlier(
        spectral.eigenvalues(W_of(200, 2.0, 0.0)), p["outlier"], p["bulk_radius"]
    )
    assert np.isnan(out.real) and bulk.size == 200


def test_balance_modes_agree_at_b0_and_differ_otherwise():
    g = lambda: seeds.rng(3, ("modes",))  # noqa: E731
    a = ensembles.base_matrix(50, 1.3, 0.0, g(), balance_mode="sign_prob")
    b = ensembles.base_matrix(50, 1.3, 0.0, g(), balance_mode="gaussian_mean")
    assert np.array_equal(a, b)
    c = ensembles.base_matrix(50, 1.3, 0.4, g(), balance_mode="gaussian_mean")
    d = ensembles.base_matrix(50, 1.3, 0.4, g(), balance_mode="sign_prob")
    assert not np.array_equal(c, d)


def test_gaussian_mean_moments():
    N, w, b = 400, 1.0, 0.5
    W = W_of(N, w, b, balance_mode="gaussian_mean")
    p = spectra.base_predictions(N, w, b, balance_mode="gaussian_mean")
    assert abs(W.mean() - p["mean"]) < 5 * np.sqrt(W.var() / N**2)
    assert abs(W.var() / p["var"] - 1) < 0.02


def test_self_connections_switch():
    W = W_of(40, 2.0, 0.1, self_connections=False)
    assert np.all(np.diag(W) == 0) and np.count_nonzero(W) == 40 * 39


def test_w_scales_the_same_factors():
    f = ensembles.draw_base_factors(30, 1.0, seeds.rng(1, ("f",)))
    assert np.allclose(ensembles.assemble_base(f, 3.0, 0.2), 1.5 * ensembles.assemble_base(f, 2.0, 0.2))


@pytest.mark.parametrize(
    "kw, name",
    [
        (dict(N=0), "N"),
        (dict(w=-1.0), "w"),
        (dict(w=float("nan")), "w"),
        (dict(b=1.5), "b"),
        (dict(density=0.0), "density"),
        (dict(balance_mode="bogus"), "balance_mode"),
    ],
)
def test_bad_parameters_name_the_parameter(kw, name):
    args = dict(N=10, w=1.0, b=0.0)
    args.update({k: v for k, v in kw.items() if k in args})
    extra = {k: v for k, v in kw.items() if k not in args}
    with pytest.raises(ValueError, match=rf"^{name} must\b"):  # the message starts with the parameter
        ensembles.base_matrix(args["N"], args["w"], args["b"], seeds.rng(0, ("x",)), **extra)
