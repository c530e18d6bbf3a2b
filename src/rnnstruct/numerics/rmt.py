"""Random-matrix laws used as theory overlays and validation targets.

* circular law (i.i.d. entries of variance g^2/N: uniform disk of radius g), elliptic law (correlation
  tau between W_ij and W_ji: ellipse with semi-axes g(1 + tau), g(1 - tau)), Wigner semicircle;
* rank-one outlier N mu of a mean part mu 1 1^T (Tao 2013);
* column variance profiles (E-I matrices, Rajan & Abbott 2006; the general radial law from the
  Haagerup-Larsen theorem for R-diagonal limits);
* singular values of the random-mode model J = L diag(D) R^T (Clark et al. 2025, PRX App. C).

Formulas and their derivations: ``docs/models/metzner2025.md#random-matrix-laws`` and
``docs/models/clark2025.md#singular-values``.
"""

from __future__ import annotations

import numpy as np


def _pair_integral(a: float, c: float) -> float:
    """I(a, c) = int_0^inf dy / ((1 + a y) (1 + c y)^2) for a, c > 0."""
    t = a / c
    e = t - 1.0
    if abs(e) < 1e-4:  # series of t ln t/(t-1)^2 - 1/(t-1) around t = 1
        return (0.5 - e / 6.0 + e * e / 12.0) / c
    return (t * np.log(t) / e**2 - 1.0 / e) / c

def column_profile_second_moment(levels, weights) -> float:
    """Mean |lambda|^2 of the bulk of X D, X i.i.d. with variance 1/N, D^2 = diag of column variances.

    ``levels`` are the distinct values of N * Var(W_ij) in a column (radius^2 units) and
    ``weights`` the fractions of columns at each level.  From the Haagerup-Larsen theorem for the
    R-diagonal limit (Brown measure radial law r(t)^2 = (t - 1)/chi(t - 1), chi the inverse of
    psi_D) one gets, in closed form::

        <|lambda|^2> = sum_kl p_k p_l v_k v_l I(v_k, v_l),
        I(a, c) = int_0^inf dy / ((1 + a y)(1 + c y)^2) = [t ln t/(t - 1)^2 - 1/(t - 1)] / c,  t = a/c.

    Equal levels give v/2 (the uniform disk of radius sqrt(v)); unequal levels give less than
    <v>/2, i.e. a bulk denser near the origin than the uniform disk with the same outer edge
    sqrt(<v>).
    """
    v = np.asarray(levels, dtype=np.float64)
    p = np.asarray(weights, dtype=np.float64)
    keep = p > 0
    v, p = v[keep], p[keep] / p[keep].sum()
    return float(
        sum(
            p[k] * p[l] * v[k] * v[l] * _pair_integral(v[k], v[l])
            for k in range(v.size)
            for l in range(v.size)
        )
    )

def circular_law_density(z_abs, radius: float) -> np.ndarray:
    """Circular law: eigenvalue density (per unit area of the complex plane) of an N x N matrix with
    i.i.d. centred entries of variance radius^2/N, large N (Girko; Tao & Vu 2010)::

        rho(z) = 1/(pi radius^2) for |z| <= radius, else 0.

    The radial CDF is F(r) = (r/radius)^2 and <|lambda|^2> = radius^2/2.
    """
    z_abs = np.abs(np.asarray(z_abs, dtype=np.float64))
    return np.where(z_abs <= radius, 1.0 / (np.pi * radius**2), 0.0)

