"""Mean-field theory of the discrete tanh map (docs/models/metzner2025.md#mean-field-theory)."""

import numpy as np
import pytest
from scipy.integrate import quad

from rnnstruct.metzner import theory
from rnnstruct.numerics.phi import sech2


@pytest.mark.parametrize("g", [0.0, 0.5, 0.999, 1.0])
def test_no_field_below_transition(g):
    assert theory.field_variance(g) == 0.0


@pytest.mark.parametrize("g", [1.05, 1.5, 2.0, 4.0, 10.0])
def test_field_variance_solves_the_fixed_point(g):
    q = theory.field_variance(g)
    assert q > 0
    assert abs(g**2 * theory.gaussian_average(lambda h: np.tanh(h) ** 2, q) - q) < 1e-10 * max(q, 1)


@pytest.mark.parametrize("g", [0.2, 0.7, 0.95])
def test_lyapunov_below_transition_is_log_g(g):
    assert theory.lyapunov_max(g) == pytest.approx(np.log(g), abs=1e-14)


def test_lyapunov_continuous_and_positive_above_one():
    assert abs(theory.lyapunov_max(1.0)) < 1e-12
    vals = [theory.lyapunov_max(g) for g in (1.01, 1.5, 2.0, 3.0, 4.0)]
    assert 0 < vals[0] < 0.01 and np.all(np.diff(vals) > 0)


def test_onset_expansion():
    """g = 1 + eps.  With tanh^2 = h^2 - 2/3 h^4 + 17/45 h^6 and <h^2k> = (2k-1)!! q^k:
    1/g^2 = 1 - 2q + 17/3 q^2 (so q = eps + O(eps^2)) and <sech^4> = 1 - 2q + 7 q^2, hence
    lambda = 1/2 log(g^2 <sech^4>) = 1/2 log[(1 - 2q + 7q^2)/(1 - 2q + 17/3 q^2)]
    = 2/3 q^2 + O(q^3) = 2/3 eps^2 + O(eps^3)."""
    for eps in (1e-3, 5e-4):
        assert theory.field_variance(1 + eps) / eps == pytest.approx(1.0, abs=3 * eps)
        assert theory.lyapunov_max(1 + eps) / eps**2 == pytest.approx(2.0 / 3.0, abs=5 * eps)


@pytest.mark.parametrize("g", [1.05, 1.5, 3.0, 4.0, 8.0, 20.0])
def test_quadrature_against_adaptive_integration(g):
    q = theory.field_variance(g)
    for f in (lambda h: np.tanh(h) ** 2, lambda h: sech2(h), lambda h: sech2(h) ** 2):
        ref = quad(
            lambda h: np.exp(-h * h / (2 * q)) / np.sqrt(2 * np.pi * q) * f(h),
            -np.inf,
            np.inf,
            epsabs=1e-14,
            epsrel=1e-13,
            limit=500,
        )[0]
        assert abs(theory.gaussian_average(f, q) - ref) < 1e-12


def test_gauss_hermite_agrees_only_at_small_q():
    # documents why the trapezoidal rule is the default (module docstring)
    assert abs(theory.lyapunov_max(1.5, 128, "hermite") - theory.lyapunov_max(1.5)) < 1e-10
    assert abs(theory.lyapunov_max(8.0, 128, "hermite") - theory.lyapunov_max(8.0)) > 0.1
    with pytest.raises(ValueError, match="method"):
        theory.gaussian_average(np.tanh, 1.0, method="simpson")


def test_chaotic_state_is_white_and_pr_in_range():
    gs = np.linspace(1.05, 6, 20)
    nu = [g**2 * theory.mean_slope(g) ** 2 for g in gs]
    assert np.all(np.array(nu) < 1)  # the zero-lag-correlation fixed point is stable: white activity
    prx = np.array([theory.participation_ratio_states(g) for g in gs])
    prh = np.array([theory.participation_ratio_fields(g) for g in gs])
    assert np.all((prx > 0) & (prx < 1)) and np.all(np.diff(prx) > 0)
    assert np.all((prh > 0) & (prh < 0.5)) and np.all(prh < prx)
    assert np.isnan(theory.participation_ratio_states(0.8))
