"""Principal-component timescales of stored activity (PRX Eqs. 27-28, Fig. 9; PRL Fig. 4).

Input: activity A of shape (T, N) or (T, N, n_traj) from :func:`.simulate.record_activity`
(trajectories are pooled as independent samples of one stationary process; no mean subtraction,
PRX M6).  All estimates are sample averages over the same pairs of sample times, so that

* C(0) = <a(t) a(t)^T>_t, eigenpairs (lambda_k, v_k) in descending order;
* p_k(t) = v_k^T a(t) / sqrt(lambda_k) (unit variance), C^{p_k}(tau) = <p_k(t) p_k(t + tau)>_t;
* lambda_k C^{p_k}(tau) = v_k^T C(tau) v_k with C(tau) = <a(t) a(t + tau)^T>_t over the T - tau pairs,

and the identities (1/N) sum_k lambda_k C^{p_k}(tau) = (1/N) tr C(tau) = C^a(tau) and
(1/N) sum_k lambda_k^2 C^{p_k}(tau) = (1/N) tr[C(0) C(tau)] = Psi^a(tau, 0) hold exactly for the
sample estimates (up to round-off), because sum_k v_k v_k^T = 1 and sum_k lambda_k v_k v_k^T = C(0).
The weighted autocorrelations lambda_k C^{p_k}(tau) are computed from the unnormalised projections
v_k^T a(t), so they stay finite where lambda_k is round-off small.

Timescales (PRL): full width at half maximum of an autocovariance c(tau) given at tau = 0, dtau,
2 dtau, ...: twice the first half-maximum crossing, interpolated between the bracketing grid points
log-linearly (exact for exponential decay; linearly if the later point is <= 0).
"""

from __future__ import annotations

import math

import numpy as np


def _as_3d(A) -> np.ndarray:
    A = np.asarray(A, dtype=np.float64)
    if A.ndim == 2:
        A = A[:, :, None]
    if A.ndim != 3:
        raise ValueError(f"activity must have shape (T, N) or (T, N, n_traj), got {A.shape}")
    return A


def equal_time_covariance(A) -> np.ndarray:
    """C_ij(0) = <a_i(t) a_j(t)>, averaged over sample times and trajectories (N x N)."""
    A = _as_3d(A)
    M = A.transpose(1, 0, 2).reshape(A.shape[1], -1)
    return (M @ M.T) / M.shape[1]


