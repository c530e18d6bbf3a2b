"""Compiled sweep kernel: the many-small-matrices case of ``dynamics.simulate`` and of the reservoir harvest.

The reference implementation is the numpy kernel :func:`rnnstruct.metzner.dynamics.simulate` (batched
matrix products, a Python loop over time steps).  At N = 100 with one trajectory per matrix its cost is the
Python overhead of each step, not arithmetic.  This module runs the same map, tangent and measures
(``docs/models/metzner2025.md#measures``) in one XLA-compiled time loop (``jax.lax.scan``) per matrix:

* ``simulate_stack(W, x0, v0, ...)`` -> :class:`rnnstruct.metzner.dynamics.SimulationResult` with the
  measures of ``dynamics.MEASURES`` (no covariance blocks: the mean-field validation keeps the numpy kernel);
* ``harvest_stack(W, x0, v0, fields, washout)`` -> every driven state and the driven lambda_max.

Equivalence with the numpy kernel (tested in ``tests/metzner/test_kernel.py``): the same operations in the
same order per step -- field W x (one matrix-vector product per column), tanh, tangent
v <- (1 - x^2) (W v) renormalised every step with the log-domain rescue of an underflowing tangent, the same
accumulated sums shifted by the first measured state -- so the measures agree to float64 round-off
(sums are accumulated step by step here and per block of steps there; XLA's tanh differs from numpy's by a
few ulp).  The finishing formulas (Pearson correlation, standard deviations, neuron means) and the period
check are the numpy kernel's own functions, applied to the sums this kernel returns.

Determinism: XLA runs on one CPU thread (:mod:`rnnstruct.numerics.jax_threads`) and every
matrix is run by the same compiled function on its own, so a matrix gives bit-identical results alone, in
any stack and in any order.  float64 is switched on only inside this module's calls
(``jax.enable_x64`` as a context manager): other JAX users in the process keep their float32 defaults.
Compiled functions are cached per shape (N, B, number of steps).
"""

from __future__ import annotations

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")

from rnnstruct.numerics.jax_threads import import_jax  # noqa: E402

jax = import_jax()  # one compute thread on CPU (rnnstruct.numerics.jax_threads)

from functools import lru_cache  # noqa: E402
from typing import Optional, Sequence  # noqa: E402

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

from rnnstruct.metzner import dynamics  # noqa: E402

#: time steps per iteration of the compiled loops (amortises XLA's per-iteration cost; results unchanged)
UNROLL = 1

def _tangent(hx, hv, v_reset):
    """Propagated, renormalised tangent and its log growth, without underflow or branch: one trajectory
    (hx, hv of shape (N,)) or one per column ((N, B), reductions over axis 0).

    v_i = sech^2(h_i) hv_i with sech^2 h = 4 e / (1 + e)^2, e = exp(-2|h|) (numpy kernel: ``dynamics._sech2``).
    The common factor exp(-2 a) with a = min |h_i| over the neurons with hv_i != 0 is taken out of every v_i
    before the norm (f = exp(-2 (|h| - a)), e = f exp(-2 a): one vector exp), so the norm of the scaled vector is at least |hv_i| of that neuron and does not
    underflow however saturated the network is; growth = -2 a + log ||scaled v||.  This equals the numpy
    kernel's fast path (and its log-domain rescue where that one applies) up to round-off.  With W v = 0
    exactly the growth is -inf and the tangent restarts from its normalised initial direction.
    """
    a_abs = jnp.abs(hx)
    nz = hv != 0
    a = jnp.min(jnp.where(nz, a_abs, jnp.inf), axis=0)
    any_nz = jnp.isfinite(a)
    a = jnp.where(any_nz, a, 0.0)
    f = jnp.exp(-2.0 * jnp.maximum(a_abs - a, 0.0))  # e / exp(-2 a), <= 1 (clamped where hv = 0)
    e = f * jnp.exp(-2.0 * a)
    v = (4.0 * f) / ((1.0 + e) * (1.0 + e)) * hv
    sq = jnp.sqrt(jnp.sum(v * v, axis=0))
    growth = jnp.where(any_nz, jnp.log(sq) - 2.0 * a, -jnp.inf)
    v = jnp.where(any_nz, v / jnp.where(any_nz, sq, 1.0), v_reset)
    return v, growth


def _step(W, xs, vs, v_reset, drive=None):
    """One update of every trajectory (tuples of (N,) vectors: one matrix-vector product each, XLA's
    fastest form at N ~ 100): x <- tanh(W x [+ drive]) and, if vs is not None, the tangents.
    Returns (xs, vs, growths)."""
    new_x, new_v, growth = [], [], []
    for b, x in enumerate(xs):
        hx = W @ x
        if drive is not None:
            hx = hx + drive[b]
        new_x.append(jnp.tanh(hx))
        if vs is not None:
            v, g = _tangent(hx, W @ vs[b], v_reset[b])
            new_v.append(v)
            growth.append(g)
    return tuple(new_x), (tuple(new_v) if vs is not None else None), growth


