"""JAX backend of :mod:`rnnstruct.clark.simulate` (``backend: jax``): the same RK4 integration, sampling and
block statistics, each block's time loop compiled into one XLA program.

Per block, one jitted call runs ``block_len`` samples (a ``lax.scan``), each after ``steps`` RK4 steps
(a ``lax.fori_loop`` of :func:`rnnstruct.numerics.rk4_jax.rk4_step`), and accumulates on the device, in
the state's precision:

* S_b = sum_t A(t) A(t)^T for every observable (x, phi, readouts w * phi), added to the current group's
  sum G (returned to the host, in float64, once per group);
* tr S_b and the row sums of S_b * S_b (the host adds the N row sums in float64: ||S_b||_F^2);
* the lag sums <u(t - lag) . v(t)> of the two-point function and, once the pilot C(0) is set, of
  Psi(tau, 0), from ring buffers of the last max_lag + 1 samples (projections) carried across blocks.

A block's float32 sums run over block_len samples only; everything across blocks is added on the host in
float64 by :func:`rnnstruct.clark.simulate.simulate_blocks`, so results agree with the numpy backend to
float32 rounding (tested).  Deterministic: one XLA program per (shape, setting), one CPU thread (see
:mod:`rnnstruct.numerics.rk4_jax`), deterministic GPU reductions.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from rnnstruct.numerics import rk4_jax as rj

jax, jnp, lax = rj.jax, rj.jnp, rj.lax


def _field(J, phi: str):
    return rj.rate_field(J, rj.phi_function(phi))


@partial(jax.jit, static_argnames=("phi", "dt"))
def _advance(J, X, n_steps, *, phi: str, dt: float):
    return rj.integrate(X, _field(J, phi), dt, n_steps)


def _observables(X, W, phi: str):
    """(n_obs, N, n_traj): x, phi(x) and the readouts w_r * phi(x)."""
    P = rj.phi_function(phi)(X)
    return jnp.concatenate([X[None], P[None], W[:, :, None] * P[None]], axis=0)


def _lag_update(ring, u, v, t, acc):
    """Store u(t) in the ring and add <u(t - lag) . v(t)> to acc[:, lag] for lag <= min(t, max_lag)."""
    size = ring.shape[0]
    pos = t % size
    ring = lax.dynamic_update_index_in_dim(ring, u, pos, 0)
    dots = jnp.einsum("sonb,onb->os", ring, v, precision=rj.HIGHEST)
    lags = jnp.arange(size)
    acc = acc + jnp.where(lags <= t, dots[:, (pos - lags) % size], 0.0)
    return ring, acc, t + 1


@partial(jax.jit, static_argnames=("phi", "dt", "steps", "block_len", "with_psi"), donate_argnames=("state",))
def _block(J, W, pilot, state, *, phi: str, dt: float, steps: int, block_len: int, with_psi: bool):
    f = _field(J, phi)
    n_obs, N = W.shape[0] + 2, J.shape[0]
    zeros = jnp.zeros
    dtype = state["X"].dtype

    def sample(carry, _):
        X, ring, t, pring, tp, S, lag, psi = carry
        X = rj.integrate(X, f, dt, steps)
        A = _observables(X, W, phi)
        S = S + jnp.einsum("onb,omb->onm", A, A, precision=rj.HIGHEST)
        ring, lag, t = _lag_update(ring, A, A, t, lag)
        if with_psi:
            U = jnp.einsum("onm,omb->onb", pilot, A, precision=rj.HIGHEST)
            pring, psi, tp = _lag_update(pring, U, A, tp, psi)
        return (X, ring, t, pring, tp, S, lag, psi), None

    carry = (
        state["X"], state["ring"], state["t"], state["pring"], state["tp"],
        zeros((n_obs, N, N), dtype), zeros((n_obs, state["ring"].shape[0]), dtype), zeros((n_obs, state["pring"].shape[0]), dtype),
    )
    (X, ring, t, pring, tp, S, lag, psi), _ = lax.scan(sample, carry, None, length=block_len)
    new = {"X": X, "ring": ring, "t": t, "pring": pring, "tp": tp, "G": state["G"] + S}
    return new, jnp.trace(S, axis1=1, axis2=2), jnp.sum(S * S, axis=2), lag, psi


class BlockKernel:
    """Device state of one run (see :class:`rnnstruct.clark.simulate._NumpyKernel` for the interface)."""

    def __init__(self, J, X0, phi, dt, steps, weights, dtype, max_lag, psi_max_lag):
        self.dtype = np.dtype(dtype)
        self.opts = {"phi": phi, "dt": float(dt), "steps": int(steps)}
        N, B = np.shape(X0)
        n_obs = 2 + len(weights)
        psi_size = 1 if psi_max_lag is None else psi_max_lag + 1
        with rj.x64(self.dtype):
            self.J = jnp.asarray(np.asarray(J), dtype=self.dtype)
            self.W = jnp.asarray(np.array(list(weights.values()), dtype=np.float64).reshape(-1, N), dtype=self.dtype)
            self.state = {
                "X": jnp.asarray(np.asarray(X0), dtype=self.dtype),
                "ring": jnp.zeros((max_lag + 1, n_obs, N, B), self.dtype),
                "t": jnp.int32(0),
                "pring": jnp.zeros((psi_size, n_obs, N, B) if psi_max_lag is not None else (1, n_obs, 1, 1), self.dtype),
                "tp": jnp.int32(0),
                "G": jnp.zeros((n_obs, N, N), self.dtype),
            }
        self.pilot = None

    def advance(self, n_steps: int) -> None:
        with rj.x64(self.dtype):
            self.state["X"] = _advance(self.J, self.state["X"], n_steps, phi=self.opts["phi"], dt=self.opts["dt"])

    def set_pilot(self, pilot: np.ndarray) -> None:
        with rj.x64(self.dtype):
            self.pilot = jnp.asarray(pilot, dtype=self.dtype)

    def block(self, block_len: int) -> dict:
        with rj.x64(self.dtype):
            self.state, tr, rowsq, lag, psi = _block(
                self.J, self.W, self.pilot, self.state, block_len=int(block_len), with_psi=self.pilot is not None, **self.opts
            )
        as64 = partial(np.asarray, dtype=np.float64)
        return {
            "trace": as64(tr),
            "sqnorm": as64(rowsq).sum(axis=1),
            "lag": as64(lag),
            "psi": as64(psi) if self.pilot is not None else None,
        }

    def take_group(self) -> np.ndarray:
        out = np.asarray(self.state["G"], dtype=np.float64)
        with rj.x64(self.dtype):
            self.state["G"] = jnp.zeros_like(self.state["G"])
        return out


@partial(jax.jit, static_argnames=("phi", "dt", "steps", "n_samples"))
def _record(J, X, n_transient, *, phi: str, dt: float, steps: int, n_samples: int):
    f = _field(J, phi)
    X = rj.integrate(X, f, dt, n_transient)

    def sample(X, _):
        X = rj.integrate(X, f, dt, steps)
        return X, (X, rj.phi_function(phi)(X))

    _, (xs, ps) = lax.scan(sample, X, None, length=n_samples)
    return xs, ps


def record(J, X0, n_samples: int, phi: str, dt: float, steps: int, n_transient: int, dtype) -> tuple[np.ndarray, np.ndarray]:
    """Stored (x, phi) of shape (n_samples, N, n_traj) (see :func:`rnnstruct.clark.simulate.record_activity`)."""
    dtype = np.dtype(dtype)
    with rj.x64(dtype):
        xs, ps = _record(
            jnp.asarray(np.asarray(J), dtype=dtype), jnp.asarray(np.asarray(X0), dtype=dtype), n_transient,
            phi=phi, dt=float(dt), steps=int(steps), n_samples=int(n_samples),
        )
        return np.asarray(xs, dtype=dtype), np.asarray(ps, dtype=dtype)


@jax.jit
def _gram(M):
    return rj.matmul(M, M.T)


def gram64(M: np.ndarray) -> np.ndarray:
    """M M^T in float64 on the JAX device (the Gram matrix of stored samples, rows = samples)."""
    with rj.x64(np.float64):
        return np.asarray(_gram(jnp.asarray(np.asarray(M), dtype=jnp.float64)), dtype=np.float64)
