"""Eigen-spectra of weight matrices and random-matrix predictions for the base and regularity ensembles.

Base-ensemble predictions (spec ``metzner2025.md`` §8.1, [THEORY] for the [RECON] ensemble, large N):

* element mean     mu      = b w sqrt(2 d / (pi N))               (both balance modes)
* element variance sigma^2 = (w^2/N) (1 - 2 b^2 d / pi)           (sign_prob)
                             (w^2/N) (1 + 2 b^2 (1 - d) / pi)     (gaussian_mean)
* bulk radius (circular law)   rho_bulk = sqrt(N sigma^2)
* real outlier (rank-one mean) lambda_out = N mu = b w sqrt(2 d N / pi), visible when
  |lambda_out| > rho_bulk (Tao 2013: an i.i.d. bulk plus a rank-one mean of size theta has an
  outlier at theta).

Regularity predictions (§8.3-8.5): :func:`dale_predictions`, :func:`hopfield_predictions`,
:func:`modular_predictions`.

Summaries and theory overlays: :func:`singular_values`, :func:`participation_ratio`,
:func:`spectrum_summary`; circular / elliptic / semicircle laws and rank-one outliers
(:func:`circular_law_density`, :func:`elliptic_law_boundary`, :func:`semicircle_density`,
:func:`rank_one_outlier`); column variance profiles after Rajan & Abbott 2006
(:func:`rajan_abbott_radius`, :func:`rajan_abbott_density`, :func:`rajan_abbott_radial_cdf`,
:func:`column_profile_radial_law`); the random-mode model of Clark et al. 2025, App. C
(:func:`rmm_singular_value_edges`, :func:`rmm_gram_density`, :func:`rmm_singular_value_density`,
:func:`rmm_singular_value_cdf`, :func:`rmm_singular_value_mass`, :func:`rmm_pr_singular`).
"""

from __future__ import annotations

import numpy as np

from rnnstruct.metzner.ensembles import BALANCE_MODES, DALE_MODES, DALE_TYPES, HOPFIELD_MODES, MODULAR_MODES


def base_predictions(
    N: int, w: float, b: float, density: float = 1.0, balance_mode: str = "sign_prob"
) -> dict:
    """Element mean, variance, bulk radius and outlier predicted for the base ensemble."""
    if balance_mode not in BALANCE_MODES:
        raise ValueError(f"balance_mode must be one of {BALANCE_MODES}, got {balance_mode!r}")
    mean = b * w * np.sqrt(2.0 * density / (np.pi * N))
    if balance_mode == "sign_prob":
        var = (w**2 / N) * (1.0 - 2.0 * b**2 * density / np.pi)
    else:
        var = (w**2 / N) * (1.0 + 2.0 * b**2 * (1.0 - density) / np.pi)
    return {
        "mean": mean,
        "var": var,
        "bulk_radius": np.sqrt(N * var),
        "outlier": N * mean,
    }


def eigenvalues(W: np.ndarray) -> np.ndarray:
    """Eigenvalues sorted by decreasing modulus (ties by real part), complex128."""
    ev = np.linalg.eigvals(np.asarray(W, dtype=np.float64))
    order = np.lexsort((-ev.real, -np.abs(ev)))
    return ev[order]


def split_outlier(
    ev: np.ndarray, predicted_outlier: float, predicted_bulk_radius: float
) -> tuple[complex, np.ndarray]:
    """Separate the rank-one outlier from the bulk.

    If the predicted outlier lies outside the predicted bulk, the eigenvalue closest to it is
    taken as the outlier; otherwise there is no outlier (returned as NaN) and every eigenvalue
    belongs to the bulk.
    """
    ev = np.asarray(ev)
    if abs(predicted_outlier) <= predicted_bulk_radius:
        return complex(np.nan, np.nan), ev
    k = int(np.argmin(np.abs(ev - predicted_outlier)))
    return complex(ev[k]), np.delete(ev, k)


def bulk_radius_max(bulk: np.ndarray) -> float:
    """Largest modulus in the bulk (fluctuates by O(N^-1/2) at the edge)."""
    return float(np.max(np.abs(bulk))) if bulk.size else float("nan")


def bulk_radius_rms(bulk: np.ndarray) -> float:
    """Radius of the uniform disk with the bulk's second moment: sqrt(2 <|lambda|^2>)."""
    return float(np.sqrt(2.0 * np.mean(np.abs(bulk) ** 2))) if bulk.size else float("nan")


# ---------------------------------------------------------------------------------------------
# Regularity ensembles (spec §8.3-8.5, [THEORY] for the [RECON] ensembles of §3.2-3.4, large N).
# ---------------------------------------------------------------------------------------------


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


