"""Discrete-time tanh networks x(t+1) = tanh(W x(t) + I(t)), many trajectories at once.

Shapes: a stack of R matrices ``W`` (R, N, N) and states ``X`` (R, N, B): B trajectories per
matrix, so that every step is one matrix-matrix product per matrix.  The state and the tangent
vectors share W and are propagated by one product ``W @ [X | V]``.  Nothing of the trajectory is
stored: the measures below are accumulated while the network runs (states are buffered in short
blocks so that the accumulation is vectorised over time).

Measures (spec ``metzner2025.md`` §4, all [RECON]; t = 1..T over the measurement window,
after ``n_transient`` discarded steps):

=================  =====================================================================
``mean_abs``       A  = < |x_i(t)| >_{i,t}
``sat_frac``       S  = < 1[|x_i(t)| > theta_sat] >_{i,t}
``fluctuation``    F  = < std_t x_i(t) >_i
``corr1``          C1 = < Pearson_t(x_i(t), x_i(t+1)) >_i, a neuron with zero std counts 1
``global_mean``    < M(t) >_t with M(t) = < x_i(t) >_i
``global_std``     std_t M(t)
``lyap_max``       (1/T) sum_t log ||v(t)||, v(t+1) = (1 - x(t+1)^2) * (W v(t)), v renormalised
                   to unit length every step (also during the transient)
``period``         smallest P <= max_period with ||x(T-j) - x(T-j-P)||_2 < period_tol for all
                   j = 0..P-1 (a full verified period at the end of the run); 0 if none
=================  =====================================================================

Saturation and the tangent: in float64 tanh(h) rounds to +-1 for |h| > ~19, where 1 - x^2 = 0
exactly.  If a tangent vector underflows because of this, the step is recomputed in the log
domain from the fields h (log sech^2 h = log 4 - 2|h| - 2 log(1 + e^{-2|h|})), so lambda_max
stays finite and exact.  Only when W v = 0 exactly (e.g. w = 0) is the growth -inf, and then
lambda_max = -inf is the exact answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import numpy as np

REGIME_CODES = {
    "quiescent_fixed_point": 0,
    "saturated_fixed_point": 1,
    "periodic": 2,
    "chaotic": 3,
    "other": 4,
}

#: below this many trajectories per matrix, state and tangent share one matrix product
COMBINED_GEMM_MAX_B = 8

MEASURES = ("mean_abs", "sat_frac", "fluctuation", "corr1", "global_mean", "global_std", "lyap_max", "period")


@dataclass(frozen=True)
class RegimeThresholds:
    """Thresholds of the regime label (spec §4, [RECON]; all configurable)."""

    fixed_point_fluctuation: float = 1e-6  # F below this: fixed point
    quiescent_amplitude: float = 1e-3  # A below this (at a fixed point): quiescent
    chaos_lyapunov: float = 0.01  # lambda_max above this: chaotic


def classify_regime(mean_abs, fluctuation, lyap_max, period, thresholds: RegimeThresholds = RegimeThresholds()):
    """Integer regime code per run (see ``REGIME_CODES``); arrays broadcast.

    Order of the tests: fixed point (F < tol; quiescent if A < tol, else saturated), then
    chaotic (lambda_max > tol), then periodic (a period was verified), else other.
    """
    A = np.asarray(mean_abs)
    F = np.asarray(fluctuation)
    lam = np.asarray(lyap_max)
    P = np.asarray(period)
    code = np.full(np.broadcast(A, F, lam, P).shape, REGIME_CODES["other"], dtype=np.int8)
    fixed = F < thresholds.fixed_point_fluctuation
    code[(P > 0) & ~fixed] = REGIME_CODES["periodic"]
    code[(lam > thresholds.chaos_lyapunov) & ~fixed] = REGIME_CODES["chaotic"]
    code[fixed & (A < thresholds.quiescent_amplitude)] = REGIME_CODES["quiescent_fixed_point"]
    code[fixed & (A >= thresholds.quiescent_amplitude)] = REGIME_CODES["saturated_fixed_point"]
    return code


def _log_sech2(h: np.ndarray) -> np.ndarray:
    a = np.abs(h)
    return np.log(4.0) - 2.0 * a - 2.0 * np.log1p(np.exp(-2.0 * a))


class _CovarianceAccumulator:
    """Per-block sums of x and x x^T pooled over trajectories (for the participation ratio)."""

    def __init__(self, R: int, N: int, n_blocks: int):
        self.n = np.zeros(n_blocks)
        self.s1 = np.zeros((n_blocks, R, N))
        self.s2 = np.zeros((n_blocks, R, N, N))

    def add(self, block: int, states: np.ndarray) -> None:
        # states: (L, R, N, B) -> per matrix (N, L*B)
        L, R, N, B = states.shape
        Y = states.transpose(1, 2, 0, 3).reshape(R, N, L * B)
        self.n[block] += L * B
        self.s1[block] += Y.sum(axis=2)
        self.s2[block] += Y @ Y.transpose(0, 2, 1)


@dataclass
class SimulationResult:
    """Measures per (matrix, trajectory), each an array of shape (R, B)."""

    measures: dict
    cov_n: Optional[np.ndarray] = None  # (K,) samples per covariance block
    cov_s1: Optional[np.ndarray] = None  # (K, R, N)
    cov_s2: Optional[np.ndarray] = None  # (K, R, N, N)
    final_state: Optional[np.ndarray] = None  # (R, N, B)


def simulate(
    W: np.ndarray,
    x0: np.ndarray,
    *,
    n_transient: int,
    n_measure: int,
    v0: Optional[np.ndarray] = None,
    drive: Optional[Callable[[int], np.ndarray]] = None,
    sat_threshold: float = 0.95,
    max_period: int = 100,
    period_tol: float = 1e-6,
    cov_blocks: int = 0,
    buffer_steps: int = 64,
    observe: bool = True,
    labels: Optional[Sequence[str]] = None,
) -> SimulationResult:
    """Run x(t+1) = tanh(W x(t) + I(t)) for a stack of matrices and trajectories.

    Parameters
    ----------
    W : (R, N, N) or (N, N) array
    x0 : (R, N, B) or (N, B) initial states
    v0 : tangent vectors, same shape as x0 (need not be normalised); None skips lambda_max
    drive : optional function t -> I(t) of shape broadcastable to (R, N, B), for t = 0..n-1,
        added to the field of the update that produces x(t+1)
    cov_blocks : if K > 0, accumulate per-block covariance sums of the measured states over K
        equal blocks of the measurement window (n_measure must be divisible by K)
    observe : if False, only run the map (and the tangent): no measures but lambda_max, for
        benchmarking the core iteration
    labels : one text per matrix, used in error messages (e.g. "w=2, b=0.1, rep=3")

    Returns a :class:`SimulationResult` with the measures listed in the module docstring.
    """
    W = np.asarray(W, dtype=np.float64)
    x0 = np.asarray(x0, dtype=np.float64)
    squeeze = W.ndim == 2
    if squeeze:
        W = W[None]
        x0 = x0[None]
        v0 = None if v0 is None else np.asarray(v0, dtype=np.float64)[None]
    if W.ndim != 3 or W.shape[1] != W.shape[2]:
        raise ValueError(f"W must have shape (R, N, N), got {W.shape}")
    R, N, _ = W.shape
    if x0.ndim != 3 or x0.shape[:2] != (R, N):
        raise ValueError(f"x0 must have shape (R, N, B) = ({R}, {N}, B), got {x0.shape}")
    B = x0.shape[2]
    if n_transient < 0 or n_measure < 2:
        raise ValueError(f"need n_transient >= 0 and n_measure >= 2, got {n_transient}, {n_measure}")
    if max_period < 1 or 2 * max_period > n_measure:
        raise ValueError(f"need 1 <= max_period <= n_measure/2, got max_period={max_period}, n_measure={n_measure}")
    if cov_blocks and n_measure % cov_blocks:
        raise ValueError(f"n_measure={n_measure} must be divisible by cov_blocks={cov_blocks}")
    labels = list(labels) if labels is not None else [f"matrix {r}" for r in range(R)]
    bad = [labels[r] for r in range(R) if not np.all(np.isfinite(W[r]))]
    if bad:
        raise FloatingPointError(f"non-finite weights for {', '.join(bad)}")
    if not np.all(np.isfinite(x0)):
        raise FloatingPointError("non-finite initial state")

    lyap = v0 is not None
    if lyap:
        v0 = np.asarray(v0, dtype=np.float64)
        if v0.shape != x0.shape:
            raise ValueError(f"v0 must have the shape of x0 {x0.shape}, got {v0.shape}")
        nrm = np.sqrt(np.einsum("rnb,rnb->rb", v0, v0))[:, None, :]
        if np.any(nrm == 0) or not np.all(np.isfinite(nrm)):
            raise ValueError("v0 must be finite and non-zero")
    # Few trajectories: one product W @ [X | V]; many: two contiguous products (faster GEMM
    # shapes).  The choice depends on B only, so results are a function of the inputs.
    combined = lyap and B < COMBINED_GEMM_MAX_B
    if combined:
        Z = np.empty((R, N, 2 * B))
        H = np.empty((R, N, 2 * B))
        X, V, HX, HV = Z[:, :, :B], Z[:, :, B:], H[:, :, :B], H[:, :, B:]
    else:
        X, HX = np.empty((R, N, B)), np.empty((R, N, B))
        V, HV = (np.empty((R, N, B)), np.empty((R, N, B))) if lyap else (None, None)
    X[...] = x0
    if lyap:
        V[...] = v0 / nrm
        v_reset = V.copy()
        deriv = np.empty((R, N, B))
        sq = np.empty((R, 1, B))
    log_growth = np.zeros((R, B))

    if observe:
        buffer_steps = max(1, min(buffer_steps, n_measure))
        buf = np.empty((buffer_steps, R, N, B))
        n_ring = 2 * max_period
        ring = np.empty((n_ring, R, N, B))
        # accumulators (shifted by the first measured state for numerical stability)
        acc = {
            "abs": np.zeros((R, N, B)),
            "sat": np.zeros((R, N, B)),
            "s1": np.zeros((R, N, B)),
            "s2": np.zeros((R, N, B)),
            "lag": np.zeros((R, N, B)),
            "m1": np.zeros((R, B)),
            "m2": np.zeros((R, B)),
        }
        state = {"ref": None, "mref": None, "prev": None}
        cov = _CovarianceAccumulator(R, N, cov_blocks) if cov_blocks else None
        block_len = n_measure // cov_blocks if cov_blocks else n_measure
        tmp = np.empty_like(buf)
        flags = np.empty(buf.shape, dtype=bool)

    def flush(n: int, cov_block: int) -> None:
        states = buf[:n]
        if state["ref"] is None:
            state["ref"] = states[0].copy()
            state["mref"] = state["ref"].mean(axis=1)
        absx = np.abs(states, out=tmp[:n])
        acc["abs"] += absx.sum(axis=0)
        acc["sat"] += np.greater(absx, sat_threshold, out=flags[:n]).sum(axis=0)
        y = np.subtract(states, state["ref"], out=tmp[:n])
        acc["s1"] += y.sum(axis=0)
        acc["s2"] += np.einsum("trnb,trnb->rnb", y, y)
        if state["prev"] is not None:
            acc["lag"] += state["prev"] * y[0]
        if n > 1:
            acc["lag"] += np.einsum("trnb,trnb->rnb", y[1:], y[:-1])
        state["prev"] = y[-1].copy()
        m = np.einsum("trnb->trb", states) / N - state["mref"]  # (L, R, B)
        acc["m1"] += m.sum(axis=0)
        acc["m2"] += (m * m).sum(axis=0)
        if cov is not None:
            cov.add(cov_block, states)

    n_total = n_transient + n_measure
    pos = 0
    for t in range(n_total):
        if combined:
            np.matmul(W, Z, out=H)
        else:
            np.matmul(W, X, out=HX)
            if lyap:
                np.matmul(W, V, out=HV)
        if drive is not None:
            HX += drive(t)
        np.tanh(HX, out=X)
        if lyap:
            np.multiply(X, X, out=deriv)
            np.subtract(1.0, deriv, out=deriv)
            np.multiply(deriv, HV, out=V)
            np.einsum("rnb,rnb->rb", V, V, out=sq[:, 0, :])
            if sq.min() < 1e-280:
                growth = _tangent_rescue(HX, HV, V, sq, v_reset)
            else:
                np.sqrt(sq, out=sq)
                np.divide(V, sq, out=V)
                growth = np.log(sq[:, 0, :])
            if t >= n_transient:
                log_growth += growth
        if observe and t >= n_transient:
            tm = t - n_transient  # measurement index 0..n_measure-1
            buf[pos] = X
            pos += 1
            if tm >= n_measure - n_ring:
                ring[tm - (n_measure - n_ring)] = X
            if pos == buffer_steps or (tm + 1) % block_len == 0:
                flush(pos, tm // block_len)
                pos = 0

    T = float(n_measure)
    if not observe:
        measures = {"lyap_max": log_growth / T if lyap else np.full((R, B), np.nan)}
        out = SimulationResult(measures=measures, final_state=X.copy())
        if squeeze:
            out.measures = {k: v[0] for k, v in out.measures.items()}
            out.final_state = out.final_state[0]
        return out
    ref, mref, prev = state["ref"], state["mref"], state["prev"]
    s1, s2, lag = acc["s1"], acc["s2"], acc["lag"]
    var = np.maximum(s2 / T - (s1 / T) ** 2, 0.0)
    fluctuation = np.sqrt(var).mean(axis=1)
    # lag-1 Pearson correlation over pairs (t, t+1), t = 1..T-1; y_1 = 0 by construction
    yT = prev
    n = T - 1.0
    Sa, Sb = s1 - yT, s1
    Saa, Sbb = s2 - yT * yT, s2
    cov_ab = lag / n - Sa * Sb / n**2
    var_a = np.maximum(Saa / n - (Sa / n) ** 2, 0.0)
    var_b = np.maximum(Sbb / n - (Sb / n) ** 2, 0.0)
    denom = np.sqrt(var_a * var_b)
    flat = denom <= 1e-24
    corr = np.where(flat, 1.0, cov_ab / np.where(flat, 1.0, denom))
    corr1 = np.clip(corr, -1.0, 1.0).mean(axis=1)
    m1, m2 = acc["m1"], acc["m2"]
    measures = {
        "mean_abs": acc["abs"].sum(axis=1) / (N * T),
        "sat_frac": acc["sat"].sum(axis=1) / (N * T),
        "fluctuation": fluctuation,
        "corr1": corr1,
        "global_mean": mref + m1 / T,
        "global_std": np.sqrt(np.maximum(m2 / T - (m1 / T) ** 2, 0.0)),
        "lyap_max": log_growth / T if lyap else np.full((R, B), np.nan),
        "period": detect_period(ring, max_period, period_tol),
    }
    for name, val in measures.items():
        if name == "lyap_max" and not lyap:
            continue
        finite = np.isfinite(val) | ((name == "lyap_max") & (val == -np.inf))
        if not np.all(finite):
            r = int(np.argwhere(~finite)[0][0])
            raise FloatingPointError(f"non-finite {name} for {labels[r]}")
    out = SimulationResult(measures=measures, final_state=X.copy())
    if cov is not None:
        out.cov_n, out.cov_s1, out.cov_s2 = cov.n, cov.s1, cov.s2
    if squeeze:
        out.measures = {k: v[0] for k, v in out.measures.items()}
        out.final_state = out.final_state[0]
        if cov is not None:
            out.cov_s1, out.cov_s2 = out.cov_s1[:, 0], out.cov_s2[:, 0]
    return out


def _tangent_rescue(HX, HV, V, sq, v_reset):
    """Normalise tangent vectors whose squared norm underflowed, in the log domain.

    For columns with sq < 1e-280 recompute log ||sech^2(h) * (W v)|| exactly; columns with
    W v = 0 exactly get growth -inf and are reset to their initial direction.
    Updates V in place, returns log growth (R, B).
    """
    ok = sq[:, 0, :] >= 1e-280
    growth = np.empty(sq.shape[::2])
    with np.errstate(divide="ignore"):
        growth[ok] = 0.5 * np.log(sq[:, 0, :][ok])
    r_ok, b_ok = np.nonzero(ok)
    V[r_ok, :, b_ok] /= np.exp(growth[ok])[:, None]
    for r, b in zip(*np.nonzero(~ok)):
        u = HV[r, :, b]
        nz = u != 0
        if not np.any(nz):
            growth[r, b] = -np.inf
            V[r, :, b] = v_reset[r, :, b]
            continue
        terms = np.full(u.shape, -np.inf)
        terms[nz] = _log_sech2(HX[r, nz, b]) + np.log(np.abs(u[nz]))
        top = terms.max()
        lognorm = top + 0.5 * np.log(np.sum(np.exp(2.0 * (terms - top))))
        V[r, :, b] = np.sign(u) * np.exp(terms - lognorm)
        growth[r, b] = lognorm
    return growth


def detect_period(ring: np.ndarray, max_period: int, tol: float) -> np.ndarray:
    """Smallest verified period from the last 2*max_period states (ring: (2P, R, N, B)).

    P qualifies if ||x(T-j) - x(T-j-P)||_2 < tol for all j = 0..P-1.  Returns (R, B) ints,
    0 where no P <= max_period qualifies.
    """
    n, R, N, B = ring.shape
    period = np.zeros((R, B), dtype=np.int64)
    undecided = np.ones((R, B), dtype=bool)
    for P in range(1, max_period + 1):
        d = ring[n - P :] - ring[n - 2 * P : n - P]  # (P, R, N, B)
        worst = np.sqrt(np.einsum("prnb,prnb->prb", d, d)).max(axis=0)
        hit = undecided & (worst < tol)
        period[hit] = P
        undecided &= ~hit
        if not undecided.any():
            break
    return period


def participation_ratio_blocks(cov_n: np.ndarray, cov_s1: np.ndarray, cov_s2: np.ndarray, W: Optional[np.ndarray] = None):
    """Participation ratio PR/N from per-block sums, with the cross-block estimator.

    Per-block covariances C_k are centred on the pooled mean over all blocks.  The cross-block
    (unbiased) estimator uses distinct blocks only:

        PR/N = [ sum_{k != l} tr C_k tr C_l ] / [ N sum_{k != l} tr(C_k C_l) ]

    so that sampling noise of one block does not enter tr(C^2) squared.  ``W`` (N, N), if given,
    maps state covariances to field covariances C_h = W C Wᵀ (for h = W x).

    Returns (pr_cross, pr_jackknife_se, pr_naive); pr_naive uses the pooled covariance.
    Shapes: cov_n (K,), cov_s1 (K, N), cov_s2 (K, N, N) for one matrix.
    """
    K = len(cov_n)
    if K < 2:
        raise ValueError("the cross-block estimator needs at least 2 blocks")
    n_tot = cov_n.sum()
    mu = cov_s1.sum(axis=0) / n_tot
    C = np.empty_like(cov_s2)
    for k in range(K):
        mk = cov_s1[k] / cov_n[k]
        C[k] = cov_s2[k] / cov_n[k] - np.outer(mk, mu) - np.outer(mu, mk) + np.outer(mu, mu)
        if W is not None:
            C[k] = W @ C[k] @ W.T
    N = C.shape[1]
    tr = np.trace(C, axis1=1, axis2=2)
    flat = C.reshape(K, -1)
    G = flat @ flat.T  # G_kl = tr(C_k C_l) (C symmetric)
    trtr = np.outer(tr, tr)
    off = ~np.eye(K, dtype=bool)

    def estimate(keep):
        sel = off & np.outer(keep, keep)
        return trtr[sel].sum() / (N * G[sel].sum())

    pr = estimate(np.ones(K, dtype=bool))
    loo = np.array([estimate(np.arange(K) != k) for k in range(K)])
    se = np.sqrt((K - 1) / K * np.sum((loo - loo.mean()) ** 2))
    Cp = np.tensordot(cov_n / n_tot, C, axes=1)
    naive = np.trace(Cp) ** 2 / (N * np.sum(Cp * Cp))
    return float(pr), float(se), float(naive)
