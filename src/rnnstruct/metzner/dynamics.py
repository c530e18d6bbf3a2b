"""Discrete-time tanh networks x(t+1) = tanh(W x(t) + I(t)), many trajectories at once.

Shapes: a stack of R matrices ``W`` (R, N, N) and states ``X`` (R, N, B): B trajectories per
matrix, so that every step is one matrix-matrix product per matrix.  The state and the tangent
vectors share W and are propagated by one product ``W @ [X | V]``.  Nothing of the trajectory is
stored: the measures below are accumulated while the network runs (states are buffered in short
blocks so that the accumulation is vectorised over time).

Measures (``docs/models/metzner2025.md#measures``, all [RECON]; t = 1..T over the measurement window,
after ``n_transient`` discarded steps):

=================  =====================================================================
``mean_abs``       A  = < |x_i(t)| >_{i,t}
``sat_frac``       S  = < 1[|x_i(t)| > theta_sat] >_{i,t}
``fluctuation``    F  = < std_t x_i(t) >_i
``corr1``          C1 = < Pearson_t(x_i(t), x_i(t+1)) >_i, a neuron with zero std counts 1
``global_mean``    < M(t) >_t with M(t) = < x_i(t) >_i
``global_std``     std_t M(t)
``lyap_max``       (1/T) sum_t log ||v(t)||, v(t+1) = sech^2(h(t)) * (W v(t)) with h(t) = W x(t) [+ I(t)]
                   the field (sech^2 h = 1 - x(t+1)^2, computed from h), v renormalised to unit length
                   every step (also during the transient)
``period``         smallest P <= max_period with ||x(T-j) - x(T-j-P)||_2 < period_tol for all
                   j = 0..P-1 (a full verified period at the end of the run); 0 if none
=================  =====================================================================

Saturation and the tangent: in float64 tanh(h) rounds to within a few ulp of +-1 for |h| > ~10, so
1 - x^2 would lose all precision; the derivative is computed from the field instead,
sech^2 h = 4 e / (1 + e)^2 with e = exp(-2|h|).  If a tangent vector still underflows (|h| > ~350,
or a norm below ``RESCUE_NORM``), the step is recomputed in the log domain from the fields h
(log sech^2 h = log 4 - 2|h| - 2 log(1 + e^{-2|h|})), so lambda_max stays finite and exact.  Only when W v = 0 exactly (e.g. w = 0) is the growth -inf, and then
lambda_max = -inf is the exact answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import numpy as np

from rnnstruct.numerics import participation
from rnnstruct.numerics.phi import log_sech2

REGIME_CODES = {
    "quiescent_fixed_point": 0,
    "saturated_fixed_point": 1,
    "periodic": 2,
    "chaotic": 3,
    "other": 4,
}

#: tangent norms below this are renormalised in the log domain (their squares would underflow)
RESCUE_NORM = 1e-140

#: below this many trajectories per matrix, state and tangent share one matrix product
COMBINED_GEMM_MAX_B = 2

MEASURES = ("mean_abs", "sat_frac", "fluctuation", "corr1", "global_mean", "global_std", "lyap_max", "period")


@dataclass(frozen=True)
class RegimeThresholds:
    """Thresholds of the regime label (docs/models/metzner2025.md#regime-label, [RECON]; all configurable)."""

    fixed_point_fluctuation: float = 1e-6  # F below this: fixed point
    quiescent_amplitude: float = 1e-3  # A below this (at a fixed point): quiescent
    chaos_lyapunov: float = 0.01  # lambda_max above this: chaotic


def classify_regime(
    mean_abs, fluctuation, lyap_max, period, thresholds: RegimeThresholds = RegimeThresholds()
):
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


class _CovarianceAccumulator:
    """Per-block sums of x and x x^T pooled over trajectories (for the participation ratio)."""

    def __init__(self, R: int, N: int, n_blocks: int):
        self.n = np.zeros(n_blocks)
        self.s1 = np.zeros((n_blocks, R, N))
        self.s2 = np.zeros((n_blocks, R, N, N))

    def add(self, block: int, r: int, states: np.ndarray) -> None:
        # states of matrix r: (L, N, B) -> (N, L*B)
        L, N, B = states.shape
        Y = states.transpose(1, 0, 2).reshape(N, L * B)
        if r == 0:
            self.n[block] += L * B
        self.s1[block, r] += Y.sum(axis=1)
        self.s2[block, r] += Y @ Y.T


@dataclass
class SimulationResult:
    """Measures per (matrix, trajectory), each an array of shape (R, B)."""

    measures: dict
    cov_n: Optional[np.ndarray] = None  # (K,) samples per covariance block
    cov_s1: Optional[np.ndarray] = None  # (K, R, N)
    cov_s2: Optional[np.ndarray] = None  # (K, R, N, N)
    final_state: Optional[np.ndarray] = None  # (R, N, B)


def _as_batch(W, x0, v0, n_transient, n_measure, max_period, cov_blocks, labels):
    """Validated float64 arrays (R, N, N), (R, N, B), (R, N, B) or None, and one label per matrix."""
    W = np.asarray(W, dtype=np.float64)
    x0 = np.asarray(x0, dtype=np.float64)
    if W.ndim == 2:
        W = W[None]
        x0 = x0[None]
        v0 = None if v0 is None else np.asarray(v0, dtype=np.float64)[None]
    if W.ndim != 3 or W.shape[1] != W.shape[2]:
        raise ValueError(f"W must have shape (R, N, N), got {W.shape}")
    R, N, _ = W.shape
    if x0.ndim != 3 or x0.shape[:2] != (R, N):
        raise ValueError(f"x0 must have shape (R, N, B) = ({R}, {N}, B), got {x0.shape}")
    if n_transient < 0 or n_measure < 2:
        raise ValueError(f"need n_transient >= 0 and n_measure >= 2, got {n_transient}, {n_measure}")
    if max_period < 1 or 2 * max_period > n_measure:
        raise ValueError(
            f"need 1 <= max_period <= n_measure/2, got max_period={max_period}, n_measure={n_measure}"
        )
    if cov_blocks and n_measure % cov_blocks:
        raise ValueError(f"n_measure={n_measure} must be divisible by cov_blocks={cov_blocks}")
    labels = list(labels) if labels is not None else [f"matrix {r}" for r in range(R)]
    bad = [labels[r] for r in range(R) if not np.all(np.isfinite(W[r]))]
    if bad:
        raise FloatingPointError(f"non-finite weights for {', '.join(bad)}")
    if not np.all(np.isfinite(x0)):
        raise FloatingPointError("non-finite initial state")
    if v0 is not None:
        v0 = np.asarray(v0, dtype=np.float64)
        if v0.shape != x0.shape:
            raise ValueError(f"v0 must have the shape of x0 {x0.shape}, got {v0.shape}")
    return W, x0, v0, labels


class _Observer:
    """The measures of the measurement window, accumulated from buffered states.

    Per-matrix buffers (R, L, N, B) and per-matrix reductions: every reduction sees the same shapes
    whatever the number of stacked matrices, so a matrix gives bit-identical measures alone or in
    any batch (numpy's summation order can depend on the full array shape).  Sums are shifted by the
    first measured state for numerical stability.
    """

    def __init__(self, R, N, B, n_measure, max_period, sat_threshold, cov_blocks, buffer_steps):
        self.N, self.n_measure, self.sat_threshold = N, n_measure, sat_threshold
        self.buffer_steps = max(1, min(buffer_steps, n_measure))
        self.buf = np.empty((R, self.buffer_steps, N, B))
        self.n_ring = 2 * max_period
        self.ring = np.empty((R, self.n_ring, N, B))
        self.acc = {name: np.zeros((R, N, B)) for name in ("abs", "sat", "s1", "s2", "lag")}
        self.acc["m1"] = np.zeros((R, B))
        self.acc["m2"] = np.zeros((R, B))
        self.ref = np.empty((R, N, B))
        self.mref = np.empty((R, B))
        self.prev = np.empty((R, N, B))  # last shifted state of the previous flushed block
        self.started = False
        self.cov = _CovarianceAccumulator(R, N, cov_blocks) if cov_blocks else None
        self.block_len = n_measure // cov_blocks if cov_blocks else n_measure
        self.tmp = np.empty((self.buffer_steps, N, B))
        self.flags = np.empty((self.buffer_steps, N, B), dtype=bool)
        self.pos = 0

    def add(self, tm: int, X: np.ndarray) -> None:
        """States x of measurement step tm (0..n_measure-1)."""
        self.buf[:, self.pos] = X
        self.pos += 1
        if tm >= self.n_measure - self.n_ring:
            self.ring[:, tm - (self.n_measure - self.n_ring)] = X
        if self.pos == self.buffer_steps or (tm + 1) % self.block_len == 0:
            self._flush(self.pos, tm // self.block_len)
            self.pos = 0

    def _flush(self, n: int, cov_block: int) -> None:
        acc, tmp, N = self.acc, self.tmp, self.N
        first = not self.started
        for r in range(self.buf.shape[0]):
            states = self.buf[r, :n]  # (L, N, B), contiguous
            if first:
                self.ref[r] = states[0]
                self.mref[r] = states[0].sum(axis=0) / N
            absx = np.abs(states, out=tmp[:n])
            acc["abs"][r] += absx.sum(axis=0)
            acc["sat"][r] += np.greater(absx, self.sat_threshold, out=self.flags[:n]).sum(axis=0)
            y = np.subtract(states, self.ref[r], out=tmp[:n])
            acc["s1"][r] += y.sum(axis=0)
            acc["s2"][r] += (y * y).sum(axis=0)
            if not first:
                acc["lag"][r] += self.prev[r] * y[0]
            if n > 1:
                acc["lag"][r] += (y[1:] * y[:-1]).sum(axis=0)
            self.prev[r] = y[-1]
            m = states.sum(axis=1) / N - self.mref[r]  # (L, B)
            acc["m1"][r] += m.sum(axis=0)
            acc["m2"][r] += (m * m).sum(axis=0)
            if self.cov is not None:
                self.cov.add(cov_block, r, states)
        self.started = True

    def measures(self, max_period: int, period_tol: float) -> dict:
        return _finish_measures(
            self.acc, self.ref, self.mref, self.prev, self.ring, float(self.n_measure), self.N, max_period, period_tol
        )


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
    record: Optional[Callable[[int, np.ndarray], None]] = None,
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
    record : optional function (t, X) called after every update with the new states x(t+1),
        X of shape (R, N, B) (a view that the next step overwrites: copy what you keep), e.g.
        to harvest reservoir states
    labels : one text per matrix, used in error messages (e.g. "w=2, b=0.1, rep=3")

    Returns a :class:`SimulationResult` with the measures listed in the module docstring.
    """
    squeeze = np.ndim(W) == 2
    W, x0, v0, labels = _as_batch(W, x0, v0, n_transient, n_measure, max_period, cov_blocks, labels)
    R, N, B = x0.shape
    lyap = v0 is not None
    if lyap:
        nrm = np.sqrt(np.matmul(np.ones((1, N)), v0 * v0))  # (R, 1, B), per matrix
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
        deriv, tmp = np.empty((R, N, B)), np.empty((R, N, B))
        sq = np.empty((R, 1, B))
        ones_row = np.ones((1, N))
    log_growth = np.zeros((R, B))
    obs = _Observer(R, N, B, n_measure, max_period, sat_threshold, cov_blocks, buffer_steps) if observe else None

    for t in range(n_transient + n_measure):
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
            _sech2(HX, deriv, tmp)
            np.multiply(deriv, HV, out=V)
            np.multiply(V, V, out=deriv)
            np.matmul(ones_row, deriv, out=sq)  # one BLAS product per matrix: batch-independent
            np.sqrt(sq, out=sq)
            if sq.min() < RESCUE_NORM:
                growth = _tangent_rescue(HX, HV, V, sq, v_reset)
            else:
                np.divide(V, sq, out=V)
                growth = np.log(sq[:, 0, :])
            if t >= n_transient:
                log_growth += growth
        if record is not None:
            record(t, X)
        if obs is not None and t >= n_transient:
            obs.add(t - n_transient, X)

    return _result(obs, log_growth, float(n_measure), lyap, X, labels, squeeze, max_period, period_tol)


def _result(obs, log_growth, T, lyap, X, labels, squeeze, max_period, period_tol) -> SimulationResult:
    """Measures checked for finiteness (a non-finite value names its matrix), squeezed for one matrix."""
    measures = obs.measures(max_period, period_tol) if obs is not None else {}
    measures["lyap_max"] = log_growth / T if lyap else np.full(log_growth.shape, np.nan)
    for name, val in measures.items():
        if name == "lyap_max" and not lyap:
            continue
        finite = np.isfinite(val) | ((name == "lyap_max") & (val == -np.inf))
        if not np.all(finite):
            r = int(np.argwhere(~finite)[0][0])
            raise FloatingPointError(f"non-finite {name} for {labels[r]}")
    out = SimulationResult(measures=measures, final_state=X.copy())
    if obs is not None and obs.cov is not None:
        out.cov_n, out.cov_s1, out.cov_s2 = obs.cov.n, obs.cov.s1, obs.cov.s2
    if squeeze:
        out.measures = {k: v[0] for k, v in out.measures.items()}
        out.final_state = out.final_state[0]
        if out.cov_s1 is not None:
            out.cov_s1, out.cov_s2 = out.cov_s1[:, 0], out.cov_s2[:, 0]
    return out


def _finish_measures(acc, ref, mref, prev, ring, T, N, max_period, period_tol) -> dict:
    """Measures from the accumulated sums (see module docstring), one matrix at a time."""
    R = ref.shape[0]
    s1, s2, lag = acc["s1"], acc["s2"], acc["lag"]
    var = np.maximum(s2 / T - (s1 / T) ** 2, 0.0)
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
    corr = np.clip(np.where(flat, 1.0, cov_ab / np.where(flat, 1.0, denom)), -1.0, 1.0)
    std = np.sqrt(var)
    m1, m2 = acc["m1"], acc["m2"]

    def over_neurons(a):  # mean over N, one matrix at a time (batch-independent)
        return np.stack([a[r].sum(axis=0) for r in range(R)]) / N

    return {
        "mean_abs": over_neurons(acc["abs"]) / T,
        "sat_frac": over_neurons(acc["sat"]) / T,
        "fluctuation": over_neurons(std),
        "corr1": over_neurons(corr),
        "global_mean": mref + m1 / T,
        "global_std": np.sqrt(np.maximum(m2 / T - (m1 / T) ** 2, 0.0)),
        "period": np.stack([detect_period(ring[r], max_period, period_tol) for r in range(R)]),
    }


def _sech2(H, out, tmp):
    """sech^2(h) = 4 e / (1 + e)^2 with e = exp(-2|h|) into ``out`` (``tmp`` a scratch array of H's shape).

    The derivative of tanh from the field, not 1 - tanh(h)^2: near saturation tanh(h) rounds to within a
    few ulp of +-1 and 1 - x^2 keeps only a few significant bits (relative error ~ 1e-16 e^{2|h|}), while
    this form is accurate to a few ulp for every h (the same formula as ``rnnstruct.numerics.phi.sech2``).
    """
    np.abs(H, out=tmp)
    np.multiply(tmp, -2.0, out=tmp)
    np.exp(tmp, out=tmp)  # e
    np.multiply(tmp, 4.0, out=out)
    np.add(tmp, 1.0, out=tmp)
    np.multiply(tmp, tmp, out=tmp)
    np.divide(out, tmp, out=out)
    return out


def _tangent_rescue(HX, HV, V, norm, v_reset):
    """Normalise tangent vectors, recomputing underflowed ones in the log domain.

    ``norm`` (R, 1, B) holds ||V|| per column.  Columns with norm >= RESCUE_NORM are treated
    exactly as in the fast path (divide, log), so their bits do not depend on which other columns
    of the batch needed rescue.  For the others log ||sech^2(h) * (W v)|| is recomputed exactly;
    columns with W v = 0 exactly get growth -inf and are reset to their initial direction.
    Updates V in place and returns the log growth (R, B).
    """
    bad = norm[:, 0, :] < RESCUE_NORM
    safe = np.where(norm < RESCUE_NORM, 1.0, norm)
    np.divide(V, safe, out=V)
    growth = np.log(safe[:, 0, :])
    for r, b in zip(*np.nonzero(bad)):
        u = HV[r, :, b]
        nz = u != 0
        if not np.any(nz):
            growth[r, b] = -np.inf
            V[r, :, b] = v_reset[r, :, b]
            continue
        terms = np.full(u.shape, -np.inf)
        terms[nz] = log_sech2(HX[r, nz, b]) + np.log(np.abs(u[nz]))
        top = terms.max()
        lognorm = top + 0.5 * np.log(np.sum(np.exp(2.0 * (terms - top))))
        V[r, :, b] = np.sign(u) * np.exp(terms - lognorm)
        growth[r, b] = lognorm
    return growth


def detect_period(ring: np.ndarray, max_period: int, tol: float) -> np.ndarray:
    """Smallest verified period from the last 2*max_period states of one matrix (ring: (2P, N, B)).

    P qualifies if ||x(T-j) - x(T-j-P)||_2 < tol for all j = 0..P-1.  Returns (B,) ints,
    0 where no P <= max_period qualifies.  Candidates are screened with j = 0 alone (one vector
    per P), so the full check runs only where a trajectory may be periodic.
    """
    n, N, B = ring.shape
    period = np.zeros(B, dtype=np.int64)
    last = ring[n - 1]
    d0 = ring[n - 1 - max_period : n - 1][::-1] - last  # d0[P-1] = x(T-P) - x(T)
    screen = np.sqrt((d0 * d0).sum(axis=1)) < tol  # (max_period, B)
    undecided = screen.any(axis=0)
    for P in range(1, max_period + 1):
        cols = np.nonzero(undecided & screen[P - 1])[0]
        if cols.size == 0:
            continue
        d = ring[n - P :, :, cols] - ring[n - 2 * P : n - P, :, cols]  # (P, N, c)
        hit = np.sqrt((d * d).sum(axis=1)).max(axis=0) < tol
        period[cols[hit]] = P
        undecided[cols[hit]] = False
        if not undecided.any():
            break
    return period


def participation_ratio_blocks(
    cov_n: np.ndarray, cov_s1: np.ndarray, cov_s2: np.ndarray, W: Optional[np.ndarray] = None
):
    """Participation ratio PR/N from per-block sums, with the cross-block estimator.

    Per-block covariances C_k are centred on the pooled mean over all blocks; ``W`` (N, N), if
    given, maps state covariances to field covariances C_h = W C Wᵀ (for h = W x).  The estimate
    itself is :func:`rnnstruct.numerics.participation.from_blocks` with one group per block: the
    cross-block (unbiased) estimator uses distinct blocks only,

        PR/N = [ sum_{k != l} tr C_k tr C_l ] / [ N sum_{k != l} tr(C_k C_l) ],

    so that sampling noise of one block does not enter tr(C^2) squared, with a delete-one-block
    jackknife error; the naive estimator uses the pooled covariance (blocks of equal size).

    Returns (pr_cross, pr_jackknife_se, pr_naive).
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
    flat = C.reshape(K, -1)
    G = flat @ flat.T  # G_kl = tr(C_k C_l) (C symmetric)
    stats = (G, np.trace(C, axis1=1, axis2=2), np.diag(G), np.arange(K))
    pr, se = participation.from_blocks(*stats, N, "crossblock")
    naive, _ = participation.from_blocks(*stats, N, "naive")
    return pr, se, naive
