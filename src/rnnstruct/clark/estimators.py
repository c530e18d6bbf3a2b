"""Estimators of the Clark stages from block sufficient statistics: C(0) and Psi(0, 0), block statistics
of stored activity, lagged covariances and four-point functions.  The participation ratio itself
(naive and cross-block, with jackknife errors) is :func:`rnnstruct.numerics.participation.from_blocks`.
"""

from __future__ import annotations

import numpy as np

def two_point_and_four_point(gram, block_trace, samples_per_block: int, N: int) -> tuple[float, float]:
    """C(0) = tr C-hat / N and Psi(0, 0) = ||C-hat||_F^2 / N of the pooled C-hat (plug-in)."""
    n = samples_per_block * np.asarray(block_trace).size
    return float(np.sum(block_trace) / (N * n)), float(np.sum(gram) / (N * n * n))


def block_statistics(samples, n_groups: int) -> dict:
    """Sufficient statistics from stored samples (n_blocks, T, N) (for tests and small runs):
    gram of the group sums, block traces and squared norms, group of each block."""
    from rnnstruct.clark.simulate import group_index

    x = np.asarray(samples, dtype=np.float64)
    B, _, N = x.shape
    S = np.einsum("btn,btm->bnm", x, x)
    grp = group_index(B, n_groups)
    G = np.zeros((n_groups, N * N))
    for b in range(B):
        G[grp[b]] += S[b].ravel()
    return {
        "gram": G @ G.T,
        "block_trace": np.trace(S, axis1=1, axis2=2),
        "block_sqnorm": np.einsum("bnm,bnm->b", S, S),
        "group_of_block": grp,
    }


def lagged_covariances(A: np.ndarray, max_lag: int) -> np.ndarray:
    """C_ij(tau) = <a_i(t) a_j(t + tau)>_t (no mean subtraction, PRX App. M6) for tau = -max_lag..max_lag
    from stored activity A of shape (T, N) or (T, N, n_traj) (trajectories pooled).  Returns an array
    (2 max_lag + 1, N, N); C(-tau) = C(tau)^T."""
    A = np.asarray(A, dtype=np.float64)
    if A.ndim == 2:
        A = A[:, :, None]
    T = A.shape[0]
    if not 0 <= max_lag < T:
        raise ValueError(f"need 0 <= max_lag < T = {T}, got {max_lag}")
    N = A.shape[1]
    out = np.empty((2 * max_lag + 1, N, N))
    for lag in range(max_lag + 1):
        u = A[: T - lag].transpose(1, 0, 2).reshape(N, -1)
        v = A[lag:].transpose(1, 0, 2).reshape(N, -1)
        C = (u @ v.T) / u.shape[1]
        out[max_lag + lag] = C
        out[max_lag - lag] = C.T
    return out


def four_point_lagged(C: np.ndarray) -> np.ndarray:
    """Psi(tau1, tau2) = (1/N) sum_ij C_ij(tau1) C_ij(tau2) (PRX 24) for all pairs of the lags of
    :func:`lagged_covariances` (a Gram matrix of the flattened lagged covariances)."""
    K, N, _ = C.shape
    flat = C.reshape(K, -1)
    return (flat @ flat.T) / N
