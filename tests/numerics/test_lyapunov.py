"""Lyapunov spectra (rnnstruct.numerics.lyapunov) against finite differences, a plain numpy reference, exact
identities, linear theory at the fixed point, a perturbed twin and mean-field theory."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.linalg import block_diag
from scipy.special import erf

from rnnstruct.numerics import lyapunov as ly
from rnnstruct.metzner import theory

REPO = Path(__file__).resolve().parents[2]


def gauss(N, g, key=0):
    return g * np.random.default_rng([7, N, key]).standard_normal((N, N)) / math.sqrt(N)


def start(N, key=0):
    return np.random.default_rng([8, N, key]).uniform(-1.0, 1.0, N)


def tanh_map(W, x, steps):
    for _ in range(steps):
        x = np.tanh(W @ x)
    return x


def phi_of(name):
    if name == "erf":
        return lambda y: erf(math.sqrt(math.pi) / 2 * y), lambda y: np.exp(-math.pi * y**2 / 4)
    return np.tanh, lambda y: 1.0 / np.cosh(y) ** 2


def rk4_state(J, G, phi, x, dt):
    """One RK4 step written out independently (same operation order as the module, so same bits)."""

    def f(y):
        return -y + J @ (G * phi(y))

    k1 = f(x)
    x2 = x + (0.5 * dt) * k1
    k2 = f(x2)
    x3 = x + (0.5 * dt) * k2
    k3 = f(x3)
    x4 = x + dt * k3
    k4 = f(x4)
    return x + (dt / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4), (x, x2, x3, x4)


def rk4_jacobian(J, G, dphi, stages, dt):
    """The explicit N x N Jacobian of one RK4 step (reference only)."""
    N = J.shape[0]
    eye = np.eye(N)
    A = [-eye + J * (G * dphi(y))[None, :] for y in stages]
    K1 = A[0]
    K2 = A[1] @ (eye + dt / 2 * K1)
    K3 = A[2] @ (eye + dt / 2 * K2)
    K4 = A[3] @ (eye + dt * K3)
    return eye + dt / 6 * (K1 + 2 * K2 + 2 * K3 + K4)


# ---------------------------------------------------------------------------------------------
# 1. tangent propagation against finite differences
# ---------------------------------------------------------------------------------------------


def test_map_tangent_matches_finite_differences():
    """propagate_map's block over 6 steps equals (F^6(x + eps q) - F^6(x - eps q)) / 2 eps, eps = 1e-6,
    to 1e-6 relative to its largest entry (truncation O(eps^2), rounding O(1e-16 / eps)).  The
    state is bit-identical to a plain tanh loop.  map_spectrum with one QR over the same 6 steps
    gives |det R| = the volume of the finite-difference block and final_Q spans it (1e-6)."""
    N, T, eps = 30, 6, 1e-6
    W = gauss(N, 2.5)
    x0 = start(N)
    Q0 = np.linalg.qr(np.random.default_rng(1).standard_normal((N, 3)))[0]
    x, Q = ly.propagate_map(W, x0, Q0, T)
    assert np.array_equal(x, tanh_map(W, x0, T))
    fd = np.column_stack(
        [(tanh_map(W, x0 + eps * q, T) - tanh_map(W, x0 - eps * q, T)) / (2 * eps) for q in Q0.T]
    )
    assert np.max(np.abs(Q - fd)) < 1e-6 * np.max(np.abs(fd))

    res = ly.map_spectrum(
        W, x0, 3, n_transient=0, n_ons_transient=0, n_steps=T, qr_every=T, n_blocks=1, seed_Q=Q0
    )
    volume = 0.5 * np.linalg.slogdet(fd.T @ fd)[1]
    assert abs(res.block_sums.sum() - volume) < 1e-6
    P = res.final_Q @ res.final_Q.T
    assert np.max(np.abs(fd - P @ fd)) < 1e-6 * np.max(np.abs(fd))


@pytest.mark.parametrize("phi", ["erf", "tanh"])
def test_flow_tangent_matches_finite_differences(phi):
    """The exact tangent of 20 RK4 steps (dt = 0.05, random gains) equals the central difference of
    an independently written RK4 integrator, eps = 1e-6, to 1e-6 relative; the state agrees to 1e-12."""
    N, T, eps, dt = 30, 20, 1e-6, 0.05
    J = gauss(N, 2.0, key=1)
    G = np.random.default_rng(2).uniform(0.5, 1.5, N)
    f_phi, _ = phi_of(phi)
    x0 = 2.0 * start(N, key=1)
    Q0 = np.linalg.qr(np.random.default_rng(3).standard_normal((N, 4)))[0]

    def integrate(x):
        for _ in range(T):
            x, _ = rk4_state(J, G, f_phi, x, dt)
        return x

    x, Q = ly.propagate_flow(J, x0, Q0, T, phi=phi, dt=dt, gains=G)
    assert np.max(np.abs(x - integrate(x0))) < 1e-12
    fd = np.column_stack([(integrate(x0 + eps * q) - integrate(x0 - eps * q)) / (2 * eps) for q in Q0.T])
    assert np.max(np.abs(Q - fd)) < 1e-6 * np.max(np.abs(fd))


# ---------------------------------------------------------------------------------------------
# 2. QR exponents against a plain numpy reference with explicit Jacobians
# ---------------------------------------------------------------------------------------------


def reference_map_spectrum(W, x0, Q0, n_transient, n_ons, n_steps):
    x = tanh_map(W, x0, n_transient)
    Q = np.linalg.qr(Q0)[0]
    acc = np.zeros(Q.shape[1])
    for t in range(n_ons + n_steps):
        h = W @ x
        x = np.tanh(h)
        jac = (1.0 / np.cosh(h) ** 2)[:, None] * W
        Q, R = np.linalg.qr(jac @ Q)
        if t >= n_ons:
            acc += np.log(np.abs(np.diag(R)))
    return np.sort(acc / n_steps)[::-1], x


@pytest.mark.parametrize("k", [20, 7])
def test_map_spectrum_matches_numpy_reference(k):
    """N = 20, g = 2.5 (chaotic): QR every step with explicit Jacobian matrices, same x0 and Q0;
    exponents agree to 1e-10, final states exactly."""
    N = 20
    W = gauss(N, 2.5, key=2)
    x0 = start(N, key=2)
    Q0 = np.random.default_rng(4).standard_normal((N, k))
    ref, x_ref = reference_map_spectrum(W, x0, Q0, 50, 50, 300)
    res = ly.map_spectrum(W, x0, k, n_transient=50, n_ons_transient=50, n_steps=300, n_blocks=3, seed_Q=Q0)
    assert np.max(np.abs(res.exponents - ref)) < 1e-10
    assert np.array_equal(res.final_state, x_ref)
    assert np.allclose(res.final_Q.T @ res.final_Q, np.eye(k), atol=1e-12)


def test_flow_spectrum_matches_numpy_reference():
    """N = 16, g = 3 (chaotic over this window), phi = erf, random gains: explicit RK4-step
    Jacobians, QR every step, same x0 and Q0; exponents agree to 1e-10."""
    N, dt = 16, 0.05
    J = gauss(N, 3.0, key=6)
    G = np.random.default_rng(5).uniform(0.5, 1.5, N)
    phi, dphi = phi_of("erf")
    x = 2.0 * start(N, key=6)
    Q0 = np.random.default_rng(6).standard_normal((N, N))
    res = ly.flow_spectrum(
        J, x, N, gains=G, dt=dt, t_transient=5.0, t_ons_transient=5.0, t_total=20.0, n_blocks=4, seed_Q=Q0
    )
    for _ in range(100):
        x, _ = rk4_state(J, G, phi, x, dt)
    Q = np.linalg.qr(Q0)[0]
    acc = np.zeros(N)
    for t in range(500):
        x, stages = rk4_state(J, G, phi, x, dt)
        Q, R = np.linalg.qr(rk4_jacobian(J, G, dphi, stages, dt) @ Q)
        if t >= 100:
            acc += np.log(np.abs(np.diag(R)))
    ref = np.sort(acc / 20.0)[::-1]
    assert np.max(np.abs(res.exponents - ref)) < 1e-10
    assert res.exponents[0] > 0.01  # the test case is chaotic
    assert np.allclose(res.block_time, 5.0) and res.time_base == "tau"


# ---------------------------------------------------------------------------------------------
# 3. sum of all exponents = time-averaged log |det Jacobian|
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("g, qr_every", [(3.0, 1), (2.0, 2)])
def test_sum_of_exponents_is_mean_log_det(g, qr_every):
    """Map, N = 25, k = N: sum_i lambda_i = <sum_i log sech^2 h_i(t)> + log|det W| over the same 400
    steps, to 1e-8 relative (per QR it is an identity, up to rounding amplified by the block's
    condition number, here below 1e8: max_log10_cond ~ 7)."""
    N, n_tr, n_ons, T = 25, 40, 40, 400
    W = gauss(N, g, key=4)
    x0 = start(N, key=4)
    res = ly.map_spectrum(W, x0, N, n_transient=n_tr, n_ons_transient=n_ons, n_steps=T, qr_every=qr_every)
    x = tanh_map(W, x0, n_tr + n_ons)
    acc = 0.0
    for _ in range(T):
        h = W @ x
        x = np.tanh(h)
        acc += np.sum(np.log(1.0 / np.cosh(h) ** 2))
    expected = acc / T + np.linalg.slogdet(W)[1]
    assert res.max_log10_cond < 8
    assert abs(res.exponents.sum() - expected) < 1e-8 * abs(expected)


def test_ill_conditioned_interval_is_flagged():
    """The same identity with g = 3 and qr_every = 4: the interval block's condition number exceeds
    1e16 (max_log10_cond > 16), the weakest directions are lost and the sum is off by > 0.1 %: the
    diagnostic flags what the documentation warns about."""
    N = 25
    W = gauss(N, 3.0, key=4)
    x0 = start(N, key=4)
    run = dict(n_transient=40, n_ons_transient=40, n_steps=400)
    good = ly.map_spectrum(W, x0, N, qr_every=1, **run)
    bad = ly.map_spectrum(W, x0, N, qr_every=4, **run)
    assert good.max_log10_cond < 8 < 16 < bad.max_log10_cond
    assert abs(bad.exponents.sum() - good.exponents.sum()) > 1e-3 * abs(good.exponents.sum())
    assert np.max(np.abs(bad.exponents[:3] - good.exponents[:3])) < 1e-8  # the leading ones are fine


# ---------------------------------------------------------------------------------------------
# 4. Jacobian lambda_max against the perturbed twin
# ---------------------------------------------------------------------------------------------


def test_map_lambda_max_matches_twin():
    """N = 100, g = 3: the QR lambda_1 and the twin (eps = 1e-8, renormalised every step) follow the
    same trajectory (bit-identical states) from independent start directions, both aligned over 400
    steps, then 2000 accumulated steps.  They differ by the leftover misalignment / T, O(eps) and
    rounding ~1e-16/eps per step (measured 1.3e-7): tolerance 1e-4, i.e. 100x below the 0.01 per step
    of a statistical comparison."""
    N = 100
    W = gauss(N, 3.0, key=5)
    x1 = tanh_map(W, start(N, key=5), 200)
    res = ly.map_spectrum(W, x1, 1, n_transient=0, n_ons_transient=400, n_steps=2000)
    twin = ly.twin_lambda_max(W, x1, kind="map", n_transient=400, n_steps=2000)
    assert res.exponents[0] > 0.1
    assert abs(res.exponents[0] - twin) < 1e-4


def test_flow_lambda_max_matches_twin():
    """N = 60, g = 2.5, erf: as for the map, RK4 steps, twin renormalised every 5 steps; 40 time units
    of alignment, 100 accumulated: tolerance 1e-4 per unit time (measured 3e-8)."""
    N, dt = 60, 0.05
    J = gauss(N, 2.5, key=6)
    x1 = ly.propagate_flow(J, start(N, key=6), np.zeros(N), 400, dt=dt)[0]
    res = ly.flow_spectrum(J, x1, 1, t_transient=0.0, t_ons_transient=40.0, t_total=100.0)
    twin = ly.twin_lambda_max(J, x1, kind="flow", renorm_every=5, n_transient=800, n_steps=2000)
    assert res.exponents[0] > 0.05
    assert abs(res.exponents[0] - twin) < 1e-4


# ---------------------------------------------------------------------------------------------
# 5. below the transition: exponents of the linearisation at x = 0
# ---------------------------------------------------------------------------------------------


def leading_sums_agree(exponents, reference, tol):
    """Cumulative sums lambda_1 + ... + lambda_j for j that do not split a complex-conjugate pair."""
    k = exponents.size
    cut = [j for j in range(1, k + 1) if reference[j - 1] - reference[j] > 1e-6]
    diff = np.abs(np.cumsum(exponents) - np.cumsum(reference[:k]))
    return len(cut) >= 3 and np.all(diff[np.array(cut) - 1] < tol)


def test_map_fixed_point_exponents_are_log_abs_eigenvalues():
    """g = 0.5, N = 30, k = 10: the state decays to 0 (exactly), the tangent map is W, so the
    exponents are log|mu_i(W)| sorted.  Individually to 2e-4 (the two members of a complex pair
    converge like 1/T, T = 5000; measured 1.4e-5); sums over whole pairs converge exponentially
    (smallest gap 0.01 per step, 2000 alignment steps): to 1e-10."""
    N, k = 30, 10
    W = gauss(N, 0.5, key=7)
    res = ly.map_spectrum(W, start(N, key=7), k, n_transient=2000, n_ons_transient=2000, n_steps=5000)
    ref = np.sort(np.log(np.abs(np.linalg.eigvals(W))))[::-1]
    assert np.all(res.final_state == 0.0)
    assert np.max(np.abs(res.exponents - ref[:k])) < 2e-4
    assert leading_sums_agree(res.exponents, ref, 1e-10)


def test_flow_fixed_point_exponents_are_real_parts():
    """g = 0.6, N = 20, random gains, erf: at x = 0 (phi'(0) = 1) the flow's exponents are
    -1 + Re mu_i(J diag G), individually to 2e-3 after 400 time units (complex pairs converge like
    1/T; measured 4e-4).  The exact exponents of the RK4 step map are log|P(dt mu)| / dt with P the
    RK4 stability polynomial (they differ from -1 + Re mu by ~2e-8 here): sums over whole pairs
    agree with them to 1e-6 (smallest gap 0.04, 300 time units of alignment)."""
    N, k, dt = 20, 8, 0.05
    J = gauss(N, 0.6, key=8)
    G = np.random.default_rng(9).uniform(0.5, 1.5, N)
    res = ly.flow_spectrum(
        J, start(N, key=8), k, gains=G, t_transient=100.0, t_ons_transient=300.0, t_total=400.0
    )
    mu = np.linalg.eigvals(J * G[None, :]) - 1.0
    z = dt * mu
    rk4 = np.sort(np.log(np.abs(1 + z + z**2 / 2 + z**3 / 6 + z**4 / 24)) / dt)[::-1]
    assert np.max(np.abs(res.exponents - np.sort(mu.real)[::-1][:k])) < 2e-3
    assert leading_sums_agree(res.exponents, rk4, 1e-6)


# ---------------------------------------------------------------------------------------------
# 6. mean-field lambda_max of the i.i.d. map
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("g", [2.0, 3.0])
def test_lambda_max_matches_mean_field(g):
    """N = 1000, W_ij ~ N(0, g^2/N), k = 1, 1000 measured steps: |lambda_1 - theory.lyapunov_max(g)|
    < 0.02 per step (measured deviations 3e-4 at g = 2, 2e-3 at g = 3; block standard errors 1e-3, 2e-3)."""
    N = 1000
    W = gauss(N, g, key=10)
    res = ly.map_spectrum(W, start(N, key=10), 1, n_transient=200, n_ons_transient=100, n_steps=1000)
    assert abs(res.exponents[0] - theory.lyapunov_max(g)) < 0.02


# ---------------------------------------------------------------------------------------------
# 7. derived quantities on hand-made spectra
# ---------------------------------------------------------------------------------------------


def test_kaplan_yorke_ks_entropy_unstable_fraction():
    """Hand-computed values (exact up to rounding, 1e-12)."""
    lam = [0.5, 0.1, -0.3, -1.0]  # partial sums 0.5, 0.6, 0.3, -0.7 -> j = 3, D = 3 + 0.3 / 1.0
    assert ly.kaplan_yorke_dimension(lam) == pytest.approx(3.3, abs=1e-12)
    assert ly.kaplan_yorke_dimension(lam[::-1]) == pytest.approx(3.3, abs=1e-12)  # sorted first
    assert ly.kaplan_yorke_dimension([0.2, -0.1, -0.4]) == pytest.approx(2.25, abs=1e-12)  # 2 + 0.1/0.4
    assert ly.kaplan_yorke_dimension([0.0, -1.0]) == 1.0  # limit cycle
    assert ly.kaplan_yorke_dimension([-0.1, -0.5]) == 0.0  # all negative: fixed point
    assert ly.kaplan_yorke_dimension([0.3, 0.1]) == 2.0  # all positive: all k given
    assert ly.kaplan_yorke_dimension([0.3, -np.inf]) == 1.0
    assert ly.ks_entropy_rate(lam) == pytest.approx(0.6, abs=1e-12)
    assert ly.ks_entropy_rate([-0.1, -0.5]) == 0.0
    assert ly.unstable_fraction(lam, 10) == pytest.approx(0.2, abs=1e-12)
    assert ly.unstable_fraction([0.0, -1.0], 2) == 0.0
    with pytest.raises(ValueError, match="NaN"):
        ly.kaplan_yorke_dimension([0.1, np.nan])
    with pytest.raises(ValueError, match="exponents for N = 3"):
        ly.unstable_fraction(lam, 3)


# ---------------------------------------------------------------------------------------------
# 8. QR interval, blocks, k
# ---------------------------------------------------------------------------------------------


def test_qr_every_blocks_and_k_do_not_change_the_result():
    """N = 40, g = 2, k = 4 (well conditioned: log10 cond < 3 over 10 steps).  The diagonal of R
    of a product is the product of the per-step diagonals, so qr_every in {1, 5, 10} gives the
    same exponents (1e-10); the block split does not change them (1e-13) and the blocks' mean is
    the exponents; lambda_1 with k = 1 equals lambda_1 with k = 4 (1e-12, QR column 1 depends only
    on column 1) on the bit-identical trajectory."""
    N, k = 40, 4
    W = gauss(N, 2.0, key=11)
    x0 = start(N, key=11)
    run = dict(n_transient=100, n_ons_transient=100, n_steps=1000)
    base = ly.map_spectrum(W, x0, k, qr_every=1, **run)
    assert base.exponents[0] > 0.01
    for q in (5, 10):
        other = ly.map_spectrum(W, x0, k, qr_every=q, **run)
        assert other.max_log10_cond < 3
        assert np.max(np.abs(other.exponents - base.exponents)) < 1e-10
        assert np.array_equal(other.final_state, base.final_state)
    one_block = ly.map_spectrum(W, x0, k, n_blocks=1, **run)
    assert np.max(np.abs(one_block.exponents - base.exponents)) < 1e-13
    mean, se = ly.exponents_with_errors(base)
    assert np.array_equal(mean, base.exponents)
    assert base.block_sums.shape == (10, k) and np.all(base.block_time == 100.0)
    assert np.all(np.isfinite(se) & (se > 0))
    assert np.all(np.isnan(ly.exponents_with_errors(one_block)[1]))
    assert np.all(np.diff(base.exponents) <= 0)
    k1 = ly.map_spectrum(W, x0, 1, **run)
    assert abs(k1.exponents[0] - base.exponents[0]) < 1e-12
    assert np.array_equal(k1.final_state, base.final_state)


# ---------------------------------------------------------------------------------------------
# saturation, singular maps, validation
# ---------------------------------------------------------------------------------------------


def test_saturated_derivative_is_computed_from_the_field():
    """W = 30 I: fixed points x = +-1 with h = +-30, where 1 - x^2 = 0 in float64; the exponents are
    log(30 sech^2 30) = log 30 + log 4 - 60 - 2 log(1 + e^-60), all N of them (1e-10)."""
    N = 5
    W = 30.0 * np.eye(N)
    res = ly.map_spectrum(
        W, np.full(N, 0.7) * (-1) ** np.arange(N), N, n_transient=5, n_ons_transient=5, n_steps=50
    )
    expected = math.log(30.0) + math.log(4.0) - 60.0 - 2.0 * math.log1p(math.exp(-60.0))
    assert np.max(np.abs(res.exponents - expected)) < 1e-10
    assert res.n_floored == 0 and res.n_clipped == 0


@pytest.mark.parametrize("qr_every", [1, 3])
def test_deep_saturation_is_floored_and_finite(qr_every):
    """Documented behaviour: sech^2(h) < D_MIN = 1e-300 is raised to D_MIN.  A block-diagonal W =
    diag(A, 1000 I_3) with A = 0.5 * Ginibre (quiescent): the 3 saturated units (|h| = 1000) give
    exactly log(D_MIN * 1000) (1e-9), A's exponents log|mu(A)| are unaffected (1e-3), everything
    finite, also with qr_every = 3 where the unnormalised interval block would underflow (1e-891)."""
    A = gauss(10, 0.5, key=12)
    W = block_diag(A, 1000.0 * np.eye(3))
    x0 = np.concatenate([start(10, key=12), [0.7, -0.7, 0.7]])
    res = ly.map_spectrum(W, x0, 13, n_transient=600, n_ons_transient=300, n_steps=3000, qr_every=qr_every)
    assert np.all(np.isfinite(res.exponents)) and np.all(np.isfinite(res.final_Q))
    top = np.sort(np.log(np.abs(np.linalg.eigvals(A))))[::-1]
    assert np.max(np.abs(res.exponents[:10] - top)) < 1e-3
    assert np.max(np.abs(res.exponents[10:] - (ly.LOG_FLOOR + math.log(1000.0)))) < 1e-9
    assert res.n_floored > 0 and res.n_clipped == 0
    assert np.allclose(res.final_Q.T @ res.final_Q, np.eye(13), atol=1e-12)


@pytest.mark.parametrize("qr_every", [1, 2])
def test_directions_mapped_to_zero_are_clipped(qr_every):
    """W = 0.5 e_1 e_1^T (N = 6): W Q has a single nonzero row, so Householder QR gives R_ii = 0
    exactly for i >= 2 and log 0 = -inf; these are clipped at LOG_FLOOR per step (exactly) and
    counted, the run goes on with an orthonormal Q, and lambda_1 = log 0.5 stays exact (1e-12)."""
    N = 6
    W = np.zeros((N, N))
    W[0, 0] = 0.5
    res = ly.map_spectrum(W, start(N), N, n_transient=50, n_ons_transient=10, n_steps=100, qr_every=qr_every)
    assert abs(res.exponents[0] - math.log(0.5)) < 1e-12
    assert np.allclose(res.exponents[1:], ly.LOG_FLOOR, rtol=1e-14, atol=0)
    assert res.n_clipped == (N - 1) * 100 // qr_every
    assert res.max_log10_cond == np.inf
    assert np.allclose(res.final_Q.T @ res.final_Q, np.eye(N), atol=1e-12)
    zero = ly.map_spectrum(np.zeros((N, N)), start(N), 1, n_transient=0, n_ons_transient=4, n_steps=20)
    assert np.allclose(zero.exponents, ly.LOG_FLOOR, rtol=1e-14, atol=0) and zero.n_clipped == 20
    assert np.array_equal(np.abs(zero.final_Q[:, 0]), np.eye(N)[0])  # k = 1: continues along e_1


def test_input_validation():
    """Clear ValueErrors for bad shapes, counts, schedules and options."""
    W, x0 = gauss(5, 2.0), start(5)
    ok = dict(n_transient=0, n_ons_transient=0, n_steps=10, n_blocks=2)
    cases = [
        (lambda: ly.map_spectrum(W[:, :4], x0, 2, **ok), "square"),
        (lambda: ly.map_spectrum(W, x0[:4], 2, **ok), r"x0 must have shape \(N,\)"),
        (lambda: ly.map_spectrum(W, x0, 6, **ok), "k must be <= N"),
        (lambda: ly.map_spectrum(W, x0, 0, **ok), "k must be >= 1"),
        (lambda: ly.map_spectrum(W, x0, 2, **{**ok, "n_steps": 7}), "divisible by n_blocks"),
        (
            lambda: ly.map_spectrum(W, x0, 2, **{**ok, "qr_every": 3, "n_steps": 12, "n_ons_transient": 4}),
            "multiple",
        ),
        (lambda: ly.map_spectrum(W * np.nan, x0, 2, **ok), "non-finite"),
        (lambda: ly.map_spectrum(W, x0, 2, seed_Q=np.ones((5, 3)), **ok), "seed_Q"),
        (lambda: ly.map_spectrum(W, x0, 2, n_transient=-1, n_ons_transient=0, n_steps=10), "n_transient"),
        (lambda: ly.map_spectrum(W, x0, 2, n_transient=1.5, n_ons_transient=0, n_steps=10), "integer"),
        (lambda: ly.flow_spectrum(W, x0, 2, phi="relu", t_transient=0, t_ons_transient=0, t_total=1), "phi"),
        (lambda: ly.flow_spectrum(W, x0, 2, t_transient=0, t_ons_transient=0, t_total=1.01), "whole number"),
        (
            lambda: ly.flow_spectrum(W, x0, 2, gains=np.ones(4), t_transient=0, t_ons_transient=0, t_total=1),
            "gains",
        ),
        (lambda: ly.twin_lambda_max(W, x0, kind="ode", n_transient=0, n_steps=5), "kind"),
        (lambda: ly.twin_lambda_max(W, x0, renorm_every=2, n_transient=0, n_steps=5), "multiples"),
    ]
    for call, message in cases:
        with pytest.raises(ValueError, match=message):
            call()


# ---------------------------------------------------------------------------------------------
# benchmark smoke test
# ---------------------------------------------------------------------------------------------


def test_bench_lyapunov_quick(tmp_path):
    """benchmarks/bench_lyapunov.py --quick runs (exit 0) and writes its JSON; timings are never asserted."""
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_lyapunov.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert proc.returncode == 0, f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    assert "goals" in json.loads(out.read_text())