def _normalised(v0):
    return tuple(v / jnp.sqrt(jnp.sum(v * v)) for v in v0)


@lru_cache(maxsize=None)
def _simulate_fn(B: int, n_transient: int, n_measure: int, n_ring: int, tangent: bool):
    """The compiled run of one matrix with B trajectories: transient, first measured step (the reference of
    the shifted sums), measured steps, and the ring of the last n_ring states.

    Per trajectory the sums are packed as acc (5, N) = [sum |x|, sum 1[|x| > theta], sum y, sum y^2,
    sum y(t-1) y(t)] with y = x - ref, prev = the last y, and sc (3,) = [sum m, sum m^2, sum log growth]
    with m(t) = <x(t)>_i - <ref>_i (the numpy kernel's ``_Observer`` sums, one step at a time).
    """
    ring_start = n_measure - n_ring  # first measured step stored in the ring

    def run(W, x0, v0, sat_threshold):
        N = W.shape[0]
        xs = tuple(x0[b] for b in range(B))
        v_reset = _normalised(tuple(v0[b] for b in range(B))) if tangent else None
        vs = v_reset

        def transient(carry, _):
            xs, vs = carry
            xs, vs, _g = _step(W, xs, vs, v_reset)
            return (xs, vs), None

        (xs, vs), _ = lax.scan(transient, (xs, vs), None, length=n_transient, unroll=UNROLL)
        xs, vs, g = _step(W, xs, vs, v_reset)
        ref = xs
        mref = tuple(jnp.sum(x) / N for x in xs)
        acc, prev, sc = [], [], []
        for b, x in enumerate(xs):
            absx = jnp.abs(x)
            zero = jnp.zeros_like(x)
            acc.append(jnp.stack([absx, (absx > sat_threshold).astype(x.dtype), zero, zero, zero]))
            prev.append(x - ref[b])
            m = jnp.sum(x) / N - mref[b]
            sc.append(jnp.stack([m, m * m, g[b] if tangent else 0.0]))
        carry0 = (xs, vs, tuple(acc), tuple(prev), tuple(sc))

        def measured(carry, _):
            xs, vs, acc, prev, sc = carry
            xs, vs, g = _step(W, xs, vs, v_reset)
            new_acc, new_prev, new_sc = [], [], []
            for b, x in enumerate(xs):
                y = x - ref[b]
                absx = jnp.abs(x)
                m = jnp.sum(x) / N - mref[b]
                new_acc.append(
                    acc[b] + jnp.stack([absx, (absx > sat_threshold).astype(x.dtype), y, y * y, prev[b] * y])
                )
                new_prev.append(y)
                new_sc.append(sc[b] + jnp.stack([m, m * m, g[b] if tangent else 0.0]))
            return (xs, vs, tuple(new_acc), tuple(new_prev), tuple(new_sc))

        def measured_only(carry, _):
            return measured(carry, _), None

        def measured_stored(carry, _):
            carry = measured(carry, _)
            return carry, jnp.stack(carry[0], axis=1)

        first_scan = max(ring_start, 1) - 1  # measured steps 1 .. max(ring_start, 1) - 1: nothing stored
        carry, _ = lax.scan(measured_only, carry0, None, length=first_scan, unroll=UNROLL)
        carry, tail = lax.scan(measured_stored, carry, None, length=n_measure - 1 - first_scan, unroll=UNROLL)
        xs, vs, acc, prev, sc = carry
        ref = jnp.stack(ref, axis=1)  # (N, B)
        ring = tail if ring_start >= 1 else jnp.concatenate([ref[None], tail])
        return (
            jnp.stack(acc, axis=2),  # (5, N, B)
            jnp.stack(prev, axis=1),
            jnp.stack(sc, axis=1),  # (3, B)
            ref,
            jnp.stack(mref),
            ring,
            jnp.stack(xs, axis=1),
        )

    return jax.jit(run)


@lru_cache(maxsize=None)
def _harvest_fn(S: int, washout: int, tangent: bool):
    """The compiled driven run of one matrix with S streams: every state, and the log growth summed over
    the steps after the washout.  States and tangents are the columns of one (N, 2S) block multiplied by W
    in one product per step (with several streams XLA's matrix product beats one matrix-vector product
    per column)."""

    def run(W, x0, v0, fields):
        v_reset = v0 / jnp.sqrt(jnp.sum(v0 * v0, axis=0)) if tangent else None

        def step(carry, inp):
            X, V, lg = carry
            t, d = inp
            H = W @ (jnp.concatenate([X, V], axis=1) if tangent else X)
            HX = H[:, :S] + d
            X = jnp.tanh(HX)
            if tangent:
                V, g = _tangent(HX, H[:, S:], v_reset)
                lg = lg + jnp.where(t >= washout, g, 0.0)
            return (X, V, lg), X

        T = fields.shape[0]
        (_, _, lg), states = lax.scan(step, (x0, v_reset, jnp.zeros(S)), (jnp.arange(T), fields), unroll=UNROLL)
        return states, lg

    return jax.jit(run)


