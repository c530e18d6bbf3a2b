"""Batched RK4 simulation of dx/dt = -x + J phi(x) with streaming block covariance (PRX App. M2, M6;
docs/models/clark2025.md#estimators), on a numpy or a JAX backend.

Many trajectories share one J: the state is an N x n_traj matrix and each RK4 stage is one GEMM.  With
enough trajectories (``n_traj``) the stage is compute-bound (``benchmarks/bench_clark.py`` measures the
trajectory-count sweep behind the configured values); a layout with more, shorter trajectories and the
same number of samples gives the same estimators in distribution (tested).
After a transient, activity is sampled every ``sample_every`` time units.  The recording is cut into
``n_blocks`` consecutive blocks of ``block_len`` sample times; a block's raw second-moment matrix is
S_b = sum_{t in block} sum_traj a(t) a(t)^T (no mean subtraction, PRX M6), pooled over trajectories.
Nothing of the run is stored: per block only tr S_b and ||S_b||_F^2 are kept, and the S_b are summed
into ``n_groups`` contiguous groups whose Gram matrix <G_g, G_h>_F is formed at the end.  These are
sufficient statistics for the naive and the cross-block participation ratio and for a delete-one-group
jackknife (:mod:`.estimators`).

Also accumulated:

* the single-neuron two-point function C(tau) = <a_i(t) a_i(t + tau)> for lags 0..max_lag
  (in samples) from a ring buffer;
* the four-point function Psi(tau, 0) = (1/N) tr[C(0) C(tau)^T] = (1/N) <(C(0) a(t)) . a(t + tau)>
  (PRX Eq. (24)) for lags 0..psi_max_lag, by a cross-block estimator: C(0) is the pilot estimate of the
  first group of blocks, and the projections are accumulated over the later groups only, so the
  pilot's sampling noise is independent of the samples it multiplies (unbiased for independent
  blocks; no second pass over the run and no lagged N x N matrices).

Backends (``backend``): ``"numpy"`` steps in place (one GEMM per stage, preallocated buffers) and
accumulates in float64; ``"jax"`` (:mod:`.simulate_jax`) compiles each block's time loop into one XLA
program (CPU, or a GPU wherever JAX sees one), accumulates a block in the state's precision and hands
the per-block sums to the same float64 bookkeeping here.  Both are deterministic; they agree to
float32 rounding over horizons shorter than the chaotic divergence (tested).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
from scipy.special import erf

from rnnstruct.numerics.phi import SQRT_PI_2, check, phi_function

#: buffered sample columns per covariance update of the numpy backend (fixed: results do not depend
#: on job layout)
FLUSH_COLUMNS = 256
BACKENDS = ("numpy", "jax")


def check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")


def backend_of(clark: Mapping) -> str:
    """``clark.backend`` of a stage's parameters (``"numpy"`` where a hand-built parameter set omits it)."""
    return str(clark.get("backend", "numpy"))


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


def steps_per_sample(sample_every: float, dt: float) -> int:
    """RK4 steps between samples; ``sample_every`` must be a multiple of ``dt``."""
    steps = int(round(sample_every / dt))
    if steps < 1 or abs(steps * dt - sample_every) > 1e-9 * max(sample_every, 1.0):
        raise ValueError(f"sample_every = {sample_every} must be a multiple of dt = {dt}")
    return steps


def lag_counts(n_samples: int, max_lag: int, n_traj: int) -> np.ndarray:
    """Pairs (t - lag, t) behind the lag sums after ``n_samples`` sample times: max(n - lag, 0) n_traj."""
    return np.maximum(n_samples - np.arange(max_lag + 1), 0) * float(n_traj)


# ---- numpy backend -------------------------------------------------------------------------------


def _phi_into(name: str):
    """phi(y) written into ``out`` (no temporaries): erf(sqrt(pi) y / 2) or tanh y."""
    check(name)
    if name == "erf":

        def f(y, out):
            np.multiply(y, SQRT_PI_2, out=out)
            return erf(out, out=out)

        return f
    return lambda y, out: np.tanh(y, out=out)


class Stepper:
    """Classical RK4 of dx/dt = -x + J phi(x) on a batch X (N x n), in place: per stage one GEMM into a
    preallocated buffer and a few elementwise passes (x_new = x + dt/6 k1 + dt/3 k2 + dt/3 k3 + dt/6 k4,
    the stages of :func:`rnnstruct.numerics.rk4.rk4_step`)."""

    def __init__(self, J: np.ndarray, phi: str, dt: float, shape: tuple, dtype):
        self.J, self.dt = J, dt
        self.phi = _phi_into(phi)
        self.k, self.acc, self.y, self.p = (np.empty(shape, dtype=dtype) for _ in range(4))

    def _rhs(self, y: np.ndarray) -> np.ndarray:
        """k = J phi(y) - y (in self.k)."""
        np.matmul(self.J, self.phi(y, self.p), out=self.k)
        self.k -= y
        return self.k

    def step(self, X: np.ndarray) -> None:
        dt, acc, y = self.dt, self.acc, self.y
        k = self._rhs(X)  # k1 at x
        np.multiply(k, dt / 6.0, out=acc)
        np.multiply(k, 0.5 * dt, out=y)
        y += X
        k = self._rhs(y)  # k2 at x + dt/2 k1
        np.multiply(k, 0.5 * dt, out=y)
        y += X
        k *= dt / 3.0
        acc += k
        k = self._rhs(y)  # k3 at x + dt/2 k2
        np.multiply(k, dt, out=y)
        y += X
        k *= dt / 3.0
        acc += k
        k = self._rhs(y)  # k4 at x + dt k3
        k *= dt / 6.0
        acc += k
        X += acc

    def advance(self, X: np.ndarray, n_steps: int) -> None:
        for _ in range(n_steps):
            self.step(X)


