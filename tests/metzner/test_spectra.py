"""Spectral summaries and random-matrix theory overlays (rnnstruct.metzner.spectra, rnnstruct.numerics.rmt and
.spectral).

Tolerances are stated per test; the random tests use fixed seeds (rnnstruct.core.seeds.rng) and sizes
N = 600-1000 where statistics matter.  KS distances between eigenvalue samples and a limit law are far
below the i.i.d. value because eigenvalues repel (rigidity), so 0.05 is a loose but discriminating bound
(the alternative laws tested against are > 0.15 away).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate

from rnnstruct.metzner import ensembles
from rnnstruct.core import seeds
from rnnstruct.metzner import spectra as sp
from rnnstruct.numerics import participation, rmt, spectral


def ks_distance(sample, cdf_values) -> float:
    """sup |F_emp - F| for a sorted sample and the theoretical CDF at the sample points."""
    n = sample.size
    return float(
        max(
            np.max(np.abs(cdf_values - np.arange(1, n + 1) / n)),
            np.max(np.abs(cdf_values - np.arange(n) / n)),
        )
    )


def rmm_matrix(N, M, key, D=None):
    g = seeds.rng(2025, ("test_spectra", "rmm") + tuple(key))
    L = g.standard_normal((N, M)) / np.sqrt(N)
    R = g.standard_normal((N, M)) / np.sqrt(N)
    return L @ R.T if D is None else (L * D) @ R.T


# ---- 1. random-mode model: singular values vs PRX App. C ----------------------------------------


@pytest.mark.parametrize("alpha,N", [(0.1, 1000), (0.5, 800), (1.0, 800), (2.0, 500)])
def test_rmm_singular_values_fill_appendix_c_support(alpha, N):
    M = int(round(alpha * N))
    s = spectral.singular_values(rmm_matrix(N, M, (alpha, N)))
    assert s.shape == (N,) and np.all(np.diff(s) <= 0)
    rank = min(M, N)
    nonzero = s[:rank]
    if M < N:  # J has rank M: the other N - M singular values vanish (to rounding)
        assert np.max(s[rank:]) < 1e-10
    lo, hi = rmt.rmm_singular_value_edges(alpha)
    # all but O(1) of the non-zero singular values inside the support, 2 % tolerance at the edges
    outside = np.sum((nonzero < 0.98 * lo) | (nonzero > 1.02 * hi))
    assert outside <= 2
    # the support is filled: extremes within 5 % of the edges (lower edge 0 for alpha >= 1)
    assert nonzero[0] > 0.95 * hi
    assert nonzero[-1] < 1.05 * lo + 0.02
    # CDF of the non-zero singular values vs the App. C density (normalised to its mass)
    x = np.sort(nonzero)
    F = rmt.rmm_singular_value_cdf(x, alpha) / rmt.rmm_singular_value_mass(alpha)
    assert ks_distance(x, F) < 0.05
    # participation ratio of all N singular values (PRX Eq. 13, D = 1): 5 %
    pr = participation.of_spectrum(s)
    assert pr == pytest.approx(rmt.rmm_pr_singular(alpha, 1.0), rel=0.05)
    assert pr == pytest.approx(alpha / (1 + 2 * alpha), rel=0.05)


def test_rmm_pr_singular_with_exponential_mode_strengths():
    # alpha = 1, D_a = exp(-beta a / M): PR^S = x/(1 + 2x), x = (sum D^2)^2/(N sum D^4) = alpha PR^D
    N = M = 800
    D = np.exp(-3.0 * np.arange(M) / M)
    x = np.sum(D**2) ** 2 / (N * np.sum(D**4))
    assert x == pytest.approx(np.tanh(3.0) / 3.0, rel=0.01)  # continuum PR^D = tanh(beta)/beta
    s = spectral.singular_values(rmm_matrix(N, M, ("expD",), D=D))
    pr = participation.of_spectrum(s)
    assert pr == pytest.approx(rmt.rmm_pr_singular(1.0, x), rel=0.05)
    assert rmt.rmm_pr_singular(1.0, x) < rmt.rmm_pr_singular(1.0, 1.0) - 0.05  # distinguishable from D = 1


# ---- 2. density normalisation and edges -----------------------------------------------------------


@pytest.mark.parametrize("alpha", [0.05, 0.3, 1.0, 1.5, 3.0])
def test_rmm_density_normalisation_and_moments(alpha):
    lo, hi = rmt.rmm_singular_value_edges(alpha)
    p = lambda S: float(rmt.rmm_singular_value_density(S, alpha))  # noqa: E731
    mass = integrate.quad(p, lo, hi, limit=200)[0]
    # the cubic's density integrates to 1 for M <= N and to 1/alpha (the non-zero part) for M > N
    assert mass == pytest.approx(min(1.0, 1.0 / alpha), abs=1e-6)
    assert rmt.rmm_singular_value_mass(alpha) == pytest.approx(mass, abs=1e-6)
    assert float(rmt.rmm_singular_value_cdf(hi, alpha)) == pytest.approx(mass, rel=1e-5)
    # moments w.r.t. this measure: <S^2> = 1, <S^4> = 1 + 2 alpha (free product of two MP laws)
    m2 = integrate.quad(lambda S: S**2 * p(S), lo, hi, limit=200)[0]
    m4 = integrate.quad(lambda S: S**4 * p(S), lo, hi, limit=200)[0]
    assert m2 == pytest.approx(1.0, abs=1e-5)
    assert m4 == pytest.approx(1.0 + 2.0 * alpha, abs=1e-4)
    # hence PR^S = (M/N) <S^2>^2/<S^4> for D = 1
    assert alpha * m2**2 / m4 == pytest.approx(rmt.rmm_pr_singular(alpha, 1.0), rel=1e-4)
    # zero outside the support, positive inside
    assert np.all(rmt.rmm_singular_value_density([0.9 * lo, 1.01 * hi, 2 * hi], alpha) == 0.0)
    inside = np.linspace(lo, hi, 50)[1:-1]
    assert np.all(rmt.rmm_singular_value_density(inside, alpha) > 0)


def test_rmm_density_support_matches_cubic_discriminant():
    # the numerically found support of the cubic's complex roots coincides with the App. C edges
    for alpha in (0.1, 0.5, 2.0):
        lo, hi = rmt.rmm_singular_value_edges(alpha)
        lam = np.linspace(1e-6, 1.2 * hi**2, 200001)
        a = alpha
        coeffs = np.stack(
            [-a * a * lam * lam, 2 * lam * (a * a - a), lam - (1 - a) ** 2, -np.ones_like(lam)], axis=1
        )
        has_complex = np.array([np.max(np.abs(np.roots(c).imag)) > 1e-7 for c in coeffs[::50]])
        support = lam[::50][has_complex]
        assert support.min() == pytest.approx(lo**2, abs=2e-3 * hi**2)
        assert support.max() == pytest.approx(hi**2, rel=2e-3)


def test_rmm_edges_small_alpha_and_alpha_one():
    for alpha in (1e-4, 1e-3, 1e-2, 0.05, 0.1):
        lo, hi = rmt.rmm_singular_value_edges(alpha)
        # PRX App. C: S_+- ~ 1 +- sqrt(2 alpha) for small alpha, with the next term alpha/4
        assert abs(hi - (1 + np.sqrt(2 * alpha))) <= alpha / 2
        assert abs(lo - (1 - np.sqrt(2 * alpha))) <= alpha / 2
        assert abs(hi - (1 + np.sqrt(2 * alpha) + alpha / 4)) <= 0.2 * alpha**1.5
        assert abs(lo - (1 - np.sqrt(2 * alpha) + alpha / 4)) <= 0.2 * alpha**1.5
    # alpha = 1: product of two square Wisharts, support [0, 27/4] (Fuss-Catalan)
    lo, hi = rmt.rmm_singular_value_edges(1.0)
    assert lo == pytest.approx(0.0, abs=1e-7) and hi**2 == pytest.approx(27 / 4)
    # alpha > 1: the S_-^2 formula is negative ((1 + 5a/2 - a^2/8)^2 - 8a(1 + a/8)^3 = (1 - a)^3);
    # the lower edge is 0 (hard edge)
    for alpha in (1.5, 4.0):
        base = 1 + 2.5 * alpha - alpha**2 / 8
        width2 = 8 * alpha * (1 + alpha / 8) ** 3
        assert base**2 - width2 == pytest.approx((1 - alpha) ** 3)
        assert rmt.rmm_singular_value_edges(alpha)[0] == 0.0
    with pytest.raises(ValueError):
        rmt.rmm_singular_value_edges(0.0)


# ---- 3. circular, elliptic and semicircle laws ---------------------------------------------------


def test_circular_law_radius_and_radial_cdf():
    N, g = 600, 1.7
    W = seeds.rng(2025, ("test_spectra", "circ")).standard_normal((N, N)) * g / np.sqrt(N)
    a = np.sort(np.abs(spectral.eigenvalues(W)))
    assert a[-1] <= 1.1 * g and a[-1] >= 0.9 * g
    assert ks_distance(a, (a / g) ** 2) < 0.05
    # the density integrates to one over the disk and vanishes outside
    r = np.linspace(0, 2 * g, 4001)
    dens = rmt.circular_law_density(r, g)
    assert integrate.trapezoid(2 * np.pi * r * dens, r) == pytest.approx(1.0, abs=2e-3)
    assert dens[-1] == 0.0 and dens[0] == pytest.approx(1 / (np.pi * g**2))


def test_elliptic_law_second_moments_and_boundary():
    N, w, r = 800, 1.0, 0.5
    gen = seeds.rng(2025, ("test_spectra", "ellip"))
    W0 = ensembles.base_matrix(N, w, 0.0, gen)
    W = ensembles.assemble_hopfield(W0, ensembles.draw_hopfield_uniform(N, gen), r)
    pred = sp.hopfield_predictions(N, w, 0.0, r)
    a, b = pred["semi_major"], pred["semi_minor"]
    ev = spectral.eigenvalues(W)
    assert np.mean(ev.real**2) == pytest.approx(a**2 / 4, rel=0.05)
    assert np.mean(ev.imag**2) == pytest.approx(b**2 / 4, rel=0.05)
    inside = (ev.real / a) ** 2 + (ev.imag / b) ** 2 <= 1.1**2
    assert np.sum(~inside) <= 2
    x, y = rmt.elliptic_law_boundary(a, b, n=301)
    assert x.shape == y.shape == (301,)
    assert np.allclose((x / a) ** 2 + (y / b) ** 2, 1.0)
    assert x[0] == pytest.approx(x[-1]) and y[0] == pytest.approx(y[-1])
    assert x.max() == pytest.approx(a) and y.max() == pytest.approx(b, rel=1e-4)


def test_semicircle_for_symmetric_matrices():
    N, g = 800, 0.8
    X = seeds.rng(2025, ("test_spectra", "goe")).standard_normal((N, N)) * g / np.sqrt(N)
    A = (X + X.T) / np.sqrt(2.0)  # off-diagonal variance g^2/N -> semicircle of radius 2g
    ev = np.sort(np.linalg.eigvalsh(A))
    R = 2 * g
    x = np.linspace(-R, R, 20001)
    dens = rmt.semicircle_density(x, R)
    assert integrate.trapezoid(dens, x) == pytest.approx(1.0, abs=1e-4)
    assert integrate.trapezoid(x**2 * dens, x) == pytest.approx(R**2 / 4, rel=1e-3)
    cdf = np.interp(ev, x, np.concatenate([[0.0], np.cumsum(0.5 * (dens[1:] + dens[:-1]) * np.diff(x))]))
    assert ks_distance(ev, cdf) < 0.05
    # binned L1 distance between the histogram and the density
    hist, edges = np.histogram(ev, bins=20, range=(-R, R), density=True)
    centres = 0.5 * (edges[1:] + edges[:-1])
    assert np.sum(np.abs(hist - rmt.semicircle_density(centres, R)) * np.diff(edges)) < 0.1
    assert np.all(np.abs(ev) <= 1.05 * R)
    assert np.all(rmt.semicircle_density([-1.01 * R, 1.01 * R], R) == 0.0)


def test_rank_one_outlier_of_base_ensemble():
    N, w, b = 800, 1.0, 0.3
    W = ensembles.base_matrix(N, w, b, seeds.rng(2025, ("test_spectra", "outlier")))
    pred = sp.base_predictions(N, w, b)
    assert rmt.rank_one_outlier(N, pred["mean"]) == pytest.approx(pred["outlier"])
    summ = spectral.spectrum_summary(W, pred["outlier"], pred["bulk_radius"])
    # the outlier's O(1) fluctuation (sd ~ w) is small compared with b w sqrt(2N/pi) ~ 6.8
    assert summ["outlier"].real == pytest.approx(pred["outlier"], rel=0.1)
    assert abs(summ["outlier"].imag) < 1e-9
    assert summ["bulk_radius_max"] <= 1.1 * pred["bulk_radius"]
    assert summ["bulk"].size == N - 1


# ---- 4. Rajan-Abbott E-I column variances -------------------------------------------------------

F_EXC, VAR_E, VAR_I = 0.8, 0.5, 3.0  # <v> = 1, strongly unequal columns


def ei_matrix(N, key, balanced_means=False):
    g = seeds.rng(2025, ("test_spectra", "ra") + tuple(key))
    n_e = int(round(F_EXC * N))
    v = np.r_[np.full(n_e, VAR_E), np.full(N - n_e, VAR_I)]
    J = g.standard_normal((N, N)) * np.sqrt(v / N)
    if balanced_means:  # Rajan & Abbott: balanced column means and zero row sums of the random part
        mu = np.r_[np.full(n_e, 1.0), np.full(N - n_e, -F_EXC / (1 - F_EXC))] / np.sqrt(N)
        J = J - J.mean(axis=1, keepdims=True) + mu[None, :]
    return J


def test_rajan_abbott_theory_self_consistency():
    R = rmt.rajan_abbott_radius(F_EXC, VAR_E, VAR_I)
    assert R == pytest.approx(np.sqrt(F_EXC * VAR_E + (1 - F_EXC) * VAR_I))
    r = np.linspace(0, R, 4001)
    F = rmt.rajan_abbott_radial_cdf(r, F_EXC, VAR_E, VAR_I)
    rho = rmt.rajan_abbott_density(r, F_EXC, VAR_E, VAR_I)
    assert F[0] == 0.0 and F[-1] == 1.0 and np.all(np.diff(F) > 0)
    # density per unit area integrates to 1, equals dF/d(r^2)/pi, and has the stated end values
    assert integrate.trapezoid(2 * np.pi * r * rho, r) == pytest.approx(1.0, abs=1e-5)
    assert np.allclose(np.gradient(F, r**2)[5:-5] / np.pi, rho[5:-5], rtol=1e-4)
    assert rho[0] == pytest.approx((F_EXC / VAR_E + (1 - F_EXC) / VAR_I) / np.pi)
    edge = (F_EXC * VAR_E + (1 - F_EXC) * VAR_I) / (np.pi * (F_EXC * VAR_E**2 + (1 - F_EXC) * VAR_I**2))
    assert float(rmt.rajan_abbott_density(R * (1 - 1e-9), F_EXC, VAR_E, VAR_I)) == pytest.approx(
        edge, rel=1e-6
    )
    # its second moment is the closed form already used by dale_predictions
    m2 = integrate.trapezoid(r**2 * 2 * np.pi * r * rho, r)
    assert m2 == pytest.approx(rmt.column_profile_second_moment([VAR_E, VAR_I], [F_EXC, 1 - F_EXC]), rel=1e-5)
    # not the uniform disk: denser at the centre
    assert np.max(np.abs(F - (r / R) ** 2)) > 0.15
    # equal variances reduce to the circular law
    F_eq, rho_eq = rmt.column_profile_radial_law(r, [1.3, 1.3], [0.3, 0.7])
    R_eq = np.sqrt(1.3)
    m = r < R_eq
    assert np.allclose(F_eq[m], (r[m] / R_eq) ** 2, atol=1e-9)
    assert np.allclose(rho_eq[m], rmt.circular_law_density(r[m], R_eq))


@pytest.mark.parametrize("balanced_means", [False, True])
def test_rajan_abbott_radius_moment_and_density(balanced_means):
    N = 800
    a = np.sort(np.abs(spectral.eigenvalues(ei_matrix(N, (int(balanced_means),), balanced_means))))
    R = rmt.rajan_abbott_radius(F_EXC, VAR_E, VAR_I)
    assert 0.9 * R <= a[-1] <= 1.1 * R
    m2 = rmt.column_profile_second_moment([VAR_E, VAR_I], [F_EXC, 1 - F_EXC])
    assert np.mean(a**2) == pytest.approx(m2, rel=0.05)
    assert m2 < 0.45 * R**2  # clearly below the uniform disk's R^2/2
    assert ks_distance(a, rmt.rajan_abbott_radial_cdf(a, F_EXC, VAR_E, VAR_I)) < 0.05
    assert ks_distance(a, (a / R) ** 2) > 0.12  # the uniform disk is rejected


# ---- 5. spectrum_summary and participation_ratio on hand-computed matrices ------------------------


def test_participation_ratio_definition():
    assert participation.of_spectrum(np.ones(7)) == pytest.approx(1.0)
    assert participation.of_spectrum([0, 0, 5.0, 0]) == pytest.approx(0.25)
    s = np.array([3.0, 2.0, 1.0])
    assert participation.of_spectrum(s) == pytest.approx(14**2 / (3 * 98))
    assert participation.of_spectrum(s**2, squared=True) == pytest.approx(participation.of_spectrum(s))
    assert participation.of_spectrum(s, squared=True) == pytest.approx(36 / (3 * 14))
    assert np.isnan(participation.of_spectrum([])) and np.isnan(participation.of_spectrum([0.0, 0.0]))


def test_spectrum_summary_diagonal_matrix():
    d = np.array([0.5, -2.0, 3.0, 1.0])
    s = spectral.spectrum_summary(np.diag(d))
    assert np.allclose(s["eigenvalues"], [3.0, -2.0, 1.0, 0.5])
    assert np.allclose(s["singular_values"], [3.0, 2.0, 1.0, 0.5])
    assert s["spectral_radius"] == pytest.approx(3.0) and s["singular_value_max"] == pytest.approx(3.0)
    assert s["pr_singular"] == pytest.approx(14.25**2 / (4 * 98.0625))
    assert np.isnan(s["outlier"]) and s["bulk"].size == 4
    assert s["bulk_radius_max"] == pytest.approx(3.0)
    assert s["bulk_radius_rms"] == pytest.approx(np.sqrt(2 * 14.25 / 4))


def test_spectrum_summary_rank_one_plus_identity():
    N, c, mu = 5, 0.7, 0.4
    W = c * np.eye(N) + mu * np.ones((N, N))  # eigenvalues c + N mu (once) and c (N - 1 times)
    s = spectral.spectrum_summary(W, predicted_outlier=c + rmt.rank_one_outlier(N, mu), predicted_bulk_radius=c)
    assert s["outlier"] == pytest.approx(c + N * mu)
    assert np.allclose(s["bulk"], c)
    assert s["bulk_radius_max"] == pytest.approx(c)
    assert s["spectral_radius"] == pytest.approx(c + N * mu)
    assert np.allclose(s["singular_values"], [c + N * mu] + [c] * (N - 1))  # symmetric, positive
    x = np.array([(c + N * mu) ** 2] + [c**2] * (N - 1))
    assert s["pr_singular"] == pytest.approx(x.sum() ** 2 / (N * np.sum(x * x)))
    # predicted outlier inside the bulk: no outlier
    s2 = spectral.spectrum_summary(W, predicted_outlier=0.5, predicted_bulk_radius=1.0)
    assert np.isnan(s2["outlier"]) and s2["bulk"].size == N
    with pytest.raises(ValueError):
        spectral.spectrum_summary(W, predicted_outlier=1.0)
    with pytest.raises(ValueError):
        spectral.spectrum_summary(np.ones((2, 3)))


def test_spectrum_summary_nilpotent():
    # eigenvalues all 0 but singular values (1, 0): the two spectra differ for non-normal matrices
    s = spectral.spectrum_summary(np.array([[0.0, 1.0], [0.0, 0.0]]))
    assert np.allclose(s["eigenvalues"], 0.0) and s["spectral_radius"] == 0.0
    assert np.allclose(s["singular_values"], [1.0, 0.0])
    assert s["pr_singular"] == pytest.approx(0.5)
