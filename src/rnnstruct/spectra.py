"""Eigen-spectra of weight matrices and random-matrix predictions for the base ensemble.

Predictions (spec ``metzner2025.md`` §8.1, [THEORY] for the [RECON] ensemble, large N):

* element mean     mu      = b w sqrt(2 d / (pi N))               (both balance modes)
* element variance sigma^2 = (w^2/N) (1 - 2 b^2 d / pi)           (sign_prob)
                             (w^2/N) (1 + 2 b^2 (1 - d) / pi)     (gaussian_mean)
* bulk radius (circular law)   rho_bulk = sqrt(N sigma^2)
* real outlier (rank-one mean) lambda_out = N mu = b w sqrt(2 d N / pi), visible when
  |lambda_out| > rho_bulk (Tao 2013: an i.i.d. bulk plus a rank-one mean of size theta has an
  outlier at theta).
"""

from __future__ import annotations

import numpy as np

from .ensembles import BALANCE_MODES


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
