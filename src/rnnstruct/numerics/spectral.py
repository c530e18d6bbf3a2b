"""Eigenvalues, singular values and spectral summaries of weight matrices (pure numpy).

Eigenvalues are sorted by decreasing modulus; a rank-one outlier is split from the bulk when a
prediction places it outside the predicted bulk radius (:func:`split_outlier`).
"""

from __future__ import annotations

import numpy as np

from rnnstruct.numerics.participation import of_spectrum


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

def singular_values(W: np.ndarray) -> np.ndarray:
    """Singular values of ``W`` in descending order (float64, length min(W.shape))."""
    return np.linalg.svd(np.asarray(W, dtype=np.float64), compute_uv=False)

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
      (:func:`rnnstruct.numerics.participation.of_spectrum`; Clark et al. 2025, PRX Eq. 13).

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
        "pr_singular": of_spectrum(sv),
    }