def simulate_stack(
    W: np.ndarray,
    x0: np.ndarray,
    *,
    n_transient: int,
    n_measure: int,
    v0: Optional[np.ndarray] = None,
    sat_threshold: float = 0.95,
    max_period: int = 100,
    period_tol: float = 1e-6,
    labels: Optional[Sequence[str]] = None,
) -> dynamics.SimulationResult:
    """Compiled equivalent of ``dynamics.simulate`` (autonomous, no covariance blocks, no record).

    W (R, N, N) or (N, N), x0 (R, N, B) or (N, B), v0 like x0 or None (no lambda_max).  Same checks, same
    measures and the same error messages (naming ``labels[r]``) as the numpy kernel.
    """
    squeeze = np.ndim(W) == 2
    W, x0, v0, labels = dynamics._as_batch(W, x0, v0, n_transient, n_measure, max_period, 0, labels)
    R, N, B = x0.shape
    lyap = v0 is not None
    if lyap:
        nrm = np.sqrt((v0 * v0).sum(axis=1))
        if np.any(nrm == 0) or not np.all(np.isfinite(nrm)):
            raise ValueError("v0 must be finite and non-zero")
    n_ring = 2 * max_period
    fn = _simulate_fn(B, int(n_transient), int(n_measure), n_ring, lyap)
    acc = {k: np.empty((R, N, B)) for k in ("abs", "sat", "s1", "s2", "lag", "prev")}
    acc.update(m1=np.empty((R, B)), m2=np.empty((R, B)))
    log_growth = np.zeros((R, B))
    ref, mref = np.empty((R, N, B)), np.empty((R, B))
    ring, X = np.empty((R, n_ring, N, B)), np.empty((R, N, B))
    # trajectories as rows (B, N): the compiled function takes one (N,) vector per trajectory
    x0_rows = np.ascontiguousarray(x0.transpose(0, 2, 1))
    v0_rows = np.ascontiguousarray(v0.transpose(0, 2, 1)) if lyap else x0_rows
    with jax.enable_x64(True):
        for r in range(R):
            out = fn(W[r], x0_rows[r], v0_rows[r], float(sat_threshold))
            a, prev, sc, ref[r], mref[r], ring[r], X[r] = (np.asarray(o) for o in out)
            for k, name in enumerate(("abs", "sat", "s1", "s2", "lag")):
                acc[name][r] = a[k]
            acc["prev"][r] = prev
            acc["m1"][r], acc["m2"][r] = sc[0], sc[1]
            if lyap:
                log_growth[r] = sc[2]
    obs = _Finished(acc, ref, mref, ring, float(n_measure), N)
    return dynamics._result(obs, log_growth, float(n_measure), lyap, X, labels, squeeze, max_period, period_tol)


class _Finished:
    """The accumulated sums in the shape ``dynamics._result`` expects of an observer."""

    cov = None

    def __init__(self, acc, ref, mref, ring, T, N):
        self.acc, self.ref, self.mref, self.ring, self.T, self.N = acc, ref, mref, ring, T, N

    def measures(self, max_period: int, period_tol: float) -> dict:
        return dynamics._finish_measures(
            self.acc, self.ref, self.mref, self.acc["prev"], self.ring, self.T, self.N, max_period, period_tol
        )


def harvest_stack(
    W: np.ndarray, x0: np.ndarray, v0: Optional[np.ndarray], fields: np.ndarray, washout: int
) -> tuple[np.ndarray, np.ndarray]:
    """Driven states x(t+1) = tanh(W x(t) + I(t)) of a stack of matrices.

    W (R, N, N), x0 (R, N, S), v0 like x0 or None, fields (R, T, S, N) the input fields I(t) per stream.
    Returns (states (R, T, N, S) with states[:, t] = x(t+1), log growth of the tangent summed over the
    steps t >= washout (R, S); zeros without v0).  Inputs are checked by the caller (``reservoir.harvest``).
    """
    R, T, S, N = fields.shape
    lyap = v0 is not None
    fn = _harvest_fn(S, int(washout), lyap)
    states = np.empty((R, T, N, S))
    lg = np.zeros((R, S))
    with jax.enable_x64(True):
        for r in range(R):
            s_r, g = fn(W[r], x0[r], v0[r] if lyap else x0[r], np.ascontiguousarray(fields[r].transpose(0, 2, 1)))
            states[r] = s_r
            lg[r] = g
    return states, lg