def dale_predictions(
    N: int,
    w: float,
    b: float,
    m: float,
    density: float = 1.0,
    types: str = "bernoulli",
    mode: str = "elements",
) -> dict:
    """Random-matrix predictions for the Dale ensemble (spec §8.3, extended to density d and modes).

    The conditional element mean in column j is mu0 * t_j with mu0 = w sqrt(2d/(pi N)) and
    t_j = m sigma_j + (1 - m) b ("elements") or t_j = sigma_j if column j is selected, else b
    ("columns").  E[W^2] = w^2/N for every m, so the centred variance in column j is
    (w^2/N) (1 - (2d/pi) t_j^2).  Keys:

    * ``var``: centred element variance averaged over columns,
      (w^2/N)[1 - (2d/pi)(m^2 + b^2 (1 - m^2))] ("elements"; spec §8.3 at d = 1) or
      (w^2/N)[1 - (2d/pi)(m + (1 - m) b^2)] ("columns");
    * ``bulk_radius`` = sqrt(N var), the outer edge of the bulk; m = 1: w sqrt(1 - 2d/pi), any b;
    * ``bulk_radius_rms``: sqrt(2 <|lambda|^2>) of the bulk (what :func:`bulk_radius_rms`
      measures) from :func:`column_profile_second_moment`.  It equals ``bulk_radius`` when all
      columns have the same variance ("elements" at b = 0 or m in {0, 1}); otherwise the bulk is
      not uniform and this is up to a few per cent smaller;
    * ``mean``: expected element mean, b w sqrt(2d/(pi N)) (as in the base ensemble);
    * ``outlier``: the rank-one eigenvalue sum_j mu0 t_j.  "bernoulli": its expectation
      b w sqrt(2dN/pi); "exact": mu0 [m (2 n_E - N) + (1 - m) N b] ("elements") with
      n_E = round(N (1 + b)/2), or its expectation over the column selection ("columns");
    * ``outlier_sd``: its standard deviation from the type/column randomness (spec §8.3, an O(w)
      "global mode" even at b = 0): "elements"+"bernoulli": w sqrt(2d/pi) m sqrt(1 - b^2);
      "columns"+"bernoulli": w sqrt(2d/pi) sqrt(m (1 - b^2)); "columns"+"exact":
      w sqrt(2d/pi) sqrt(m (1 - m)(1 - b^2)); "elements"+"exact": 0 (to O(N^-1/2));
    * ``n_exc``: expected (bernoulli) or exact number of E neurons.

    When sum_j t_j ~ 0 (b = 0, exact types) the mean part is nilpotent rather than absent: a few
    eigenvalues then lie outside ``bulk_radius`` (Rajan & Abbott 2006); the rms radius is hardly
    affected.
    """
    if types not in DALE_TYPES:
        raise ValueError(f"dale_types must be one of {DALE_TYPES}, got dale_types={types!r}")
    if mode not in DALE_MODES:
        raise ValueError(f"dale_mode must be one of {DALE_MODES}, got dale_mode={mode!r}")
    if not 0.0 <= m <= 1.0:
        raise ValueError(f"m must lie in [0, 1], got m={m!r}")
    k = 2.0 * density / np.pi
    mu0 = w * np.sqrt(k / N)
    if types == "exact":
        n_exc = int(round(N * (1.0 + b) / 2.0))
        p_exc = n_exc / N
    else:
        p_exc = (1.0 + b) / 2.0
        n_exc = N * p_exc
    sum_sigma = N * (2.0 * p_exc - 1.0)  # exact: 2 n_E - N; bernoulli: its expectation N b
    if mode == "elements":
        t_e, t_i = m + (1.0 - m) * b, -m + (1.0 - m) * b
        levels, weights = [1 - k * t_e**2, 1 - k * t_i**2], [p_exc, 1 - p_exc]
        var_factor = 1.0 - k * (m**2 + b**2 * (1.0 - m**2))
        outlier = mu0 * (m * sum_sigma + (1.0 - m) * N * b)
        sd = m * np.sqrt(1 - b**2) if types == "bernoulli" else 0.0
    else:
        levels, weights = [1 - k, 1 - k * b**2], [m, 1 - m]
        var_factor = 1.0 - k * (m + (1.0 - m) * b**2)
        outlier = mu0 * (m * sum_sigma + (1.0 - m) * N * b)
        sd = np.sqrt(m * (1 - b**2)) if types == "bernoulli" else np.sqrt(m * (1 - m) * (1 - b**2))
    return {
        "mean": b * w * np.sqrt(k / N),
        "var": (w**2 / N) * var_factor,
        "bulk_radius": w * np.sqrt(var_factor),
        "bulk_radius_rms": w * np.sqrt(2.0 * column_profile_second_moment(levels, weights)),
        "outlier": outlier,
        "outlier_sd": w * np.sqrt(k) * sd,
        "n_exc": n_exc,
    }


