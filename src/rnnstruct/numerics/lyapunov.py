"""Lyapunov spectra of recurrent networks by the Benettin/QR method (pure: arrays in, arrays out).

Two systems:

* the discrete map  x(t+1) = tanh(W x(t) + I(t))  (``map_spectrum``; exponents per step), tangent
  map  Q <- phi'(h) ⊙ (W Q)  with the field h = W x(t) + I(t) and phi'(h) = sech^2(h) = 1 - x(t+1)^2;
* the flow  dx/dt = -x + J diag(G) phi(x)  (``flow_spectrum``; exponents per unit time, tau = 1),
  integrated by RK4 with step dt, phi(x) = erf(sqrt(pi) x / 2) ("erf", PRX) or tanh ("tanh", PRL).

Method (Engelken, Wolf & Abbott 2023): a state transient (no tangent), an orthonormal-system (ONS)
transient (the k tangent vectors are propagated and re-orthonormalised, nothing is accumulated),
then ``n_steps`` accumulated steps: the tangent block Q (N, k) is propagated and every ``qr_every``
steps factorised Q = Q'R by Householder QR (``numpy.linalg.qr``); log|R_ii| is accumulated.  The
exponents are the accumulated sums divided by the accumulated time, sorted in descending order.

Design decisions
----------------
Cost.  The N x N Jacobian is never formed.  Per map step: one
matrix-vector product for the state and one GEMM ``W @ Q`` (2 N^2 k flops) for the tangent block,
then an elementwise scaling of its rows; per RK4 step: four state products and four tangent GEMMs.
Every ``qr_every`` steps one QR of an N x k matrix.

State independent of the tangent.  The state is propagated by its own matrix-vector products, not as an
extra column of the tangent GEMM: the trajectory is bit for bit the same whatever k, ``qr_every`` or
``n_blocks`` (BLAS may round a column of a matrix product differently depending on the other
columns), so results for different k follow the same trajectory and ``twin_lambda_max`` follows it
too.  The seed block is drawn as ``standard_normal((k, N)).T``, so its first columns do not depend
on k, and column i of Householder QR depends only on columns 1..i: lambda_1 from k = 1 equals
lambda_1 from any larger k up to rounding.

Saturation (the map).  In float64 tanh(h) rounds to +-1 for |h| > ~19, where 1 - x^2 = 0 exactly,
so the derivative is computed from the field, sech^2(h) = 4 e^{-2|h|} / (1 + e^{-2|h|})^2 (exact to
a few ulp down to ~1e-300), and floored at ``D_MIN = 1e-300``; the number of floored entries
(orthonormal-system transient and measured steps) is reported as ``n_floored``.  Consequences: no column of the tangent block underflows because of
saturation; exponents above about log(D_MIN) + log||W||_2 (~ -690 per step for ||W|| ~ 1) are exact
to rounding (the floor perturbs the Jacobian by at most D_MIN ||W||); lower exponents are not
resolved and come out near that value, e.g. a fully saturated fixed point with sech^2(h) < D_MIN
for all units gives log(D_MIN) + log|eig W| instead of -2|h| + ...  (``dynamics.simulate`` resolves
lambda_max there exactly by its log-domain rescue; a full spectrum would need a graded QR).
Where a direction is mapped to exactly zero (W Q has a zero column, e.g. singular W) the QR gives
R_ii = 0: every log|R_ii| is clipped at ``LOG_FLOOR`` = log(D_MIN) ~ -690.8 per step (per RK4 step
for the flow) and counted in ``n_clipped``.  So exponents are always finite: a value at the floor
means "-690.8 or less per step".  Householder QR returns an orthonormal Q also for a rank-deficient
block, so the run continues.  (With k = 1 the "QR" is the normalisation of the single column, which is
what Householder QR computes; a zero column continues along e_1, as Householder QR does.)

Between QRs (``qr_every`` > 1) the columns of the tangent block are normalised after every step and
their log norms added to the next QR's log|R_ii| (exact: for Q = M diag(s), QR gives R = R_M diag(s)),
so the block can neither underflow nor overflow however long the interval (the norms themselves are
computed with a rescaling where the squares could under- or overflow).  The conditioning
problem remains (the columns align with the leading direction): ``max_log10_cond`` is the largest
log10( max_i |R_ii| / min_i |R_ii| ) over the measured QR intervals, with R the triangular factor of
the unnormalised interval block propagated from an orthonormal basis -- a lower bound on log10 of
its condition number (the spread of the stretching factors, (lambda_1 - lambda_k) * interval /
ln 10 on average).  log|R_ii| of the weakest directions carries an error of roughly
1e-16 * 10^max_log10_cond per QR: above ~10 lower ``qr_every``; above ~16 the smallest exponents are
meaningless (e.g. the sum of a full spectrum at g = 3 with qr_every = 4, log10 cond ~ 20, is off
by ~1 %).  With ``qr_every`` = 1 the value is the per-step spread.

Block layout.  The ``n_steps`` measured steps are split into ``n_blocks`` equal consecutive blocks;
each block holds a whole number of QR intervals (``n_steps`` must be divisible by
``n_blocks * qr_every``), so every QR is accumulated into exactly one block.  ``block_sums[b, i]`` is
the sum of log|R_ii| over the QRs of block b and ``block_time[b]`` its duration (steps for the map,
time units for the flow); ``exponents = block_sums.sum(0) / block_time.sum()``.  The columns of
``block_sums`` are permuted like the exponents (``order``: column j of ``block_sums`` is QR column
``order[j]``; the identity unless finite-time estimates of neighbouring exponents cross), while
``final_Q`` keeps the QR column order so that it can seed a continuation (``seed_Q=final_Q``).
``exponents_with_errors`` gives the standard error over blocks.

Flow tangent.  The tangent of one RK4 step is the exact derivative of the RK4 step map (not the
variational equation integrated alongside): with Df(y) V = -V + J (G phi'(y) ⊙ V) and the stage
points x, x2 = x + dt/2 k1, x3 = x + dt/2 k2, x4 = x + dt k3 of the state step,

    K1 = Df(x) Q, K2 = Df(x2) (Q + dt/2 K1), K3 = Df(x3) (Q + dt/2 K2), K4 = Df(x4) (Q + dt K3),
    Q <- Q + dt/6 (K1 + 2 K2 + 2 K3 + K4),

so the exponents are those of the discrete map that is actually simulated (they differ from the
flow's by O(dt^4)).  phi'(x) = exp(-pi x^2 / 4) ("erf") or sech^2(x) ("tanh"); the -V term keeps the
flow's Jacobian nonsingular, no floor is needed.

``twin_lambda_max`` is an independent check of lambda_1: a perturbed twin trajectory at distance
eps, renormalised every ``renorm_every`` steps (direct numerical simulation, no tangent map).
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from typing import Callable, Optional, Union

import numpy as np

from rnnstruct.numerics.phi import check as check_phi
from rnnstruct.numerics.phi import dphi_function, phi_function, sech2
from rnnstruct.numerics.rk4 import rate_field, rk4_step

#: floor of the map's derivative sech^2(h) (see the module docstring)
D_MIN = 1e-300
#: per-step floor of log|R_ii| (log D_MIN); exponents are never below LOG_FLOOR per step
LOG_FLOOR = math.log(D_MIN)
#: squared column norms inside (_SAFE_NORM2, 1/_SAFE_NORM2) are computed without under- or overflow
_SAFE_NORM2 = 1e-280

SeedQ = Union[None, int, np.random.Generator, np.ndarray]


@dataclass
class LyapunovResult:
    """Accumulators and exponents of one Benettin/QR run (see the module docstring)."""

    block_sums: np.ndarray  # (n_blocks, k): sum over the block of log|R_ii| per exponent
    block_time: np.ndarray  # (n_blocks,): duration of each block (steps for the map, time units for the flow)
    exponents: np.ndarray  # (k,) = block_sums.sum(0) / block_time.sum(), descending
    final_state: np.ndarray  # (N,)
    final_Q: np.ndarray  # (N, k) orthonormal tangent basis after the last QR (QR column order)
    order: np.ndarray  # (k,): column j of block_sums / exponents is QR column order[j]
    qr_every: int  # steps between QRs
    steps_per_block: int  # integration steps per block
    dt: float  # duration of one step (1.0 for the map)
    time_base: str  # "update step" (map) or "tau" (flow)
    max_log10_cond: float  # largest log10(max|R_ii| / min|R_ii|) of a measured QR interval
    n_clipped: int  # log|R_ii| values raised to the floor (qr_every * LOG_FLOOR), measured QRs
    n_floored: int  # derivative entries raised to D_MIN (map only; ONS transient and measured steps)


# ---------------------------------------------------------------------------------------------
# input checks
# ---------------------------------------------------------------------------------------------


def _as_int(name: str, value, minimum: int) -> int:
    try:
        n = operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None
    if n < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {n}")
    return n


def _square(name: str, M) -> np.ndarray:
    M = np.asarray(M, dtype=np.float64)
    if M.ndim != 2 or M.shape[0] != M.shape[1] or M.shape[0] == 0:
        raise ValueError(f"{name} must be a square (N, N) matrix, got shape {M.shape}")
    if not np.all(np.isfinite(M)):
        raise ValueError(f"{name} has non-finite entries")
    return M


def _state(x0, N: int) -> np.ndarray:
    x0 = np.asarray(x0, dtype=np.float64)
    if x0.shape != (N,):
        raise ValueError(f"x0 must have shape (N,) = ({N},), got {x0.shape}")
    if not np.all(np.isfinite(x0)):
        raise ValueError("x0 has non-finite entries")
    return x0.copy()


def _seed_block(seed_Q: SeedQ, N: int, k: int) -> np.ndarray:
    """Orthonormal (N, k) start block: QR of the given array, or of standard_normal((k, N)).T."""
    if isinstance(seed_Q, np.ndarray):
        A = np.asarray(seed_Q, dtype=np.float64)
        if A.ndim == 1:
            A = A[:, None]
        if A.shape != (N, k):
            raise ValueError(f"seed_Q array must have shape (N, k) = ({N}, {k}), got {A.shape}")
        if not np.all(np.isfinite(A)):
            raise ValueError("seed_Q has non-finite entries")
        if np.any(np.all(A == 0, axis=0)):
            raise ValueError("seed_Q has a zero column")
    elif seed_Q is None or isinstance(seed_Q, (int, np.integer, np.random.Generator)):
        gen = seed_Q if isinstance(seed_Q, np.random.Generator) else np.random.default_rng(seed_Q or 0)
        A = gen.standard_normal((k, N)).T
    else:
        raise ValueError(f"seed_Q must be None, an int, a numpy Generator or an (N, k) array, got {seed_Q!r}")
    return np.ascontiguousarray(np.linalg.qr(A)[0])


def _schedule(n_ons: int, n_steps: int, qr_every: int, n_blocks: int) -> int:
    if n_steps % (n_blocks * qr_every):
        raise ValueError(
            f"the measured steps ({n_steps}) must be divisible by n_blocks * qr_every = "
            f"{n_blocks} * {qr_every}, so that every block holds whole QR intervals"
        )
    if n_ons % qr_every:
        raise ValueError(
            f"the orthonormal-system transient ({n_ons} steps) must be a multiple of qr_every = {qr_every}"
        )
    return n_steps // n_blocks


def _steps_of(name: str, t, dt: float, minimum: int) -> int:
    t = float(t)
    if not math.isfinite(t):
        raise ValueError(f"{name} must be finite, got {t}")
    n = round(t / dt)
    if abs(n * dt - t) > 1e-9 * max(1.0, abs(t)):
        raise ValueError(f"{name} = {t} is not a whole number of steps dt = {dt}")
    if n < minimum:
        raise ValueError(f"{name} = {t} must be at least {minimum} step(s) of dt = {dt}")
    return n


# ---------------------------------------------------------------------------------------------
# the two systems: state step, tangent step
# ---------------------------------------------------------------------------------------------


class _Map:
    """x(t+1) = tanh(W x(t) + I(t)); tangent Q <- max(sech^2(h), D_MIN) ⊙ (W Q)."""

    dt = 1.0
    time_base = "update step"

    def __init__(self, W: np.ndarray, drive: Optional[Callable[[int], np.ndarray]]):
        self.W = W
        self.drive = drive
        self.n_floored = 0

    def state(self, x: np.ndarray, t: int, need_aux: bool = True):
        h = self.W @ x
        if self.drive is not None:
            h = h + np.asarray(self.drive(t), dtype=np.float64)
            if h.shape != x.shape:
                raise ValueError(f"drive({t}) must broadcast to shape {x.shape}")
        x_new = np.tanh(h)
        if not need_aux:
            return x_new, None
        d = sech2(h)
        if d.min() < D_MIN:
            self.n_floored += int(np.count_nonzero(d < D_MIN))
            np.maximum(d, D_MIN, out=d)
        return x_new, d

    def tangent(self, d: np.ndarray, Q: np.ndarray, out: np.ndarray) -> np.ndarray:
        np.matmul(self.W, Q, out=out)
        np.multiply(out, d[:, None], out=out)
        return out


class _Flow:
    """RK4 step of dx/dt = -x + J diag(G) phi(x) and the exact tangent of the step map."""

    time_base = "tau"

    def __init__(self, J: np.ndarray, phi: str, dt: float, gains: Optional[np.ndarray]):
        self.J = J
        self.dt = dt
        self.phi = phi
        self.G = gains
        self._dphi = dphi_function(phi)
        self.f = rate_field(J, phi_function(phi), gains)
        self._buf = None

    def state(self, x: np.ndarray, t: int, need_aux: bool = True):
        if not need_aux:
            return rk4_step(x, self.f, self.dt), None
        x_new, points = rk4_step(x, self.f, self.dt, return_stages=True)
        a = [self._dphi(y) for y in points]
        if self.G is not None:
            a = [self.G * s for s in a]
        return x_new, a

    def tangent(self, a, Q: np.ndarray, out: np.ndarray) -> np.ndarray:
        if self._buf is None or self._buf[0].shape != Q.shape:
            self._buf = tuple(np.empty_like(Q) for _ in range(3))
        S, K, V = self._buf
        dt = self.dt
        np.copyto(out, Q)
        V_in = Q
        for s, (w_acc, w_next) in enumerate(
            ((dt / 6.0, 0.5 * dt), (dt / 3.0, 0.5 * dt), (dt / 3.0, dt), (dt / 6.0, 0.0))
        ):
            np.multiply(V_in, a[s][:, None], out=S)
            np.matmul(self.J, S, out=K)
            np.subtract(K, V_in, out=K)  # K_s = Df(x_s) V_s
            out += w_acc * K
            if s < 3:
                np.multiply(K, w_next, out=V)
                V += Q  # V_{s+1} = Q + c K_s
                V_in = V
        return out


# ---------------------------------------------------------------------------------------------
# the Benettin/QR driver
# ---------------------------------------------------------------------------------------------


def _normalise_columns(Q: np.ndarray, sq: np.ndarray) -> np.ndarray:
    """Divide every column of Q by its norm (in place); returns the log norms (-inf for a zero column)."""
    nrm2 = np.einsum("ij,ij->j", Q, Q)
    with np.errstate(divide="ignore"):
        if nrm2.min() > _SAFE_NORM2 and nrm2.max() < 1.0 / _SAFE_NORM2:
            lognorm = np.zeros(Q.shape[1])
        else:  # squares may under- or overflow: divide by the largest entry first
            big = np.max(np.abs(Q, out=sq), axis=0)
            big = np.where(big > 0.0, big, 1.0)  # a zero column stays zero
            np.divide(Q, big[None, :], out=Q)
            nrm2 = np.einsum("ij,ij->j", Q, Q)
            lognorm = np.log(big)
        nrm = np.sqrt(nrm2)
        lognorm += np.log(nrm)
    np.divide(Q, np.where(nrm > 0.0, nrm, 1.0)[None, :], out=Q)
    return lognorm


def _run(system, x: np.ndarray, Q: np.ndarray, n_transient, n_ons, n_steps, qr_every, n_blocks):
    N, k = Q.shape
    steps_per_block = _schedule(n_ons, n_steps, qr_every, n_blocks)
    t = 0
    for _ in range(n_transient):
        x, _ = system.state(x, t, need_aux=False)
        t += 1

    H = np.empty((N, k))
    sq = np.empty((N, k)) if qr_every > 1 or k == 1 else None
    logscale = np.zeros(k)
    floor = qr_every * LOG_FLOOR
    block_sums = np.zeros((n_blocks, k))
    max_cond = -np.inf
    n_clipped = 0

    def step(Q, H):
        """One state and tangent step: returns (new block, free buffer)."""
        nonlocal x, t
        x, aux = system.state(x, t)
        t += 1
        Q_new = system.tangent(aux, Q, out=H)
        if qr_every > 1:
            np.add(logscale, _normalise_columns(Q_new, sq), out=logscale)
        return Q_new, Q

    def orthonormalise(Q, H):
        """QR of the block: returns (Q, free buffer, log|diag R| of the unnormalised interval block)."""
        if k == 1:  # Householder QR of one column is its normalisation
            lr = _normalise_columns(Q, sq)
            if lr[0] == -np.inf:  # a zero column: continue along e_1, as Householder QR does
                Q[0, 0] = 1.0
        else:
            q, r = np.linalg.qr(Q)
            with np.errstate(divide="ignore"):
                lr = np.log(np.abs(np.diagonal(r)))
            Q, H = np.ascontiguousarray(q), Q
        lr += logscale
        logscale[:] = 0.0
        if np.any(np.isnan(lr)):
            raise FloatingPointError(f"non-finite tangent block at step {t}")
        return Q, H, lr

    for i in range(n_ons):
        Q, H = step(Q, H)
        if (i + 1) % qr_every == 0:
            Q, H, _ = orthonormalise(Q, H)
    for b in range(n_blocks):
        for s in range(steps_per_block):
            Q, H = step(Q, H)
            if (s + 1) % qr_every == 0:
                Q, H, lr = orthonormalise(Q, H)
                spread = (lr.max() - lr.min()) / math.log(10.0) if np.all(np.isfinite(lr)) else np.inf
                max_cond = max(max_cond, spread)
                low = lr < floor
                if low.any():
                    n_clipped += int(np.count_nonzero(low))
                    lr[low] = floor
                block_sums[b] += lr
    if not np.all(np.isfinite(x)):
        raise FloatingPointError("the state became non-finite")
    block_time = np.full(n_blocks, steps_per_block * system.dt)
    raw = block_sums.sum(axis=0) / block_time.sum()
    order = np.argsort(-raw, kind="stable")
    block_sums = block_sums[:, order]
    return LyapunovResult(
        block_sums=block_sums,
        block_time=block_time,
        exponents=block_sums.sum(axis=0) / block_time.sum(),
        final_state=x,
        final_Q=Q,
        order=order,
        qr_every=qr_every,
        steps_per_block=steps_per_block,
        dt=float(system.dt),
        time_base=system.time_base,
        max_log10_cond=float(max_cond),
        n_clipped=n_clipped,
        n_floored=getattr(system, "n_floored", 0),
    )


# ---------------------------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------------------------


def map_spectrum(
    W,
    x0,
    k: int,
    *,
    n_transient: int,
    n_ons_transient: int,
    n_steps: int,
    qr_every: int = 1,
    n_blocks: int = 10,
    seed_Q: SeedQ = None,
    drive: Optional[Callable[[int], np.ndarray]] = None,
) -> LyapunovResult:
    """Leading k Lyapunov exponents (per step) of x(t+1) = tanh(W x(t) + I(t)).

    Parameters
    ----------
    W : (N, N) weights; x0 : (N,) initial state; k : number of exponents, 1 <= k <= N.
    n_transient : state steps without tangent; n_ons_transient : steps with the tangent block
        propagated and re-orthonormalised but not accumulated (a multiple of ``qr_every``);
    n_steps : accumulated steps, split into ``n_blocks`` equal blocks (divisible by
        ``n_blocks * qr_every``).
    qr_every : steps between QR factorisations.
    seed_Q : start block: None (seed 0), an int seed or a Generator (QR of standard normal), or an
        (N, k) array (orthonormalised by QR; e.g. ``final_Q`` of an earlier run).
    drive : optional t -> I(t) of shape (N,), added to the field of the update that produces
        x(t+1); t counts all steps from 0 (transients included), as in ``dynamics.simulate``.
    """
    W = _square("W", W)
    N = W.shape[0]
    x = _state(x0, N)
    k = _as_int("k", k, 1)
    if k > N:
        raise ValueError(f"k must be <= N = {N}, got {k}")
    n_transient = _as_int("n_transient", n_transient, 0)
    n_ons = _as_int("n_ons_transient", n_ons_transient, 0)
    n_steps = _as_int("n_steps", n_steps, 1)
    qr_every = _as_int("qr_every", qr_every, 1)
    n_blocks = _as_int("n_blocks", n_blocks, 1)
    _schedule(n_ons, n_steps, qr_every, n_blocks)
    if drive is not None and not callable(drive):
        raise ValueError("drive must be a function t -> I(t)")
    Q = _seed_block(seed_Q, N, k)
    return _run(_Map(W, drive), x, Q, n_transient, n_ons, n_steps, qr_every, n_blocks)


def _flow_system(J, x0, phi, dt, gains):
    J = _square("J", J)
    N = J.shape[0]
    x = _state(x0, N)
    check_phi(phi)
    dt = float(dt)
    if not (math.isfinite(dt) and dt > 0):
        raise ValueError(f"dt must be positive and finite, got {dt}")
    if gains is not None:
        gains = np.asarray(gains, dtype=np.float64)
        if gains.shape != (N,):
            raise ValueError(f"gains must have shape (N,) = ({N},), got {gains.shape}")
        if not np.all(np.isfinite(gains)):
            raise ValueError("gains has non-finite entries")
    return _Flow(J, phi, dt, gains), x


def flow_spectrum(
    J,
    x0,
    k: int,
    *,
    phi: str = "erf",
    dt: float = 0.05,
    gains=None,
    t_transient: float,
    t_ons_transient: float,
    t_total: float,
    qr_every: int = 1,
    n_blocks: int = 10,
    seed_Q: SeedQ = None,
) -> LyapunovResult:
    """Leading k Lyapunov exponents (per unit time) of dx/dt = -x + J diag(G) phi(x), RK4 step dt.

    ``t_transient`` (state only), ``t_ons_transient`` (tangent re-orthonormalised, not accumulated)
    and ``t_total`` (the accumulated time, split into ``n_blocks`` equal blocks) are times, each a
    whole number of steps dt; the step counts obey the rules of ``map_spectrum`` (``qr_every`` is
    in RK4 steps).  ``gains`` G (N,) or None (all 1).  ``block_time`` is in time units.
    """
    system, x = _flow_system(J, x0, phi, dt, gains)
    N = x.shape[0]
    k = _as_int("k", k, 1)
    if k > N:
        raise ValueError(f"k must be <= N = {N}, got {k}")
    n_transient = _steps_of("t_transient", t_transient, system.dt, 0)
    n_ons = _steps_of("t_ons_transient", t_ons_transient, system.dt, 0)
    n_steps = _steps_of("t_total", t_total, system.dt, 1)
    qr_every = _as_int("qr_every", qr_every, 1)
    n_blocks = _as_int("n_blocks", n_blocks, 1)
    _schedule(n_ons, n_steps, qr_every, n_blocks)
    Q = _seed_block(seed_Q, N, k)
    return _run(system, x, Q, n_transient, n_ons, n_steps, qr_every, n_blocks)


def _tangent_input(Q0, N: int) -> np.ndarray:
    Q = np.asarray(Q0, dtype=np.float64)
    if Q.ndim == 1:
        Q = Q[:, None]
    if Q.ndim != 2 or Q.shape[0] != N:
        raise ValueError(f"Q0 must have shape (N,) or (N, k) with N = {N}, got {np.shape(Q0)}")
    return np.ascontiguousarray(Q)


def propagate_map(W, x0, Q0, n_steps: int, *, drive=None) -> tuple[np.ndarray, np.ndarray]:
    """(x(n), M_n ... M_1 Q0): state and tangent block after n map steps, no normalisation.

    The same step code as ``map_spectrum`` (derivative floored at D_MIN); for tests and checks.
    """
    W = _square("W", W)
    x = _state(x0, W.shape[0])
    Q = _tangent_input(Q0, W.shape[0])
    system = _Map(W, drive)
    for t in range(_as_int("n_steps", n_steps, 0)):
        x, d = system.state(x, t)
        Q = system.tangent(d, Q, out=np.empty_like(Q))
    return x, Q


def propagate_flow(
    J, x0, Q0, n_steps: int, *, phi="erf", dt=0.05, gains=None
) -> tuple[np.ndarray, np.ndarray]:
    """(x(n dt), DF^n Q0): state and tangent block after n RK4 steps, no normalisation."""
    system, x = _flow_system(J, x0, phi, dt, gains)
    Q = _tangent_input(Q0, x.shape[0])
    for t in range(_as_int("n_steps", n_steps, 0)):
        x, a = system.state(x, t)
        Q = system.tangent(a, Q, out=np.empty_like(Q))
    return x, Q


def exponents_with_errors(result: LyapunovResult) -> tuple[np.ndarray, np.ndarray]:
    """(mean, standard error) per exponent from the blocks.

    The mean is ``block_sums.sum(0) / block_time.sum()``, identical to ``result.exponents``; the
    standard error is std(block rates, ddof=1) / sqrt(n_blocks) (NaN with a single block).
    """
    sums = np.asarray(result.block_sums, dtype=np.float64)
    times = np.asarray(result.block_time, dtype=np.float64)
    if sums.ndim != 2 or times.shape != (sums.shape[0],):
        raise ValueError(
            f"block_sums (n_blocks, k) and block_time (n_blocks,) disagree: {sums.shape}, {times.shape}"
        )
    mean = sums.sum(axis=0) / times.sum()
    n = sums.shape[0]
    if n < 2:
        return mean, np.full(sums.shape[1], np.nan)
    rates = sums / times[:, None]
    return mean, rates.std(axis=0, ddof=1) / math.sqrt(n)


def _exponent_vector(exponents) -> np.ndarray:
    lam = np.asarray(exponents, dtype=np.float64)
    if lam.ndim != 1 or lam.size == 0:
        raise ValueError(f"exponents must be a non-empty 1-D array, got shape {lam.shape}")
    if np.any(np.isnan(lam)) or np.any(lam == np.inf):
        raise ValueError("exponents must not be NaN or +inf")
    return np.sort(lam)[::-1]


def kaplan_yorke_dimension(exponents) -> float:
    """D_KY = j + (lambda_1 + ... + lambda_j) / |lambda_{j+1}|, j the largest with a sum >= 0.

    The exponents are sorted descending first.  0 if lambda_1 < 0 (a stable fixed point); len(exponents) if
    the sum of all given exponents is >= 0 (with only the leading k of N exponents this is a lower
    bound: the dimension is not resolved).  Exponents of -inf are allowed.
    """
    lam = _exponent_vector(exponents)
    csum = np.cumsum(lam)
    j = int(np.count_nonzero(csum >= 0.0))  # csum rises then falls: its non-negative part is a prefix
    if j == 0:
        return 0.0
    if j == lam.size:
        return float(j)
    return float(j + csum[j - 1] / abs(lam[j]))


def ks_entropy_rate(exponents) -> float:
    """Sum of the positive exponents (Pesin's upper bound on the Kolmogorov-Sinai entropy rate)."""
    lam = _exponent_vector(exponents)
    return float(lam[lam > 0].sum())


def unstable_fraction(exponents, N: int) -> float:
    """Number of positive exponents divided by N (a lower bound if only k < N were computed)."""
    lam = _exponent_vector(exponents)
    N = _as_int("N", N, 1)
    if lam.size > N:
        raise ValueError(f"got {lam.size} exponents for N = {N}")
    return float(np.count_nonzero(lam > 0)) / N


def twin_lambda_max(
    W_or_J,
    x0,
    *,
    kind: str = "map",
    eps: float = 1e-8,
    renorm_every: int = 1,
    n_transient: int,
    n_steps: int,
    v0=None,
    phi: str = "erf",
    dt: float = 0.05,
    gains=None,
    drive: Optional[Callable[[int], np.ndarray]] = None,
) -> float:
    """lambda_max by direct numerical simulation of a perturbed twin (no tangent map).

    The reference trajectory starts at x0 (the same state updates as ``map_spectrum`` /
    ``flow_spectrum``), the twin at x0 + eps v0/|v0| (v0 default: standard normal, seed 0).  Every
    ``renorm_every`` steps the distance d = |y - x| is measured and the twin reset to
    x + eps (y - x) / d; log(d / eps) is accumulated over the last ``n_steps`` steps (the first
    ``n_transient`` let the perturbation align; both must be multiples of ``renorm_every``).
    Steps are map updates (kind="map", result per step) or RK4 steps of dt (kind="flow", result
    per unit time; ``phi``, ``dt``, ``gains`` as in ``flow_spectrum``).  ``drive`` is for the map only.
    Resolution: contraction by more than ~1e-16/eps per interval is not resolved; a twin that
    coincides with the reference in float64 gives log 0 = -inf and is re-seeded along v0.
    """
    if kind == "map":
        W = _square("W", W_or_J)
        x = _state(x0, W.shape[0])
        if gains is not None:
            raise ValueError("gains apply to kind='flow' only")
        system = _Map(W, drive)
        step_time = 1.0
    elif kind == "flow":
        if drive is not None:
            raise ValueError("drive applies to kind='map' only")
        system, x = _flow_system(W_or_J, x0, phi, dt, gains)
        step_time = system.dt
    else:
        raise ValueError(f"kind must be 'map' or 'flow', got {kind!r}")
    N = x.shape[0]
    eps = float(eps)
    if not (math.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be positive and finite, got {eps}")
    renorm_every = _as_int("renorm_every", renorm_every, 1)
    n_transient = _as_int("n_transient", n_transient, 0)
    n_steps = _as_int("n_steps", n_steps, 1)
    if n_transient % renorm_every or n_steps % renorm_every:
        raise ValueError(
            f"n_transient ({n_transient}) and n_steps ({n_steps}) must be multiples of renorm_every ({renorm_every})"
        )
    if v0 is None:
        v = np.random.default_rng(0).standard_normal(N)
    else:
        v = np.asarray(v0, dtype=np.float64)
        if v.shape != (N,) or not np.all(np.isfinite(v)) or not np.any(v):
            raise ValueError(f"v0 must be a finite non-zero vector of shape ({N},)")
    v = v / np.linalg.norm(v)
    y = x + eps * v
    acc = 0.0
    for t in range(n_transient + n_steps):
        x, _ = system.state(x, t, need_aux=False)
        y, _ = system.state(y, t, need_aux=False)
        if (t + 1) % renorm_every == 0:
            diff = y - x
            d = float(np.linalg.norm(diff))
            if t >= n_transient:
                acc += math.log(d / eps) if d > 0 else -math.inf
            y = x + (eps / d) * diff if d > 0 else x + eps * v
    return acc / (n_steps * step_time)
