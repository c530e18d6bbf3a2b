"""Participation ratio from block sufficient statistics (spec §3).

Inputs per run: the Gram matrix of the group sums G_g = sum_{b in g} S_b, the block traces
t_b = tr S_b and squared norms q_b = ||S_b||_F^2 of the raw block second-moment matrices (all blocks
have the same number of samples, so scale factors cancel in every ratio below).

* naive (PRX M6): C-hat = sum_b S_b / n,  PR = (tr C-hat)^2 / (N ||C-hat||_F^2)
  = (sum_b t_b)^2 / (N ||sum_g G_g||^2).  Biased low by a relative ~PR N tau_c / T: the plug-in
  ||C-hat||_F^2 contains the sampling noise sum_ij Var(C-hat_ij).
* cross-block [RECON, after davidclark1/rnn-lyapunov]: numerator and denominator from distinct block
  pairs only, mean_{b != b'} t_b t_b' / (N mean_{b != b'} tr(S_b S_b')) with
  sum_{b != b'} tr(S_b S_b') = ||sum_b S_b||^2 - sum_b q_b; unbiased for independent blocks.
* errors: delete-one-group jackknife over the n_groups contiguous groups of blocks,
  SE = sqrt((K - 1)/K sum_g (theta_(-g) - mean theta_(-g))^2).
"""

from __future__ import annotations

import numpy as np

ESTIMATORS = ("naive", "crossblock")


def _pr(kind: str, tr_sum, tr_sq_sum, norm_sum, sq_sum, n_blocks, N):
    if kind == "naive":
        return tr_sum**2 / (N * norm_sum)
    pairs = n_blocks * (n_blocks - 1)
    num = (tr_sum**2 - tr_sq_sum) / pairs
    den = (norm_sum - sq_sum) / pairs
    return num / (N * den)


def participation_ratio(gram, block_trace, block_sqnorm, group_of_block, N: int, kind: str = "crossblock"):
    """(PR, jackknife SE) of one run; ``kind`` in :data:`ESTIMATORS`."""
    if kind not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {ESTIMATORS}, got {kind!r}")
    gram = np.asarray(gram, dtype=np.float64)
    t = np.asarray(block_trace, dtype=np.float64)
    q = np.asarray(block_sqnorm, dtype=np.float64)
    grp = np.asarray(group_of_block)
    B, K = t.size, gram.shape[0]
    if kind == "crossblock" and B < 2:
        raise ValueError("the cross-block estimator needs at least 2 blocks")
    est = _pr(kind, t.sum(), np.sum(t * t), gram.sum(), q.sum(), B, N)
    if K < 2:
        return float(est), float("nan")
    loo = np.empty(K)
    for g in range(K):
        keep = grp != g
        rest = np.arange(K) != g
        nb = int(keep.sum())
        if kind == "crossblock" and nb < 2:
            return float(est), float("nan")
        loo[g] = _pr(kind, t[keep].sum(), np.sum(t[keep] ** 2), gram[np.ix_(rest, rest)].sum(), q[keep].sum(), nb, N)
    se = np.sqrt((K - 1) / K * np.sum((loo - loo.mean()) ** 2))
    return float(est), float(se)


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
    """C_ij(tau) = <a_i(t) a_j(t + tau)>_t (no mean subtraction, spec §3) for tau = -max_lag..max_lag
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