def hopfield_predictions(
    N: int, w: float, b: float, r: float, mode: str = "pairs", density: float = 1.0
) -> dict:
    """Elliptic-law predictions for the Hopfield ensemble (spec §8.4; Sommers et al. 1988).

    The bulk of a matrix whose centred pairs (W_ij, W_ji) have variance w_eff^2/N and correlation
    tau is uniform in the ellipse with semi-axes w_eff (1 + tau) (real) and w_eff (1 - tau)
    (imaginary); tau = 1 gives the semicircle on [-2 w_eff, 2 w_eff].  The rank-one mean gives a
    real outlier.  Second moments of the uniform ellipse: <Re^2> = semi_major^2/4,
    <Im^2> = semi_minor^2/4.

    * ``"pairs"``: copied pairs are identical and the others independent, so the centred
      correlation is exactly tau = r for every b (the mean is shared by both entries, the copy
      does not change it); w_eff = w sqrt(1 - 2 b^2 d/pi), outlier b w sqrt(2 d N/pi) (unchanged).
    * ``"mixing"`` (W = sqrt(1-r) A + sqrt(r)(A + A^T)/sqrt(2)): with s = sqrt(2 r (1 - r)),
      variance factor 1 + s, tau = (r + s)/(1 + s), mean factor sqrt(1 - r) + sqrt(2 r); so
      w_eff = w sqrt((1 - 2 b^2 d/pi)(1 + s)) and the outlier is multiplied by sqrt(1-r) + sqrt(2r).

    Keys: w_eff, tau, semi_major, semi_minor, bulk_radius (= semi_major, the largest bulk
    modulus), outlier.
    """
    if mode not in HOPFIELD_MODES:
        raise ValueError(f"hopfield_mode must be one of {HOPFIELD_MODES}, got hopfield_mode={mode!r}")
    if not 0.0 <= r <= 1.0:
        raise ValueError(f"r must lie in [0, 1], got r={r!r}")
    var_factor = 1.0 - 2.0 * b**2 * density / np.pi
    outlier = b * w * np.sqrt(2.0 * density * N / np.pi)
    if mode == "pairs":
        tau = r
    else:
        s = np.sqrt(2.0 * r * (1.0 - r))
        tau = (r + s) / (1.0 + s)
        var_factor *= 1.0 + s
        outlier *= np.sqrt(1.0 - r) + np.sqrt(2.0 * r)
    w_eff = w * np.sqrt(var_factor)
    return {
        "w_eff": w_eff,
        "tau": tau,
        "semi_major": w_eff * (1.0 + tau),
        "semi_minor": w_eff * (1.0 - tau),
        "bulk_radius": w_eff * (1.0 + tau),
        "outlier": outlier,
    }


def modular_predictions(
    N: int, w: float, b: float, q: float, K: int, mode: str = "A", density: float = 1.0
) -> dict:
    """Bulk and outliers of the modular ensemble (spec §8.5, with the b-dependence made explicit).

    Mode A has the block variance profile (in-block w_eff^2/N, background (1 - q)^2 w_eff^2/N,
    w_eff = w sqrt(1 - 2 b^2 d/pi)) with equal row and column sums, so the bulk is a uniform disk of
    radius w_eff sqrt(1/K + (1 - 1/K)(1 - q)^2) (spec §8.5 writes w, i.e. b = 0).  The mean
    matrix mu [(1 - q) 1 1^T + q blockdiag(1 1^T)] (mu = b w sqrt(2d/(pi N))) has eigenvalues

    * ``outlier`` = b w sqrt(2dN/pi) [1/K + (1 - 1/K)(1 - q)] (eigenvector 1), and
    * ``block_outlier`` = b w sqrt(2dN/pi) q/K, multiplicity K - 1 (block-constant vectors with
      zero sum); these K - 1 extra real outliers are visible when they exceed the bulk radius
      (at q = 1 all K outliers coincide at b w sqrt(2dN/pi)/K: K independent sub-networks).

    Mode B multiplies everything by c = [1/K + (1 - 1/K)(1 - q)^2]^(-1/2): bulk w_eff for all q.
    Mode C (value permutation) depends on order statistics: every entry is NaN and ``note`` says
    so (check numerically only).
    """
    if mode not in MODULAR_MODES:
        raise ValueError(f"modular_mode must be one of {MODULAR_MODES}, got modular_mode={mode!r}")
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"q must lie in [0, 1], got q={q!r}")
    if mode == "C":
        nan = float("nan")
        return {
            "bulk_radius": nan,
            "outlier": nan,
            "block_outlier": nan,
            "c": nan,
            "note": "mode C depends on order statistics; no closed-form prediction (check numerically)",
        }
    profile = 1.0 / K + (1.0 - 1.0 / K) * (1.0 - q) ** 2
    c = profile**-0.5 if mode == "B" else 1.0
    w_eff = w * np.sqrt(1.0 - 2.0 * b**2 * density / np.pi)
    lam = b * w * np.sqrt(2.0 * density * N / np.pi)
    return {
        "bulk_radius": c * w_eff * np.sqrt(profile),
        "outlier": c * lam * (1.0 / K + (1.0 - 1.0 / K) * (1.0 - q)),
        "block_outlier": c * lam * q / K,
        "c": c,
        "note": "",
    }


