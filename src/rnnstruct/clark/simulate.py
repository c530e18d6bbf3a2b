"""Batched RK4 simulation of dx/dt = -x + J phi(x) with streaming block covariance (PRX App. M2, M6;
docs/models/clark2025.md#estimators).

Many trajectories share one J: the state is an N x n_traj matrix and each RK4 stage is one GEMM.
After a transient, activity is sampled every ``sample_every`` time units.  The recording is cut into
``n_blocks`` consecutive blocks of ``block_len`` sample times; a block's raw second-moment matrix is
S_b = sum_{t in block} sum_traj a(t) a(t)^T (no mean subtraction, PRX M6), pooled over trajectories.
Samples are buffered and added as one rank-(buffer) GEMM update (:data:`FLUSH_COLUMNS`), never one
rank-n_traj update per sample (at N = 5000 a per-sample update of the N x N accumulator costs more
than the 20 RK4 steps between samples).  Nothing of the run is stored: per block only tr S_b and
||S_b||_F^2 are kept, and the S_b are summed into ``n_groups`` contiguous groups whose Gram matrix
<G_g, G_h>_F is formed at the end.  These are sufficient statistics for the naive and the
cross-block participation ratio and for a delete-one-group jackknife (:mod:`.estimators`).

Also accumulated:

* the single-neuron two-point function C(tau) = <a_i(t) a_i(t + tau)> for lags 0..max_lag
  (in samples) from a ring buffer;
* the four-point function Psi(tau, 0) = (1/N) tr[C(0) C(tau)^T] = (1/N) <(C(0) a(t)) . a(t + tau)>
  (PRX Eq. (24)) for lags 0..psi_max_lag, by a cross-block estimator: C(0) is the pilot estimate of the
  first group of blocks, and the projections are accumulated over the later groups only, so the
  pilot's sampling noise is independent of the samples it multiplies (unbiased for independent
  blocks; no second pass over the run and no lagged N x N matrices).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from rnnstruct.numerics.phi import phi_function
from rnnstruct.numerics.rk4 import rate_field, rk4_step

#: buffered sample columns per covariance update (fixed: results do not depend on job layout)
FLUSH_COLUMNS = 256


@dataclass
class BlockStats:
    """Sufficient statistics of one run for one observable (``x`` or ``phi``)."""

    gram: np.ndarray  # (n_groups, n_groups): <G_g, G_h>_F of the group sums of S_b
    block_trace: np.ndarray  # (n_blocks,): tr S_b
    block_sqnorm: np.ndarray  # (n_blocks,): ||S_b||_F^2
    group_of_block: np.ndarray  # (n_blocks,) int
    samples_per_block: int  # block_len * n_traj
    two_point: np.ndarray  # (max_lag + 1,): C(tau) at lags 0..max_lag samples
    psi_tau0: np.ndarray = field(default_factory=lambda: np.zeros(0))  # Psi(tau, 0), lags 0..psi_max_lag
    spectrum: np.ndarray = field(default_factory=lambda: np.zeros(0))  # eigenvalues of mean C (optional)


def group_index(n_blocks: int, n_groups: int) -> np.ndarray:
    """Contiguous groups of blocks: block b belongs to group floor(b K / B)."""
    if not 1 <= n_groups <= n_blocks:
        raise ValueError(f"need 1 <= n_groups <= n_blocks, got {n_groups} groups for {n_blocks} blocks")
    return (np.arange(n_blocks) * n_groups) // n_blocks


class _Lagged:
    """Running sums of <u(t - lag) . v(t)> for lag = 0..max_lag over a sample stream."""

    def __init__(self, max_lag: int):
        self.ring: list = [None] * (max_lag + 1)
        self.acc = np.zeros(max_lag + 1)
        self.cnt = np.zeros(max_lag + 1)
        self.t = 0

    def add(self, u: np.ndarray, v: np.ndarray) -> None:
        size = len(self.ring)
        self.ring[self.t % size] = u
        for lag in range(min(size - 1, self.t) + 1):
            self.acc[lag] += float(np.vdot(self.ring[(self.t - lag) % size], v))
            self.cnt[lag] += v.shape[1]
        self.t += 1


def simulate_blocks(
    J: np.ndarray,
    X0: np.ndarray,
    *,
    phi: str = "erf",
    dt: float = 0.05,
    t_transient: float = 500.0,
    sample_every: float = 1.0,
    block_len: int = 2000,
    n_blocks: int = 50,
    n_groups: int = 10,
    max_lag: int = 0,
    psi_max_lag: int | None = None,
    dtype=np.float32,
    keep_spectrum: bool = False,
    readouts: Mapping[str, np.ndarray] | None = None,
) -> dict[str, BlockStats]:
    """Simulate the batch X0 (N x n_traj) and return {"x": BlockStats, "phi": BlockStats}.

    ``readouts`` {name: w} adds weighted observables w * phi(x) (w of length N, e.g. neuron gains for
    the gain-weighted activity G phi of PRX Sec. VI) with the same block statistics under their own
    names; the x and phi statistics do not depend on it."""
    f = phi_function(phi)
    J = np.asarray(J, dtype=dtype)
    rhs = rate_field(J, f)
    X = np.array(X0, dtype=dtype, copy=True)
    if X.ndim != 2 or X.shape[0] != J.shape[0]:
        raise ValueError(f"X0 must be N x n_traj with N = {J.shape[0]}, got shape {X.shape}")
    N, n_traj = X.shape
    steps = int(round(sample_every / dt))
    if steps < 1 or abs(steps * dt - sample_every) > 1e-9 * max(sample_every, 1.0):
        raise ValueError(f"sample_every = {sample_every} must be a multiple of dt = {dt}")
    groups = group_index(n_blocks, n_groups)
    if psi_max_lag is not None and n_groups < 2:
        raise ValueError("Psi(tau, 0) needs n_groups >= 2 (a pilot group and at least one more)")
    weights = {k: np.asarray(w, dtype=np.float64).reshape(-1, 1) for k, w in (readouts or {}).items()}
    for r, w in weights.items():
        if r in ("x", "phi") or w.shape[0] != N:
            raise ValueError(f"readout {r!r} needs a new name and {N} weights, got {w.shape[0]}")
    for _ in range(int(round(t_transient / dt))):
        X = rk4_step(X, rhs, dt)
    names = ("x", "phi") + tuple(weights)
    group_sum = {n: np.zeros((n_groups, N, N)) for n in names}
    tr = {n: np.zeros(n_blocks) for n in names}
    sq = {n: np.zeros(n_blocks) for n in names}
    two = {n: _Lagged(max_lag) for n in names}
    psi = {n: _Lagged(psi_max_lag) for n in names} if psi_max_lag is not None else {}
    pilot: dict = {}
    per_flush = max(1, FLUSH_COLUMNS // n_traj)
    for b in range(n_blocks):
        if psi and groups[b] > 0 and not pilot:
            n0 = int(np.sum(groups == 0)) * block_len * n_traj
            pilot = {n: group_sum[n][0] / n0 for n in names}
        S = {n: np.zeros((N, N)) for n in names}
        buf: dict = {n: [] for n in names}
        for k in range(block_len):
            for _ in range(steps):
                X = rk4_step(X, rhs, dt)
            A = {"x": X.astype(np.float64), "phi": f(X).astype(np.float64)}
            for r, w in weights.items():
                A[r] = w * A["phi"]
            for n in names:
                a = A[n]
                buf[n].append(a)
                two[n].add(a, a)
                if pilot:
                    psi[n].add(pilot[n] @ a, a)
                if len(buf[n]) == per_flush or k == block_len - 1:
                    M = np.concatenate(buf[n], axis=1)
                    S[n] += M @ M.T
                    buf[n] = []
        for n in names:
            tr[n][b] = np.trace(S[n])
            sq[n][b] = np.vdot(S[n], S[n])
            group_sum[n][groups[b]] += S[n]
    out = {}
    for n in names:
        G = group_sum[n].reshape(n_groups, -1)
        spectrum = np.zeros(0)
        if keep_spectrum:
            total = group_sum[n].sum(axis=0) / (n_blocks * block_len * n_traj)
            spectrum = np.sort(np.linalg.eigvalsh(total))[::-1]
        out[n] = BlockStats(
            gram=G @ G.T,
            block_trace=tr[n],
            block_sqnorm=sq[n],
            group_of_block=groups,
            samples_per_block=block_len * n_traj,
            two_point=two[n].acc / (two[n].cnt * N),
            psi_tau0=psi[n].acc / (psi[n].cnt * N) if psi else np.zeros(0),
            spectrum=spectrum,
        )
    return out


def record_activity(
    J: np.ndarray,
    X0: np.ndarray,
    n_samples: int,
    *,
    phi: str = "erf",
    dt: float = 0.05,
    t_transient: float = 500.0,
    sample_every: float = 1.0,
    dtype=np.float32,
) -> tuple[np.ndarray, np.ndarray]:
    """Stored activity for the analyses that need raw traces (heatmaps, PC timescales, lagged
    four-point functions; PRX Figs. 3, 9, PRL Figs. 3-6).  Returns (x, phi), each of shape
    (n_samples, N, n_traj) in ``dtype``, sampled every ``sample_every`` after ``t_transient``.
    Memory is n_samples N n_traj words: meant for N <= a few thousand."""
    f = phi_function(phi)
    J = np.asarray(J, dtype=dtype)
    rhs = rate_field(J, f)
    X = np.array(X0, dtype=dtype, copy=True)
    if X.ndim != 2 or X.shape[0] != J.shape[0]:
        raise ValueError(f"X0 must be N x n_traj with N = {J.shape[0]}, got shape {X.shape}")
    steps = int(round(sample_every / dt))
    if steps < 1 or abs(steps * dt - sample_every) > 1e-9 * max(sample_every, 1.0):
        raise ValueError(f"sample_every = {sample_every} must be a multiple of dt = {dt}")
    if n_samples < 1:
        raise ValueError(f"n_samples must be positive, got {n_samples}")
    for _ in range(int(round(t_transient / dt))):
        X = rk4_step(X, rhs, dt)
    xs = np.empty((n_samples,) + X.shape, dtype=dtype)
    ps = np.empty_like(xs)
    for k in range(n_samples):
        for _ in range(steps):
            X = rk4_step(X, rhs, dt)
        xs[k] = X
        ps[k] = f(X)
    return xs, ps