def eigenpairs(C) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues in descending order and the eigenvectors as columns of V (C symmetric)."""
    lam, V = np.linalg.eigh(np.asarray(C, dtype=np.float64))
    order = np.argsort(lam)[::-1]
    return lam[order], V[:, order]


def projections(A, V) -> np.ndarray:
    """Unnormalised PC projections v_k^T a(t), shape (T, K, n_traj) for the K columns of V."""
    A = _as_3d(A)
    return np.einsum("nk,tnb->tkb", np.asarray(V, dtype=np.float64), A, optimize=True)


def pc_series(A, lam, V) -> np.ndarray:
    """Unit-variance PC time series p_k(t) = v_k^T a(t) / sqrt(lambda_k), shape (T, K, n_traj)."""
    lam = np.asarray(lam, dtype=np.float64)
    if np.any(lam <= 0):
        raise ValueError("p_k needs lambda_k > 0; drop the null space (or use weighted_pc_autocorrelations)")
    return projections(A, V) / np.sqrt(lam)[None, :, None]


def lagged_autocorrelation(P, max_lag: int) -> np.ndarray:
    """<p_k(t) p_k(t + tau)> over the T - tau pairs of sample times (all trajectories), tau = 0..max_lag.
    P has shape (T, K, n_traj); returns (max_lag + 1, K)."""
    P = np.asarray(P, dtype=np.float64)
    T = P.shape[0]
    if not 0 <= max_lag < T:
        raise ValueError(f"need 0 <= max_lag < T = {T}, got {max_lag}")
    out = np.empty((max_lag + 1, P.shape[1]))
    for lag in range(max_lag + 1):
        out[lag] = np.einsum("tkb,tkb->k", P[: T - lag], P[lag:]) / ((T - lag) * P.shape[2])
    return out


def weighted_pc_autocorrelations(A, V, max_lag: int) -> np.ndarray:
    """lambda_k C^{p_k}(tau) = v_k^T C(tau) v_k for tau = 0..max_lag, shape (max_lag + 1, K)."""
    return lagged_autocorrelation(projections(A, V), max_lag)


def two_point(A, max_lag: int) -> np.ndarray:
    """Single-unit C^a(tau) = (1/N) sum_i <a_i(t) a_i(t + tau)> over the same pairs as above."""
    A = _as_3d(A)
    return lagged_autocorrelation(A, max_lag).mean(axis=1)


def pc_analysis(A, max_lag: int) -> dict:
    """Spectrum, weighted PC autocorrelations and the two identities for activity A.

    Returns lam (N,), V (N, N), weighted (lags, N) = lambda_k C^{p_k}(tau), pc_autocorr = C^{p_k}(tau)
    (weighted / lambda_k; NaN where lambda_k <= 0), sum_c = (1/N) sum_k lambda_k C^{p_k}(tau),
    sum_psi = (1/N) sum_k lambda_k^2 C^{p_k}(tau), and the direct estimates c_tau = C^a(tau),
    psi_tau0 = (1/N) tr[C(0) C(tau)]."""
    A = _as_3d(A)
    N = A.shape[1]
    C0 = equal_time_covariance(A)
    lam, V = eigenpairs(C0)
    P = projections(A, V)
    weighted = lagged_autocorrelation(P, max_lag)
    with np.errstate(divide="ignore", invalid="ignore"):
        pc_ac = np.where(lam > 0, weighted / np.where(lam > 0, lam, 1.0), np.nan)
    return {
        "lam": lam,
        "V": V,
        "weighted": weighted,
        "pc_autocorr": pc_ac,
        "sum_c": weighted @ np.ones(N) / N,
        "sum_psi": weighted @ lam / N,
        "c_tau": two_point(A, max_lag),
        "psi_tau0": psi_tau0(C0, A, max_lag),
    }


def psi_tau0(C0, A, max_lag: int) -> np.ndarray:
    """Psi(tau, 0) = (1/N) tr[C0 C(tau)] = (1/N) <(C0 a(t)) . a(t + tau)>_t over the T - tau pairs
    (docs/models/clark2025.md#estimators: one projection of the activity, no lagged N x N matrices).  C0 may
    come from other samples than A (cross-half estimate)."""
    A = _as_3d(A)
    T, N = A.shape[0], A.shape[1]
    if not 0 <= max_lag < T:
        raise ValueError(f"need 0 <= max_lag < T = {T}, got {max_lag}")
    B = np.einsum("ij,tjb->tib", np.asarray(C0, dtype=np.float64), A, optimize=True)
    out = np.empty(max_lag + 1)
    for lag in range(max_lag + 1):
        out[lag] = np.einsum("tib,tib->", B[: T - lag], A[lag:]) / ((T - lag) * A.shape[2] * N)
    return out


def fwhm(c, dtau: float = 1.0) -> np.ndarray:
    """Full width at half maximum of autocovariances c[..., tau] sampled at tau = 0, dtau, ...:
    2 tau_half, tau_half the first crossing of c(0)/2, log-linearly interpolated (module docstring).  NaN if c never
    falls to c(0)/2 on the grid or c(0) <= 0."""
    c = np.asarray(c, dtype=np.float64)
    flat = c.reshape(-1, c.shape[-1])
    out = np.full(flat.shape[0], np.nan)
    for i, row in enumerate(flat):
        half = 0.5 * row[0]
        if not row[0] > 0:
            continue
        below = np.nonzero(row <= half)[0]
        if below.size == 0:
            continue
        j = int(below[0])
        y0, y1 = row[j - 1], row[j]
        if y1 > 0:  # log-linear: exact for exponential decay between grid points
            frac = math.log(y0 / half) / math.log(y0 / y1) if y0 != y1 else 0.0
        else:
            frac = (y0 - half) / (y0 - y1)
        out[i] = 2.0 * dtau * (j - 1 + frac)
    return out.reshape(c.shape[:-1]) if c.ndim > 1 else out[0]


def time_time_matrix(A) -> np.ndarray:
    """C^a(t1, t2) = (1/N) sum_i a_i(t1) a_i(t2) for one trajectory A (T, N): a T x T matrix."""
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"time_time_matrix takes one trajectory (T, N), got shape {A.shape}")
    return (A @ A.T) / A.shape[1]


def log_fit(N, y) -> tuple[float, float, float]:
    """Least-squares fit y = a + b ln N; returns (b, a, standard error of b)."""
    x = np.log(np.asarray(N, dtype=np.float64))
    y = np.asarray(y, dtype=np.float64)
    X = np.stack([np.ones_like(x), x], axis=1)
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    dof = x.size - 2
    if dof > 0:
        resid = y - X @ coef
        cov = np.linalg.inv(X.T @ X) * (resid @ resid) / dof
        se = float(np.sqrt(cov[1, 1]))
    else:
        se = float("nan")
    return float(coef[1]), float(coef[0]), se