def elliptic_law_boundary(a: float, b: float, n: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Boundary of the elliptic-law support, x = a cos(theta), y = b sin(theta), theta in [0, 2 pi].

    ``a`` and ``b`` are the real and imaginary semi-axes; for pairs (W_ij, W_ji) of variance g^2/N and
    correlation tau (Sommers, Crisanti, Sompolinsky & Stein 1988) a = g (1 + tau), b = g (1 - tau)
    (see :func:`hopfield_predictions`).  The density is uniform, 1/(pi a b), inside; its second
    moments are <Re^2> = a^2/4 and <Im^2> = b^2/4.  ``n`` points, closed curve (first = last).
    For tau = 1 (b = 0) the projection on the real axis is :func:`semicircle_density` with
    radius a = 2 g.
    """
    theta = np.linspace(0.0, 2.0 * np.pi, n)
    return a * np.cos(theta), b * np.sin(theta)

def semicircle_density(x, radius: float) -> np.ndarray:
    """Wigner semicircle on [-radius, radius], unit mass::

        rho(x) = (2/(pi R^2)) sqrt(R^2 - x^2) for |x| <= R, else 0.

    A symmetric matrix with off-diagonal variance g^2/N has R = 2 g; its second moment is R^2/4.
    """
    x = np.asarray(x, dtype=np.float64)
    return (2.0 / (np.pi * radius**2)) * np.sqrt(np.clip(radius**2 - x * x, 0.0, None))

def rank_one_outlier(N: int, mean: float) -> float:
    """Eigenvalue N * mean of the mean part mean * 1 1^T (the real outlier when |N mean| exceeds the
    bulk radius; Tao 2013 for an i.i.d. bulk plus a rank-one perturbation)."""
    return float(N * mean)

def rajan_abbott_radius(f: float, var_e: float, var_i: float) -> float:
    """Outer radius of the bulk of an E-I matrix (Rajan & Abbott, PRL 97:188104, 2006).

    Convention (ours): an N x N matrix whose columns j (presynaptic neurons) are a fraction f
    excitatory with element variance ``var_e``/N and 1 - f inhibitory with element variance
    ``var_i``/N (means arbitrary but balanced, f mu_E + (1 - f) mu_I = 0, or zero); then::

        r = sqrt(f var_e + (1 - f) var_i)

    = sqrt(N x mean element variance), the circular-law radius with the variance averaged over
    columns.  If the element variances are written without the 1/N (sigma_E^2, sigma_I^2), the
    radius is sqrt(N (f sigma_E^2 + (1 - f) sigma_I^2)).  With unbalanced means the rank-one mean
    adds an outlier; with balanced means and no row-sum constraint a few eigenvalues can leave the
    disk (Rajan & Abbott impose zero row sums on the random part to remove them).  The density
    inside is not uniform when var_e != var_i: see :func:`rajan_abbott_density`.
    """
    return float(np.sqrt(f * var_e + (1.0 - f) * var_i))

def _profile_y(r2: np.ndarray, v: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Solve sum_k p_k v_k/(1 + y v_k) = r2 for y >= 0 (vectorised bisection; r2 in (0, <v>))."""
    pos = float(p[v > 0].sum())
    lo = np.zeros_like(r2)
    hi = pos / r2  # sum p v/(1 + y v) < pos/y, so g(hi) <= 0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        g = (p * v / (1.0 + mid[:, None] * v)).sum(axis=1) - r2
        lo = np.where(g > 0, mid, lo)
        hi = np.where(g > 0, hi, mid)
    return 0.5 * (lo + hi)

def column_profile_radial_law(r, levels, weights) -> tuple[np.ndarray, np.ndarray]:
    """Radial CDF F(r) = P(|lambda| <= r) and density rho(|z| = r) (per unit area) of the bulk of
    X D, X i.i.d. with variance 1/N, D^2 = diag of column variances (levels v_k with fractions p_k,
    as in :func:`column_profile_second_moment`).

    From the Haagerup-Larsen theorem (the same route as :func:`column_profile_second_moment`),
    parametrised by y in [0, inf)::

        r^2(y) = sum_k p_k v_k / (1 + y v_k),     F = sum_k p_k / (1 + y v_k),
        rho    = (1/pi) dF/d(r^2) = (1/pi) [sum_k p_k v_k/(1 + y v_k)^2] / [sum_k p_k v_k^2/(1 + y v_k)^2].

    y = 0 is the outer edge r = sqrt(<v>) (F = 1); y -> inf is the origin (F -> fraction of
    zero-variance columns).  Equal levels give the uniform disk (F = r^2/v, rho = 1/(pi v)).
    Outside the disk F = 1 and rho = 0.
    """
    v = np.asarray(levels, dtype=np.float64)
    p = np.asarray(weights, dtype=np.float64)
    keep = p > 0
    v, p = v[keep], p[keep] / p[keep].sum()
    r = np.abs(np.asarray(r, dtype=np.float64))
    shape = r.shape
    r2 = (r * r).ravel()
    edge2 = float(np.sum(p * v))
    cdf = np.ones_like(r2)
    dens = np.zeros_like(r2)
    inside = (r2 < edge2) & (r2 > 0)
    if np.any(inside):
        y = _profile_y(r2[inside], v, p)[:, None]
        d = 1.0 + y * v
        cdf[inside] = (p / d).sum(axis=1)
        dens[inside] = (p * v / d**2).sum(axis=1) / (np.pi * (p * v * v / d**2).sum(axis=1))
    zero = r2 == 0
    if np.any(zero) and edge2 > 0:
        cdf[zero] = float(p[v == 0].sum())
        # y -> inf: rho -> (1/pi) sum_{v>0} p/v / sum_{v>0} p  (finite limit at the origin)
        vp, pp = v[v > 0], p[v > 0]
        dens[zero] = (pp / vp).sum() / (np.pi * pp.sum())
    return cdf.reshape(shape), dens.reshape(shape)

def rajan_abbott_density(z_abs, f: float, var_e: float, var_i: float) -> np.ndarray:
    """Eigenvalue density (per unit area, unit mass) of the E-I matrix of :func:`rajan_abbott_radius`
    at |z| = ``z_abs``: :func:`column_profile_radial_law` with levels (var_e, var_i), weights
    (f, 1 - f).  Uniform (1/(pi r^2)) when var_e = var_i; otherwise higher near the origin, with
    rho(0) = (f/var_e + (1 - f)/var_i)/pi and rho(r^-) = <v>/(pi <v^2>)."""
    return column_profile_radial_law(z_abs, [var_e, var_i], [f, 1.0 - f])[1]

def rajan_abbott_radial_cdf(r, f: float, var_e: float, var_i: float) -> np.ndarray:
    """Fraction of eigenvalues with |lambda| <= r for the E-I matrix of :func:`rajan_abbott_radius`
    (:func:`column_profile_radial_law`)."""
    return column_profile_radial_law(r, [var_e, var_i], [f, 1.0 - f])[0]

def rmm_singular_value_edges(alpha: float) -> tuple[float, float]:
    """Support [S_-, S_+] of the non-zero singular values of J = L R^T (D = 1, L, R in R^(N x M)
    i.i.d. N(0, 1/N), alpha = M/N), PRX App. C::

        S_+-^2 = 1 + 5 alpha/2 - alpha^2/8 +- (1 + alpha/8)^(3/2) sqrt(8 alpha).

    The lower formula is >= 0 only for alpha <= 1: (1 + 5a/2 - a^2/8)^2 - 8a (1 + a/8)^3 = (1 - a)^3,
    so S_-^2 = 0 at alpha = 1 and is negative for alpha > 1, where the density reaches down to
    S = 0 (hard edge); S_- is then returned as 0.  For alpha << 1, S_+- = 1 +- sqrt(2 alpha) + alpha/4
    + O(alpha^(3/2)).
    """
    a = float(alpha)
    if a <= 0:
        raise ValueError(f"alpha must be positive, got {alpha!r}")
    base = 1.0 + 2.5 * a - a * a / 8.0
    width = (1.0 + a / 8.0) ** 1.5 * np.sqrt(8.0 * a)
    return float(np.sqrt(max(base - width, 0.0))), float(np.sqrt(base + width))

def rmm_gram_density(lam, alpha: float) -> np.ndarray:
    """Density rho(lambda) of the non-zero eigenvalues of J^T J (= those of W_L W_R, W_L = L^T L,
    W_R = R^T R, M x M), D = 1, from the PRX App. C cubic for the Stieltjes transform G(z)::

        -alpha^2 z^3 G^3 + 2 z^2 (alpha^2 - alpha) G^2 + z (z + 2 alpha - alpha^2 - 1) G - z = 0,

    rho(lambda) = -(1/pi) Im G(lambda + i0+).  (The cubic is that of the free product of two
    Marchenko-Pastur laws with ratio alpha and mean 1: S-transform 1/(1 + alpha w)^2.)

    Root choice: for real lambda > 0 the cubic (divided by z) has real coefficients; inside the
    support it has one real root and a complex-conjugate pair, and the physical branch is the member
    of the pair with Im G < 0, so rho = |Im G|/pi of that pair; outside the support all roots are real
    and rho = 0.  The roots are computed for all points at once as eigenvalues of companion
    matrices; the result is set to 0 outside [S_-^2, S_+^2] (:func:`rmm_singular_value_edges`).

    Normalisation (the density of the M x M product, zero eigenvalues excluded): the integral over the
    support is 1 for alpha <= 1 (all M eigenvalues are non-zero) and 1/alpha for alpha > 1 (the
    M - N zero eigenvalues, mass 1 - 1/alpha, are the pole of G at 0 and are not part of rho).
    In both cases <lambda> = 1 and <lambda^2> = 1 + 2 alpha with respect to this measure.
    """
    a = float(alpha)
    lam = np.asarray(lam, dtype=np.float64)
    shape = lam.shape
    lam = lam.ravel()
    s_lo, s_hi = rmm_singular_value_edges(a)
    out = np.zeros_like(lam)
    inside = (lam > max(s_lo * s_lo, 0.0)) & (lam < s_hi * s_hi) & (lam > 0)
    if np.any(inside):
        z = lam[inside]
        c3 = -a * a * z * z
        c2 = 2.0 * z * (a * a - a)
        c1 = z - (1.0 - a) ** 2
        comp = np.zeros((z.size, 3, 3))
        comp[:, 0, 0] = -c2 / c3
        comp[:, 0, 1] = -c1 / c3
        comp[:, 0, 2] = 1.0 / c3
        comp[:, 1, 0] = 1.0
        comp[:, 2, 1] = 1.0
        roots = np.linalg.eigvals(comp)
        out[inside] = np.max(-roots.imag, axis=1) / np.pi  # the root with Im G < 0
    return out.reshape(shape)

def rmm_singular_value_density(S, alpha: float) -> np.ndarray:
    """Density p(S) = 2 S rho(S^2) of the non-zero singular values of J = L R^T (D = 1,
    L, R i.i.d. N(0, 1/N), alpha = M/N; PRX App. C, Fig. 8), zero outside [S_-, S_+].

    Normalisation (see :func:`rmm_gram_density`): int p(S) dS = 1 for alpha <= 1, where J has
    M = alpha N non-zero singular values distributed as p (and N - M zeros); = 1/alpha for
    alpha > 1, where all N singular values of J are non-zero and distributed as alpha p(S).
    In one formula, the distribution of all N singular values of J is
    alpha p(S) + max(1 - alpha, 0) delta(S).
    """
    S = np.asarray(S, dtype=np.float64)
    return np.where(S > 0, 2.0 * S * rmm_gram_density(S * S, alpha), 0.0)

def rmm_singular_value_mass(alpha: float) -> float:
    """int p(S) dS of :func:`rmm_singular_value_density`: min(1, 1/alpha)."""
    return float(min(1.0, 1.0 / alpha))

def rmm_singular_value_cdf(S, alpha: float, n_grid: int = 4001) -> np.ndarray:
    """int_0^S p(s) ds for :func:`rmm_singular_value_density` (tends to
    :func:`rmm_singular_value_mass` at S_+).

    Midpoint rule in t on lambda = S_-^2 + (S_+^2 - S_-^2) t^3 (10 - 15 t + 6 t^2): the substitution
    has a vanishing derivative of second order at both ends, which regularises the square-root edges
    and the hard edge lambda^(-2/3) (alpha = 1) / lambda^(-1/2) (alpha > 1); the integrand is then
    bounded and the relative error at the default n_grid is below 1e-5.
    """
    lo, hi = rmm_singular_value_edges(alpha)
    l0, l1 = lo * lo, hi * hi
    t = np.linspace(0.0, 1.0, n_grid)
    lam = l0 + (l1 - l0) * t**3 * (10.0 - 15.0 * t + 6.0 * t * t)
    tm = 0.5 * (t[1:] + t[:-1])
    lam_m = l0 + (l1 - l0) * tm**3 * (10.0 - 15.0 * tm + 6.0 * tm * tm)
    dlam_m = (l1 - l0) * 30.0 * tm * tm * (1.0 - tm) ** 2
    cum = np.concatenate([[0.0], np.cumsum(rmm_gram_density(lam_m, alpha) * dlam_m * np.diff(t))])
    S = np.asarray(S, dtype=np.float64)
    return np.interp(np.clip(S, 0.0, None) ** 2, lam, cum)

def rmm_pr_singular(alpha: float, pr_d: float) -> float:
    """Participation ratio of the singular values of J = L diag(D) R^T (PRX Eq. 13, large N)::

        PR^S = (sum S^2)^2 / (N sum S^4) = alpha PR^D / (1 + 2 alpha PR^D),

    alpha PR^D = (sum_a D_a^2)^2 / (N sum_a D_a^4).  D = 1 (PR^D = 1): alpha/(1 + 2 alpha), the
    ratio <lambda>^2/<lambda^2> = 1/(1 + 2 alpha) of :func:`rmm_gram_density` times M/N.
    """
    x = alpha * pr_d
    return float(x / (1.0 + 2.0 * x))