# ---------------------------------------------------------------------------------------------
# Singular values, participation ratio and a one-call spectrum summary.
# ---------------------------------------------------------------------------------------------


def singular_values(W: np.ndarray) -> np.ndarray:
    """Singular values of ``W`` in descending order (float64, length min(W.shape))."""
    return np.linalg.svd(np.asarray(W, dtype=np.float64), compute_uv=False)


def participation_ratio(values, squared: bool = False) -> float:
    """Normalised participation ratio of a spectrum, a number in [1/n, 1].

    With ``squared=False`` the input are amplitudes s_k (e.g. singular values) and::

        PR = (sum_k s_k^2)^2 / (n sum_k s_k^4);

    with ``squared=True`` the input are already squared quantities x_k = s_k^2 (e.g. eigenvalues
    of J^T J or of a covariance matrix) and PR = (sum_k x_k)^2 / (n sum_k x_k^2).  n is the number
    of values passed, zeros included (for an N x N matrix pass all N singular values, so that this
    is Clark et al.'s PR^S = (sum_a S_a^2)^2 / (N sum_a S_a^4), PRX Eq. 13).  PR = 1 when all
    |s_k| are equal, 1/n when exactly one is non-zero (Cauchy-Schwarz; the lower bound needs
    x_k >= 0).  Empty input or an all-zero spectrum gives NaN.
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    if not squared:
        x = x * x
    n = x.size
    s2 = float(np.sum(x * x))
    if n == 0 or s2 == 0.0:
        return float("nan")
    return float(np.sum(x) ** 2 / (n * s2))


def spectrum_summary(W: np.ndarray, predicted_outlier=None, predicted_bulk_radius=None) -> dict:
    """Eigenvalue and singular-value summary of a square matrix.

    Keys:

    * ``eigenvalues``: complex128, sorted as in :func:`eigenvalues` (decreasing modulus);
    * ``spectral_radius``: max |lambda|;
    * ``outlier``: the eigenvalue closest to ``predicted_outlier`` when both predictions are given
      and |predicted_outlier| > predicted_bulk_radius (:func:`split_outlier`); otherwise NaN;
    * ``bulk``: the remaining eigenvalues (all of them without predictions);
    * ``bulk_radius_max``, ``bulk_radius_rms``: :func:`bulk_radius_max`, :func:`bulk_radius_rms`
      of ``bulk``;
    * ``singular_values``: descending (:func:`singular_values`); ``singular_value_max`` = ||W||_2;
    * ``pr_singular``: PR^S = (sum S^2)^2 / (N sum S^4) over all N singular values
      (:func:`participation_ratio`; Clark et al. 2025, PRX Eq. 13).

    Give both predictions or neither (ValueError otherwise).
    """
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"W must be a square matrix, got shape {W.shape}")
    if (predicted_outlier is None) != (predicted_bulk_radius is None):
        raise ValueError("give both predicted_outlier and predicted_bulk_radius, or neither")
    ev = eigenvalues(W)
    if predicted_outlier is None:
        outlier, bulk = complex(np.nan, np.nan), ev
    else:
        outlier, bulk = split_outlier(ev, predicted_outlier, predicted_bulk_radius)
    sv = singular_values(W)
    return {
        "eigenvalues": ev,
        "spectral_radius": float(np.max(np.abs(ev))) if ev.size else float("nan"),
        "outlier": outlier,
        "bulk": bulk,
        "bulk_radius_max": bulk_radius_max(bulk),
        "bulk_radius_rms": bulk_radius_rms(bulk),
        "singular_values": sv,
        "singular_value_max": float(sv[0]) if sv.size else float("nan"),
        "pr_singular": participation_ratio(sv),
    }


# ---------------------------------------------------------------------------------------------
# Theory overlays: circular, elliptic and semicircle laws, rank-one outliers (spec metzner2025 §8).
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Column variance profiles (Rajan & Abbott 2006, Dale / E-I matrices).
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Random-mode model J = L diag(D) R^T (Clark et al. 2025, spec clark2025.md §2.1-2.3).
# ---------------------------------------------------------------------------------------------


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
