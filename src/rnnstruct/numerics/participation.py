"""Participation ratios: of a spectrum, and of a covariance estimated from blocks of samples.

:func:`of_spectrum`: PR = (sum_k x_k)^2 / (n sum_k x_k^2) of n values (squares of amplitudes, or
eigenvalues of a covariance), a number in [1/n, 1].

:func:`from_blocks`: PR^a = (tr C)^2 / (N tr C^2) (Clark et al. 2025, PRX Eqs. 20-21)
from block sufficient statistics.  Inputs per run: the Gram matrix of the group sums G_g = sum_{b in g} S_b, the block traces
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

:func:`from_moments`: PR = C(0)^2 / Psi(0, 0), an exact identity (PRX Eqs. 24-26) and the theory's form
(PRX Eq. 38) from the single-site autocorrelation at zero lag and the four-point function.
"""

from __future__ import annotations

import numpy as np


def of_spectrum(values, squared: bool = False) -> float:
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


ESTIMATORS = ("naive", "crossblock")


def _pr(kind: str, tr_sum, tr_sq_sum, norm_sum, sq_sum, n_blocks, N):
    if kind == "naive":
        return tr_sum**2 / (N * norm_sum)
    pairs = n_blocks * (n_blocks - 1)
    num = (tr_sum**2 - tr_sq_sum) / pairs
    den = (norm_sum - sq_sum) / pairs
    return num / (N * den)


def from_blocks(gram, block_trace, block_sqnorm, group_of_block, N: int, kind: str = "crossblock"):
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


def from_moments(c0: float, psi00: float) -> float:
    """PR = C(0)^2 / Psi(0, 0) (normalised; PRX Eqs. 24-26, 38)."""
    return float(c0**2 / psi00)
