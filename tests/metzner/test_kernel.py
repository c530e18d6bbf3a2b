"""The compiled sweep kernel (rnnstruct.metzner.kernel) against the numpy reference kernel.

Equivalence is to float64 round-off wherever the dynamics does not amplify it: fixed points (quiescent and
saturated), periodic orbits and every transient; chaotic runs amplify a one-ulp difference by e^{lambda t},
so there the two kernels are compared on short runs (tolerance scaled by the measured growth) and on the
regime label of long runs.  Determinism is bitwise: the same call twice, a matrix alone or in any stack.
"""

import numpy as np
import pytest

from rnnstruct.core import seeds
from rnnstruct.metzner import dynamics, ensembles, kernel
from rnnstruct.metzner import reservoir as rv

N = 60
#: (w, b) of the base ensemble covering every regime at N = 60 (labels checked below, not assumed)
POINTS = [(w, b) for w in (0.3, 0.8, 1.2, 2.0, 3.0, 4.0, 6.0) for b in (-1.0, -0.6, -0.2, 0.0, 0.3, 0.7, 1.0)]
LONG = dict(n_transient=500, n_measure=500, max_period=50)
SHORT = dict(n_transient=0, n_measure=30, max_period=5)
ROUND_OFF = dict(rtol=1e-10, atol=1e-12)


def stack(points, n=N, key="kernel-test"):
    W = np.stack([ensembles.base_matrix(n, w, b, seeds.rng(7, (key, w, b))) for w, b in points])
    r = seeds.rng(8, (key, "x", n, len(points)))
    return W, r.uniform(-1, 1, (len(points), n, 1)), r.standard_normal((len(points), n, 1))


def regimes(m):
    return dynamics.classify_regime(m["mean_abs"], m["fluctuation"], m["lyap_max"], m["period"])


@pytest.fixture(scope="module")
def long_runs():
    W, x0, v0 = stack(POINTS)
    ref = dynamics.simulate(W, x0, v0=v0, **LONG).measures
    new = kernel.simulate_stack(W, x0, v0=v0, **LONG).measures
    return W, x0, v0, ref, new


def test_every_regime_is_covered(long_runs):
    *_, ref, _ = long_runs
    codes = set(regimes(ref)[:, 0].tolist())
    assert {0, 1, 2, 3} <= codes  # quiescent, saturated, periodic and chaotic runs are all in the test set


def test_regime_labels_and_periods_equal_the_numpy_kernel(long_runs):
    *_, ref, new = long_runs
    assert np.array_equal(regimes(ref), regimes(new))
    assert np.array_equal(ref["period"], new["period"])


def test_non_chaotic_measures_equal_to_round_off(long_runs):
    """Every run that the reference calls non-chaotic agrees to round-off on every measure, lambda included."""
    *_, ref, new = long_runs
    calm = ref["lyap_max"][:, 0] < 0
    assert calm.sum() >= 30
    for name in dynamics.MEASURES:
        assert np.allclose(new[name][calm], ref[name][calm], **ROUND_OFF), name


def test_chaotic_runs_agree_before_round_off_grows():
    """On 30 steps from the same state a round-off difference grows by at most e^{30 lambda} ~ 1e4."""
    chaotic = [(w, b) for w, b in POINTS if w >= 2.0 and b in (-0.2, 0.0)]
    W, x0, v0 = stack(chaotic)
    ref = dynamics.simulate(W, x0, v0=v0, **SHORT).measures
    new = kernel.simulate_stack(W, x0, v0=v0, **SHORT).measures
    assert np.all(ref["lyap_max"] > 0.05)  # expanding on this window
    for name in dynamics.MEASURES:
        assert np.allclose(new[name], ref[name], rtol=1e-9, atol=1e-10), name


def test_zero_matrix_and_deep_saturation():
    """W = 0: lambda = -inf exactly; w = 8, b = 1: 1 - x^2 rounds to 0, lambda = log rho(D W) all the same."""
    m = kernel.simulate_stack(np.zeros((5, 5)), np.ones((5, 1)), v0=np.ones((5, 1)), **SHORT).measures
    assert m["lyap_max"][0] == -np.inf and m["mean_abs"][0] == 0
    n = 50
    W = ensembles.base_matrix(n, 8.0, 1.0, seeds.rng(4, ("sat",)))
    res = kernel.simulate_stack(W, np.full((n, 1), 0.5), v0=np.ones((n, 1)), n_transient=50, n_measure=200, max_period=5)
    h = W @ res.final_state[:, 0]
    assert np.all(1 - np.tanh(h) ** 2 == 0)
    e = np.exp(-2 * np.abs(h))
    expected = np.log(np.abs(np.linalg.eigvals((4 * e / (1 + e) ** 2)[:, None] * W)).max())
    assert res.measures["lyap_max"][0] == pytest.approx(expected, abs=1e-6)
    ref = dynamics.simulate(W, np.full((n, 1), 0.5), v0=np.ones((n, 1)), n_transient=50, n_measure=200, max_period=5)
    assert res.measures["lyap_max"][0] == pytest.approx(ref.measures["lyap_max"][0], rel=1e-12)


