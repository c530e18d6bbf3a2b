"""The simulator against exact identities, constructed systems and mean-field theory."""

import numpy as np
import pytest

from rnnstruct.metzner import dynamics, ensembles, theory
from rnnstruct.core import seeds
from rnnstruct.metzner.dynamics import REGIME_CODES

RUN = dict(n_transient=300, n_measure=400, max_period=50)


def gauss(N, g, key=0):
    return ensembles.base_matrix(N, g, 0.0, seeds.rng(1, ("dyn-test", N, g, key)))


def x_v(N, B, key=0):
    r = seeds.rng(2, ("xv", N, B, key))
    return r.uniform(-1, 1, (N, B)), r.standard_normal((N, B))


def naive_run(W, x, steps):
    for _ in range(steps):
        x = np.tanh(W @ x)
    return x


def test_tangent_matches_finite_differences():
    """Without transient, T * lambda_max = log ||J_T ... J_1 v0|| / ||v0||: compare with twins x0 ± eps v0."""
    N, T, eps = 60, 8, 1e-6
    W = gauss(N, 2.5)
    x0, v0 = x_v(N, 3)
    res = dynamics.simulate(W, x0, v0=v0, n_transient=0, n_measure=T, max_period=1)
    vhat = v0 / np.linalg.norm(v0, axis=0)
    diff = (naive_run(W, x0 + eps * vhat, T) - naive_run(W, x0 - eps * vhat, T)) / (2 * eps)
    fd = np.log(np.linalg.norm(diff, axis=0)) / T
    assert np.allclose(res.measures["lyap_max"], fd, atol=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("g", [1.5, 2.0, 3.0, 4.0])
def test_lyapunov_matches_mean_field(g):
    """Stated tolerance: |lambda_sim - lambda_MF| < 0.02 per step at N = 400 for w in [1.5, 4] (b = 0)."""
    N = 400
    lam = []
    for key in range(2):
        x0, v0 = x_v(N, 8, key)
        res = dynamics.simulate(gauss(N, g, key), x0, v0=v0, n_transient=300, n_measure=700, max_period=10)
        lam.append(res.measures["lyap_max"].mean())
    assert abs(np.mean(lam) - theory.lyapunov_max(g)) < 0.02


@pytest.mark.slow
@pytest.mark.parametrize("g", [2.5, 3.5])
def test_participation_ratio_matches_mean_field(g):
    """Stated tolerance: |PR_x/N - (1 - (g<phi'>)^4)| < 0.03 at N = 400 for w in [2, 4] (b = 0)."""
    N = 400
    W = gauss(N, g)
    x0, v0 = x_v(N, 16)
    res = dynamics.simulate(W, x0, n_transient=200, n_measure=600, max_period=10, cov_blocks=6)
    pr, se, naive = dynamics.participation_ratio_blocks(res.cov_n, res.cov_s1, res.cov_s2)
    assert abs(pr - theory.participation_ratio_states(g)) < 0.03
    prh, _, _ = dynamics.participation_ratio_blocks(res.cov_n, res.cov_s1, res.cov_s2, W=W)
    assert abs(prh - theory.participation_ratio_fields(g)) < 0.03


@pytest.mark.parametrize("g", [0.3, 0.6, 0.9])
def test_quiescent_below_one_and_lambda_is_log_spectral_radius(g):
    """At the zero fixed point the tangent map is W itself: lambda_max -> log rho(W)."""
    N = 200
    W = gauss(N, g)
    x0, v0 = x_v(N, 2)
    res = dynamics.simulate(W, x0, v0=v0, n_transient=1000, n_measure=1000, max_period=10)
    m = res.measures
    code = dynamics.classify_regime(m["mean_abs"], m["fluctuation"], m["lyap_max"], m["period"])
    assert np.all(code == REGIME_CODES["quiescent_fixed_point"])
    rho = np.abs(np.linalg.eigvals(W)).max()
    assert np.allclose(m["lyap_max"], np.log(rho), atol=0.01)
    assert np.all(m["period"] == 1) and np.all(m["corr1"] > 0.99)


def regime_of(W, x0, **kw):
    m = dynamics.simulate(W, x0, v0=np.ones_like(x0), **{**RUN, **kw}).measures
    return dynamics.classify_regime(m["mean_abs"], m["fluctuation"], m["lyap_max"], m["period"]), m


def test_constructed_regimes():
    N = 12
    x0 = seeds.rng(0, ("x0",)).uniform(-1, 1, (N, 2))
    code, m = regime_of(3.0 * np.eye(N), x0)  # x -> tanh(3x): fixed point +-0.995
    assert np.all(code == REGIME_CODES["saturated_fixed_point"]) and np.all(m["period"] == 1)
    assert np.all(m["fluctuation"] == 0) and np.all(m["corr1"] == 1)
    code, m = regime_of(-3.0 * np.eye(N), x0)  # x -> tanh(-3x): period-2 flip
    assert np.all(code == REGIME_CODES["periodic"]) and np.all(m["period"] == 2)
    assert np.allclose(m["corr1"], -1.0) and np.all(m["lyap_max"] < 0)
    P = 3.0 * np.roll(np.eye(3), 1, axis=0)  # x_i(t+1) = tanh(3 x_{i-1}(t)): pattern rotates
    code, m = regime_of(P, np.array([[1.0], [1.0], [-1.0]]))
    assert m["period"][0] == 3 and code[0] == REGIME_CODES["periodic"]
    code, m = regime_of(gauss(300, 3.0), x_v(300, 2)[0])
    assert np.all(code == REGIME_CODES["chaotic"]) and np.all(m["period"] == 0)


def test_zero_matrix_gives_minus_infinity_not_nan():
    m = dynamics.simulate(np.zeros((5, 5)), np.ones((5, 1)), v0=np.ones((5, 1)), **RUN).measures
    assert m["lyap_max"][0] == -np.inf and m["mean_abs"][0] == 0


def test_saturated_lyapunov_is_exact_in_log_domain():
    """Deep saturation: 1 - x^2 rounds to 0 in float64; lambda must still equal log rho(D W)."""
    N = 50
    W = ensembles.base_matrix(N, 8.0, 1.0, seeds.rng(4, ("sat",)))  # all excitatory: |h| ~ 45
    x0 = np.full((N, 1), 0.5)
    res = dynamics.simulate(W, x0, v0=np.ones((N, 1)), n_transient=50, n_measure=200, max_period=5)
    lam = res.measures["lyap_max"][0]
    h = W @ res.final_state[:, 0]
    assert np.all(1 - np.tanh(h) ** 2 == 0)  # the naive derivative is exactly zero
    e = np.exp(-2 * np.abs(h))
    D = 4 * e / (1 + e) ** 2  # sech^2 without underflow
    expected = np.log(np.abs(np.linalg.eigvals(D[:, None] * W)).max())
    assert np.isfinite(lam) and lam == pytest.approx(expected, abs=1e-6)


def test_stack_equals_one_by_one_bitwise():
    """A matrix gives the same bits alone or in any batch, including next to a saturated matrix
    whose tangent needs the log-domain rescue."""
    Ws = [gauss(40, g, k) for k, g in enumerate((0.5, 1.5, 2.5, 3.5))]
    Ws.append(ensembles.base_matrix(40, 8.0, 1.0, seeds.rng(4, ("sat",))))
    Ws = np.stack(Ws)
    X0 = np.stack([x_v(40, 1, k)[0] for k in range(5)])
    V0 = np.stack([x_v(40, 1, k)[1] for k in range(5)])
    stacked = dynamics.simulate(Ws, X0, v0=V0, **RUN).measures
    assert stacked["lyap_max"][4, 0] < -20  # the saturated one went through the rescue
    for k in range(5):
        single = dynamics.simulate(Ws[k], X0[k], v0=V0[k], **RUN).measures
        for name in dynamics.MEASURES:
            assert np.array_equal(stacked[name][k], single[name]), name


def test_measures_of_a_known_sequence():
    """Diagonal W: every neuron runs its own scalar map; compare each measure with a direct computation."""
    a = np.array([0.5, 2.0, -2.0, 1.2])
    W = np.diag(a)
    x0 = np.array([[0.3], [-0.7], [0.9], [0.1]])
    T0, T = 5, 40
    m = dynamics.simulate(W, x0, n_transient=T0, n_measure=T, max_period=4, buffer_steps=7).measures
    xs = [x0[:, 0]]
    for _ in range(T0 + T):
        xs.append(np.tanh(a * xs[-1]))
    X = np.array(xs[T0 + 1 :])  # the measured window x(T0+1) .. x(T0+T)
    assert m["mean_abs"][0] == pytest.approx(np.abs(X).mean(), rel=1e-12)
    assert m["sat_frac"][0] == pytest.approx((np.abs(X) > 0.95).mean(), rel=1e-12)
    assert m["fluctuation"][0] == pytest.approx(X.std(axis=0).mean(), rel=1e-9)
    corr = [np.corrcoef(X[:-1, i], X[1:, i])[0, 1] if X[:, i].std() > 1e-12 else 1.0 for i in range(4)]
    assert m["corr1"][0] == pytest.approx(np.mean(corr), rel=1e-7)
    M = X.mean(axis=1)
    assert m["global_mean"][0] == pytest.approx(M.mean(), rel=1e-12)
    assert m["global_std"][0] == pytest.approx(M.std(), rel=1e-7)


def test_nan_weights_name_the_parameters():
    W = gauss(10, 1.0)
    W[2, 3] = np.nan
    with pytest.raises(FloatingPointError, match="w=1, b=0, rep=3"):
        dynamics.simulate(W, np.zeros((10, 1)), labels=["w=1, b=0, rep=3"], **RUN)


def test_nan_from_a_drive_is_an_error_naming_the_run():
    W = gauss(10, 1.0)
    with pytest.raises(FloatingPointError, match="driven run 7"):
        dynamics.simulate(
            W, np.zeros((10, 1)), drive=lambda t: np.nan if t == 350 else 0.0, labels=["driven run 7"], **RUN
        )


def test_input_validation():
    with pytest.raises(ValueError, match="max_period"):
        dynamics.simulate(np.eye(3), np.ones((3, 1)), n_transient=0, n_measure=10, max_period=6)
    with pytest.raises(ValueError, match="cov_blocks"):
        dynamics.simulate(np.eye(3), np.ones((3, 1)), n_transient=0, n_measure=10, max_period=2, cov_blocks=3)
    with pytest.raises(ValueError, match="x0"):
        dynamics.simulate(np.eye(3), np.ones((4, 1)), n_transient=0, n_measure=10, max_period=2)


def test_cross_block_estimator_unbiased_where_naive_is_not():
    """Synthetic Gaussian samples with a known covariance and fewer samples per block than N."""
    N, K, n = 200, 8, 30
    lam = 1.0 / (1.0 + np.arange(N)) ** 0.5  # covariance eigenvalues
    truth = lam.sum() ** 2 / (N * (lam**2).sum())
    rng = seeds.rng(9, ("pr-synthetic",))
    cross, naive = [], []
    for _ in range(6):
        s1, s2 = np.zeros((K, N)), np.zeros((K, N, N))
        for k in range(K):
            Y = np.sqrt(lam)[:, None] * rng.standard_normal((N, n))
            s1[k], s2[k] = Y.sum(axis=1), Y @ Y.T
        pr, se, nv = dynamics.participation_ratio_blocks(np.full(K, float(n)), s1, s2)
        cross.append(pr)
        naive.append(nv)
    assert abs(np.mean(cross) / truth - 1) < 0.03
    assert np.mean(naive) / truth - 1 < -0.2  # the naive estimator is biased low


def test_record_sees_every_state_and_the_drive():
    N, T = 20, 15
    W = gauss(N, 1.5)
    x0 = x_v(N, 2)[0]
    drive = seeds.rng(5, ("drive",)).standard_normal((T, N, 2))
    seen = []
    dynamics.simulate(
        W,
        x0,
        n_transient=5,
        n_measure=10,
        max_period=2,
        drive=lambda t: drive[t],
        record=lambda t, X: seen.append((t, X[0].copy())),
    )
    assert [t for t, _ in seen] == list(range(T))
    x = x0
    for t in range(T):
        x = np.tanh(W @ x + drive[t])
        assert np.allclose(seen[t][1], x, atol=1e-14)
