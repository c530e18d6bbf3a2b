"""Random-matrix predictions for the Metzner base and regularity ensembles (large N).

Base ensemble (docs/models/metzner2025.md#random-matrix-laws; [THEORY] for the reconstructed ensemble):

* element mean     mu      = b w sqrt(2 d / (pi N))               (both balance modes)
* element variance sigma^2 = (w^2/N) (1 - 2 b^2 d / pi)           (sign_prob)
                             (w^2/N) (1 + 2 b^2 (1 - d) / pi)     (gaussian_mean)
* bulk radius (circular law)   rho_bulk = sqrt(N sigma^2)
* real outlier (rank-one mean) lambda_out = N mu = b w sqrt(2 d N / pi), visible when
  |lambda_out| > rho_bulk (Tao 2013: an i.i.d. bulk plus a rank-one mean of size theta has an
  outlier at theta).

Regularities: :func:`dale_predictions`, :func:`hopfield_predictions`, :func:`modular_predictions`.
The laws themselves (circular, elliptic, column variance profiles) are :mod:`rnnstruct.numerics.rmt`;
eigenvalue and singular-value summaries of a matrix are :mod:`rnnstruct.numerics.spectral`.
"""

from __future__ import annotations

import numpy as np

from rnnstruct.metzner.ensembles import BALANCE_MODES, DALE_MODES, DALE_TYPES, HOPFIELD_MODES, MODULAR_MODES
from rnnstruct.numerics.rmt import column_profile_second_moment


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

def dale_predictions(
    N: int,
    w: float,
    b: float,
    m: float,
    density: float = 1.0,
    types: str = "bernoulli",
    mode: str = "elements",
) -> dict:
    """Random-matrix predictions for the Dale ensemble (docs/models/metzner2025.md#random-matrix-laws, for
    density d and both modes).

    The conditional element mean in column j is mu0 * t_j with mu0 = w sqrt(2d/(pi N)) and
    t_j = m sigma_j + (1 - m) b ("elements") or t_j = sigma_j if column j is selected, else b
    ("columns").  E[W^2] = w^2/N for every m, so the centred variance in column j is
    (w^2/N) (1 - (2d/pi) t_j^2).  Keys:

    * ``var``: centred element variance averaged over columns,
      (w^2/N)[1 - (2d/pi)(m^2 + b^2 (1 - m^2))] ("elements") or
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
    * ``outlier_sd``: its standard deviation from the type/column randomness (an O(w)
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
    """Elliptic-law predictions for the Hopfield ensemble (Sommers et al. 1988;
    docs/models/metzner2025.md#random-matrix-laws).

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
    """Bulk and outliers of the modular ensemble (docs/models/metzner2025.md#random-matrix-laws, with the
    b-dependence explicit).

    Mode A has the block variance profile (in-block w_eff^2/N, background (1 - q)^2 w_eff^2/N,
    w_eff = w sqrt(1 - 2 b^2 d/pi)) with equal row and column sums, so the bulk is a uniform disk of
    radius w_eff sqrt(1/K + (1 - 1/K)(1 - q)^2) (w_eff = w at b = 0).  The mean
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