def test_bitwise_deterministic_and_batch_independent():
    """Twice the same call, one matrix alone, and the stack reversed: identical bits."""
    pts = [(0.8, 0.0), (2.0, 0.0), (4.0, 0.7), (4.0, -0.6), (8.0, 1.0)]
    W, x0, v0 = stack(pts, n=40, key="kernel-bits")
    a = kernel.simulate_stack(W, x0, v0=v0, **LONG).measures
    b = kernel.simulate_stack(W, x0, v0=v0, **LONG).measures
    rev = kernel.simulate_stack(W[::-1], x0[::-1], v0=v0[::-1], **LONG).measures
    for k in range(len(pts)):
        one = kernel.simulate_stack(W[k], x0[k], v0=v0[k], **LONG).measures
        for name in dynamics.MEASURES:
            assert np.array_equal(a[name][k], b[name][k]), name
            assert np.array_equal(a[name][k], one[name]), name
            assert np.array_equal(a[name][k], rev[name][len(pts) - 1 - k]), name


def test_several_trajectories_and_no_tangent():
    W, _, _ = stack([(0.8, 0.3), (4.0, -0.6)], key="kernel-multi")
    r = seeds.rng(9, ("multi",))
    x0 = r.uniform(-1, 1, (2, N, 3))
    ref = dynamics.simulate(W, x0, **LONG).measures
    new = kernel.simulate_stack(W, x0, **LONG).measures
    assert np.all(np.isnan(new["lyap_max"]))
    for name in dynamics.MEASURES:
        if name != "lyap_max":
            assert np.allclose(new[name], ref[name], **ROUND_OFF), name


def test_checks_and_messages_are_the_numpy_kernels():
    W = ensembles.base_matrix(10, 1.0, 0.0, seeds.rng(1, ("nan",)))
    W[2, 3] = np.nan
    with pytest.raises(FloatingPointError, match="w=1, b=0, rep=3"):
        kernel.simulate_stack(W, np.zeros((10, 1)), labels=["w=1, b=0, rep=3"], **SHORT)
    with pytest.raises(ValueError, match="max_period"):
        kernel.simulate_stack(np.eye(3), np.ones((3, 1)), n_transient=0, n_measure=10, max_period=6)
    with pytest.raises(ValueError, match="v0"):
        kernel.simulate_stack(np.eye(3), np.ones((3, 1)), v0=np.zeros((3, 1)), **SHORT)


def test_harvest_equals_the_numpy_kernel_and_is_deterministic():
    """Driven reservoirs (contracting or saturated under input): states and driven lambda to round-off."""
    R, n, S, D, T = 4, 50, 3, 2, 120
    W, _, _ = stack([(0.5, 0.0), (1.0, 0.2), (4.0, 0.8), (3.0, -0.6)], n=n, key="kernel-harvest")
    r = seeds.rng(10, ("harvest",))
    Win, x0 = r.standard_normal((R, n, D)), r.uniform(-1, 1, (R, n, S))
    v0, inputs = r.standard_normal((R, n, S)), r.standard_normal((R, T, S, D))
    ref_states, ref_lam = rv.harvest(W, Win, x0, inputs, washout=20, v0=v0, kernel="numpy")
    states, lam = rv.harvest(W, Win, x0, inputs, washout=20, v0=v0)
    assert np.allclose(states, ref_states, rtol=0, atol=1e-12)
    assert np.allclose(lam, ref_lam, rtol=1e-10, atol=1e-12)
    again, lam2 = rv.harvest(W[::-1], Win[::-1], x0[::-1], inputs[::-1], washout=20, v0=v0[::-1])
    assert np.array_equal(again[::-1], states) and np.array_equal(lam2[::-1], lam)
    plain, nolam = rv.harvest(W, Win, x0, inputs, washout=20)
    assert np.array_equal(plain, states) and np.all(np.isnan(nolam))


def test_float64_stays_local_to_the_kernel():
    """The kernel switches x64 on only inside its calls: JAX users next to it (Jarne's float32 training)
    keep their defaults."""
    import jax.numpy as jnp

    kernel.simulate_stack(np.eye(3), np.ones((3, 1)), **SHORT)
    assert jnp.ones(2).dtype == jnp.float32