class _Lagged:
    """Sums of <u(t - lag) . v(t)> for lag = 0..max_lag over a sample stream (``acc`` is reset by the
    caller; the ring persists, so lags reach across blocks)."""

    def __init__(self, max_lag: int):
        self.ring: list = [None] * (max_lag + 1)
        self.acc = np.zeros(max_lag + 1)
        self.t = 0

    def add(self, u: np.ndarray, v: np.ndarray) -> None:
        size = len(self.ring)
        self.ring[self.t % size] = u
        for lag in range(min(size - 1, self.t) + 1):
            self.acc[lag] += float(np.vdot(self.ring[(self.t - lag) % size], v))
        self.t += 1


class _NumpyKernel:
    """Block kernel of the numpy backend: float64 samples and accumulators, buffered GEMM updates."""

    def __init__(self, J, X0, phi, dt, steps, weights, dtype, max_lag, psi_max_lag):
        self.X = np.array(X0, dtype=dtype, copy=True)
        self.stepper = Stepper(np.asarray(J, dtype=dtype), phi, dt, self.X.shape, dtype)
        self.f = phi_function(phi)
        self.steps = steps
        self.weights = {k: np.asarray(w, dtype=np.float64).reshape(-1, 1) for k, w in weights.items()}
        self.names = ("x", "phi") + tuple(self.weights)
        N = self.X.shape[0]
        self.two = [_Lagged(max_lag) for _ in self.names]
        self.psi = [_Lagged(psi_max_lag) for _ in self.names] if psi_max_lag is not None else []
        self.pilot = None
        self.group = np.zeros((len(self.names), N, N))

    def advance(self, n_steps: int) -> None:
        self.stepper.advance(self.X, n_steps)

    def set_pilot(self, pilot: np.ndarray) -> None:
        self.pilot = pilot

    def _observables(self) -> list:
        A = {"x": self.X.astype(np.float64), "phi": self.f(self.X).astype(np.float64)}
        for r, w in self.weights.items():
            A[r] = w * A["phi"]
        return [A[n] for n in self.names]

    def block(self, block_len: int) -> dict:
        n_obs, N = len(self.names), self.X.shape[0]
        S = np.zeros((n_obs, N, N))
        for lag in self.two + self.psi:
            lag.acc = np.zeros_like(lag.acc)
        buf: list = [[] for _ in range(n_obs)]
        per_flush = max(1, FLUSH_COLUMNS // self.X.shape[1])
        for k in range(block_len):
            self.stepper.advance(self.X, self.steps)
            for i, a in enumerate(self._observables()):
                buf[i].append(a)
                self.two[i].add(a, a)
                if self.pilot is not None:
                    self.psi[i].add(self.pilot[i] @ a, a)
                if len(buf[i]) == per_flush or k == block_len - 1:
                    M = np.concatenate(buf[i], axis=1)
                    S[i] += M @ M.T
                    buf[i] = []
        self.group += S
        return {
            "trace": np.trace(S, axis1=1, axis2=2),
            "sqnorm": np.einsum("onm,onm->o", S, S),
            "lag": np.array([t.acc for t in self.two]),
            "psi": np.array([p.acc for p in self.psi]) if self.pilot is not None else None,
        }

    def take_group(self) -> np.ndarray:
        out, self.group = self.group, np.zeros_like(self.group)
        return out


def _kernel(backend: str, *args):
    check_backend(backend)
    if backend == "jax":
        from rnnstruct.clark.simulate_jax import BlockKernel

        return BlockKernel(*args)
    return _NumpyKernel(*args)


# ---- simulation ----------------------------------------------------------------------------------


def _check_inputs(J, X0, readouts, psi_max_lag, n_groups, n_blocks) -> dict:
    N = np.shape(J)[0]
    if np.ndim(X0) != 2 or np.shape(X0)[0] != N:
        raise ValueError(f"X0 must be N x n_traj with N = {N}, got shape {np.shape(X0)}")
    group_index(n_blocks, n_groups)
    if psi_max_lag is not None and n_groups < 2:
        raise ValueError("Psi(tau, 0) needs n_groups >= 2 (a pilot group and at least one more)")
    weights = {k: np.asarray(w, dtype=np.float64).ravel() for k, w in (readouts or {}).items()}
    for r, w in weights.items():
        if r in ("x", "phi") or w.shape[0] != N:
            raise ValueError(f"readout {r!r} needs a new name and {N} weights, got {w.shape[0]}")
    return weights


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
    backend: str = "numpy",
) -> dict[str, BlockStats]:
    """Simulate the batch X0 (N x n_traj) and return {"x": BlockStats, "phi": BlockStats}.

    ``readouts`` {name: w} adds weighted observables w * phi(x) (w of length N, e.g. neuron gains for
    the gain-weighted activity G phi of PRX Sec. VI) with the same block statistics under their own
    names; the x and phi statistics do not depend on it.  ``backend`` is ``"numpy"`` or ``"jax"``."""
    weights = _check_inputs(J, X0, readouts, psi_max_lag, n_groups, n_blocks)
    steps = steps_per_sample(sample_every, dt)
    N, n_traj = np.shape(X0)
    groups = group_index(n_blocks, n_groups)
    kernel = _kernel(backend, J, X0, phi, dt, steps, weights, dtype, max_lag, psi_max_lag)
    kernel.advance(int(round(t_transient / dt)))
    names = ("x", "phi") + tuple(weights)
    n_obs = len(names)
    group_sum = np.zeros((n_obs, n_groups, N, N))
    tr, sq = np.zeros((n_obs, n_blocks)), np.zeros((n_obs, n_blocks))
    two = np.zeros((n_obs, max_lag + 1))
    psi = np.zeros((n_obs, (psi_max_lag or 0) + 1))
    n_psi = 0
    for b in range(n_blocks):
        if psi_max_lag is not None and b > 0 and groups[b] == 1 and groups[b - 1] == 0:  # group 0 is complete
            kernel.set_pilot(group_sum[:, 0] / (int(np.sum(groups == 0)) * block_len * n_traj))
        res = kernel.block(block_len)
        tr[:, b], sq[:, b] = res["trace"], res["sqnorm"]
        two += res["lag"]
        if res["psi"] is not None:
            psi += res["psi"]
            n_psi += block_len
        if b == n_blocks - 1 or groups[b + 1] != groups[b]:
            group_sum[:, groups[b]] = kernel.take_group()
    with np.errstate(divide="ignore", invalid="ignore"):  # NaN at lags longer than the recording: no pairs
        two_point = two / (lag_counts(n_blocks * block_len, max_lag, n_traj) * N)
        psi_tau0 = psi / (lag_counts(n_psi, psi_max_lag, n_traj) * N) if psi_max_lag is not None else None
    out = {}
    for i, n in enumerate(names):
        G = group_sum[i].reshape(n_groups, -1)
        spectrum = np.zeros(0)
        if keep_spectrum:
            total = group_sum[i].sum(axis=0) / (n_blocks * block_len * n_traj)
            spectrum = np.sort(np.linalg.eigvalsh(total))[::-1]
        out[n] = BlockStats(
            gram=G @ G.T,
            block_trace=tr[i],
            block_sqnorm=sq[i],
            group_of_block=groups,
            samples_per_block=block_len * n_traj,
            two_point=two_point[i],
            psi_tau0=psi_tau0[i] if psi_tau0 is not None else np.zeros(0),
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
    backend: str = "numpy",
) -> tuple[np.ndarray, np.ndarray]:
    """Stored activity for the analyses that need raw traces (heatmaps, PC timescales, lagged
    four-point functions; PRX Figs. 3, 9, PRL Figs. 3-6).  Returns (x, phi), each of shape
    (n_samples, N, n_traj) in ``dtype``, sampled every ``sample_every`` after ``t_transient``
    (sample k at t_transient + (k + 1) sample_every).  Memory is n_samples N n_traj words: meant for
    N <= a few thousand."""
    if np.ndim(X0) != 2 or np.shape(X0)[0] != np.shape(J)[0]:
        raise ValueError(f"X0 must be N x n_traj with N = {np.shape(J)[0]}, got shape {np.shape(X0)}")
    steps = steps_per_sample(sample_every, dt)
    if n_samples < 1:
        raise ValueError(f"n_samples must be positive, got {n_samples}")
    n_transient = int(round(t_transient / dt))
    check_backend(backend)
    if backend == "jax":
        from rnnstruct.clark.simulate_jax import record

        return record(J, X0, n_samples, phi, dt, steps, n_transient, dtype)
    f = phi_function(phi)
    X = np.array(X0, dtype=dtype, copy=True)
    stepper = Stepper(np.asarray(J, dtype=dtype), phi, dt, X.shape, dtype)
    stepper.advance(X, n_transient)
    xs = np.empty((n_samples,) + X.shape, dtype=dtype)
    ps = np.empty_like(xs)
    for k in range(n_samples):
        stepper.advance(X, steps)
        xs[k] = X
        ps[k] = f(X)
    return xs, ps
