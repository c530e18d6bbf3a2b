"""The tanh RNN in JAX and its training (docs/models/jarne2024.md#training): Adam (optax) with Keras'
inverse-time learning-rate decay lr_t = lr0 / (1 + decay * t) (t = optimizer steps), joint global-norm
gradient clipping, MSE over all steps and trials, and the Dale projection after every optimizer step.

Order per mini-batch: gradient -> global-norm clip -> Adam update -> projection.  Two trainers share the
model, the optimizer and the projection:

* :func:`train` trains one network, one jit-compiled step per mini-batch, gradients by JAX autodiff of
  :func:`mse`: the reference;
* :class:`SlotTrainer` trains ``slots`` networks at once: one compiled function runs ``k`` optimizer steps
  (``lax.scan`` over steps) of all slots (``jax.vmap`` over networks), gradients by explicit
  backpropagation through time (:func:`loss_and_grad`), so that the weight gradients of all time steps
  are one matrix product per network.  Every slot carries its own weights, Adam state, step counter,
  mini-batch sequence, sign mask and step limit; a slot past its limit keeps its state unchanged.  A
  network's result depends on its own inputs only (not on the other slots: tested bit for bit) and equals
  :func:`train` within float32 rounding (tested).

XLA runs on one CPU thread (:mod:`rnnstruct.numerics.jax_threads`), so that a fixed configuration gives
bitwise identical weights on every run.  Training is float32.
"""

from __future__ import annotations

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")

from rnnstruct.numerics.jax_threads import import_jax  # noqa: E402

jax = import_jax()  # one compute thread on CPU (rnnstruct.numerics.jax_threads)

from dataclasses import dataclass  # noqa: E402
from functools import lru_cache, partial  # noqa: E402
from typing import Mapping, Optional  # noqa: E402

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402
from rnnstruct.core.progress import progress as progress_bar  # noqa: E402

from rnnstruct.jarne import model  # noqa: E402

DTYPE = np.float32
PARAM_NAMES = ("W_rec", "W_in", "b", "W_out", "b_out")


def forward(params, x):
    """x (batch, time, in) -> (h (batch, time, N), y (batch, time, 1)); h_0 = 0."""

    def step(h, x_t):
        h = jnp.tanh(h @ params["W_rec"].T + x_t @ params["W_in"].T + params["b"])
        return h, h

    h0 = jnp.zeros((x.shape[0], params["W_rec"].shape[0]), dtype=x.dtype)
    _, H = jax.lax.scan(step, h0, jnp.swapaxes(x, 0, 1))
    H = jnp.swapaxes(H, 0, 1)
    return H, H @ params["W_out"].T + params["b_out"]


def mse(params, x, y):
    return jnp.mean((forward(params, x)[1] - y) ** 2)


def loss_and_grad(params, x, y, w):
    """Weighted MSE and its gradient by explicit backpropagation through time (one network).

    x (B, T, in), y (B, T, 1), w (B,) trial weights (1 = trial in the mini-batch, 0 = padding of an
    incomplete last batch).  Loss L = sum_b w_b sum_t (y_bt - target_bt)^2 / (T sum_b w_b), the
    :func:`mse` of the weighted trials.  With pre-activations a_t = W_rec h_(t-1) + W_in x_t + b and the
    backward recursion delta_t = (dL/dy_t W_out + delta_(t+1) W_rec) * (1 - h_t^2), the gradients are
    dL/dW_rec = sum_t delta_t^T h_(t-1), dL/dW_in = sum_t delta_t^T x_t, dL/db = sum_t delta_t: each one
    matrix product over all (t, b) after the two sequential sweeps (forward and backward, one
    (B x N)(N x N) product per time step each).  The stored states H (T + 1 rows, H[t] = h_(t-1), H[0] = 0)
    and errors D (T + 1 rows, D[t] = delta_t, D[T] = 0) are aligned so that these products read both
    buffers whole (no shifted copies).
    """
    W, W_in, b, W_out, b_out = (params[k] for k in PARAM_NAMES)
    n_b, T, n_in = x.shape
    N = W.shape[0]
    dt = x.dtype
    # time-major inputs with one zero step appended: row t pairs with H[t] = h_(t-1) and D[t] = delta_t
    xt = jnp.concatenate([jnp.swapaxes(x, 0, 1), jnp.zeros((1, n_b, n_in), dt)], 0)  # (T + 1, B, in)
    drive = xt @ W_in.T + b

    def fwd(t, carry):
        h, H = carry
        h = jnp.tanh(h @ W.T + drive[t])
        return h, H.at[t + 1].set(h)

    zeros = jnp.zeros((n_b, N), dt)
    _, H = jax.lax.fori_loop(0, T, fwd, (zeros, jnp.zeros((T + 1, n_b, N), dt)))
    out = H @ W_out.T + b_out  # (T + 1, B, 1); row 0 is the output of h = 0 (unused)
    denom = T * jnp.sum(w)
    r = (out[1:] - jnp.swapaxes(y, 0, 1)) * w[None, :, None]
    loss = jnp.sum(r * r) / denom
    dy = jnp.concatenate([jnp.zeros((1, n_b, 1), dt), (2.0 / denom) * r], 0)  # dy[t + 1] = dL/dy_t

    def bwd(k, carry):
        delta, D = carry
        t = T - 1 - k
        h = H[t + 1]
        delta = (dy[t + 1] * W_out + delta @ W) * (1.0 - h * h)
        return delta, D.at[t].set(delta)

    _, D = jax.lax.fori_loop(0, T, bwd, (zeros, jnp.zeros((T + 1, n_b, N), dt)))
    D2, H2 = D.reshape((T + 1) * n_b, N), H.reshape((T + 1) * n_b, N)
    grads = {
        "W_rec": D2.T @ H2,
        "W_in": D2.T @ xt.reshape((T + 1) * n_b, n_in),
        "b": jnp.sum(D2, axis=0),
        "W_out": dy.reshape(1, (T + 1) * n_b) @ H2,
        "b_out": jnp.sum(dy, axis=(0, 1)),
    }
    return loss, grads


def jax_project(params, mask, constrained: bool):
    """Dale projection (see :func:`rnnstruct.jarne.model.project`); identity when unconstrained."""
    if not constrained:
        return params
    W = params["W_rec"]
    W = jnp.where(mask > 0, jnp.maximum(W, 0), jnp.minimum(W, 0))
    return {**params, "W_rec": W, "W_in": jnp.maximum(params["W_in"], 0)}


def project_masked(params, mask, constrained):
    """Dale projection with a sign mask that may be 0 (free entry) and a per-network flag for W_in:
    entries with mask +1 are clamped to >= 0, -1 to <= 0, 0 left free; W_in >= 0 where ``constrained``.
    With a +-1 mask and ``constrained`` true it equals :func:`jax_project`."""
    W = params["W_rec"]
    W = jnp.where(mask > 0, jnp.maximum(W, 0), jnp.where(mask < 0, jnp.minimum(W, 0), W))
    W_in = jnp.where(constrained, jnp.maximum(params["W_in"], 0), params["W_in"])
    return {**params, "W_rec": W, "W_in": W_in}


def optimizer(lr: float, decay: float, clipnorm: float, b1: float, b2: float, eps: float):
    """Global-norm clip, then Adam with lr0 / (1 + decay * step) (Keras 2.3.1 ``decay``)."""
    schedule = lambda count: lr / (1.0 + decay * count)  # noqa: E731
    parts = [optax.clip_by_global_norm(clipnorm)] if clipnorm and clipnorm > 0 else []
    return optax.chain(*parts, optax.adam(schedule, b1=b1, b2=b2, eps=eps))


def mask_of(sign: np.ndarray, constrained: bool, dale_axis: str) -> np.ndarray:
    """The sign mask of :func:`project_masked`: the Dale mask, or zeros for an unconstrained network."""
    N = len(sign)
    if not constrained:
        return np.zeros((N, N), dtype=DTYPE)
    return model.sign_mask(sign, dale_axis).astype(DTYPE)


def batches(order: np.ndarray, batch_size: int) -> list[np.ndarray]:
    """Trial indices of every mini-batch: epoch e uses the permutation ``order[e]`` cut into batches of
    ``batch_size`` (an incomplete last batch is used, as in Keras)."""
    n = order.shape[1]
    return [order[e, i : i + batch_size] for e in range(order.shape[0]) for i in range(0, n, batch_size)]


def steps_per_epoch(n_train: int, batch_size: int) -> int:
    return -(-int(n_train) // int(batch_size))


def batch_indices(order: np.ndarray, batch_size: int, steps) -> tuple[np.ndarray, np.ndarray]:
    """Trial indices and weights (B = ``batch_size`` each) of the optimizer steps ``steps`` of a network
    with mini-batch ``order`` (as :func:`batches`): an incomplete batch is padded with trial 0 at weight 0,
    a step past the last epoch is all padding."""
    n = order.shape[1]
    spe = steps_per_epoch(n, batch_size)
    steps = np.asarray(steps, dtype=np.int64)
    idx = np.zeros((steps.size, batch_size), dtype=np.int32)
    wts = np.zeros((steps.size, batch_size), dtype=DTYPE)
    for k, s in enumerate(steps):
        e, j = divmod(int(s), spe)
        if e >= order.shape[0]:
            continue
        ids = order[e, j * batch_size : (j + 1) * batch_size]
        idx[k, : ids.size] = ids
        wts[k, : ids.size] = 1.0
    return idx, wts


@dataclass
class Result:
    params: dict  # trained parameters (numpy float32)
    loss: np.ndarray  # training loss (mini-batch MSE before each step's update), per optimizer step
    steps_per_second: float


@lru_cache(maxsize=16)
def compiled_step(opt_items: tuple, constrained: bool):
    """(optimizer, jit-compiled step) per optimizer setting, cached so that the networks of one job share
    one compilation."""
    tx = optimizer(**dict(opt_items))
    return tx, make_step(tx, constrained)


def make_step(opt, constrained: bool):
    @partial(jax.jit, donate_argnums=(0, 1))
    def step(params, opt_state, mask, x, y):
        loss, grads = jax.value_and_grad(mse)(params, x, y)
        updates, opt_state = opt.update(grads, opt_state, params)
        params = optax.apply_updates(params, updates)
        return jax_project(params, mask, constrained), opt_state, loss

    return step


def train(
    init: Mapping,
    x: np.ndarray,
    y: np.ndarray,
    order: np.ndarray,
    *,
    sign: np.ndarray,
    constrained: bool,
    dale_axis: str,
    opt: Mapping,
    batch_size: int,
    project_init: bool = False,
    progress: bool = True,
    desc: str = "",
    callback: Optional[callable] = None,
    max_steps: Optional[int] = None,
) -> Result:
    """Train one network from ``init`` on (x, y) (the reference trainer); ``order`` (epochs, n_train)
    holds the trial permutation of each epoch (see :func:`batches`).  ``max_steps`` stops after that many
    optimizer steps; ``callback(step, params)`` is called after every projected step (tests)."""
    import time

    params = {k: jnp.asarray(np.asarray(init[k], dtype=DTYPE)) for k in PARAM_NAMES}
    mask = jnp.asarray(model.sign_mask(sign, dale_axis).astype(DTYPE))
    if constrained and project_init:
        params = jax_project(params, mask, True)
    tx, step = compiled_step(tuple(sorted(opt.items())), bool(constrained))
    opt_state = tx.init(params)
    todo = batches(order, batch_size)[:max_steps]
    x, y = np.asarray(x, dtype=DTYPE), np.asarray(y, dtype=DTYPE)
    losses = np.empty(len(todo))
    t0 = time.perf_counter()
    for k, idx in enumerate(progress_bar(todo, desc=desc, disable=not progress)):
        params, opt_state, loss = step(params, opt_state, mask, x[idx], y[idx])
        losses[k] = float(loss)
        if callback is not None:
            callback(k, {name: np.asarray(v) for name, v in params.items()})
    rate = len(todo) / max(time.perf_counter() - t0, 1e-9)
    return Result({k: np.asarray(v) for k, v in params.items()}, losses, rate)


@lru_cache(maxsize=16)
def _slot_functions(opt_items: tuple):
    """(optimizer, jit-compiled k-step advance of all slots, jit-compiled test prediction)."""
    tx = optimizer(**dict(opt_items))

    def one(params, opt_state, x, y, w, mask, constrained):
        loss, grads = loss_and_grad(params, x, y, w)
        updates, opt_state = tx.update(grads, opt_state, params)
        return project_masked(optax.apply_updates(params, updates), mask, constrained), opt_state, loss

    all_slots = jax.vmap(one)

    @partial(jax.jit, donate_argnums=(0, 1))
    def advance(params, opt_state, step, stop, mask, constrained, X, Y, idx, wts):
        def body(carry, batch):
            p, o, s = carry
            i, w = batch
            p_new, o_new, loss = all_slots(p, o, X[i], Y[i], w, mask, constrained)
            active = s < stop

            def keep(new, old):
                return jnp.where(active.reshape((-1,) + (1,) * (new.ndim - 1)), new, old)

            p = jax.tree.map(keep, p_new, p)
            o = jax.tree.map(keep, o_new, o)
            return (p, o, s + active.astype(s.dtype)), jnp.where(active, loss, jnp.nan)

        (params, opt_state, step), losses = jax.lax.scan(body, (params, opt_state, step), (idx, wts))
        return params, opt_state, step, losses

    @jax.jit
    def predict(params, x):
        return jax.vmap(lambda p: forward(p, x)[1][..., 0])(params)

    return tx, advance, predict


class SlotTrainer:
    """``slots`` networks of size N trained together on one data set (see the module docstring).

    ``load`` puts a network into a slot (fresh Adam state, step 0, its sign mask and step limit);
    ``advance(idx, wts)`` runs ``idx.shape[0]`` optimizer steps of every slot, slot c on the trials
    ``idx[k, c]`` with weights ``wts[k, c]`` at its k-th step (see :func:`batch_indices`), and returns the
    losses (k, slots) (NaN where a slot was past its limit); ``predict`` gives the outputs (slots, trial,
    time) of every slot on ``x_test``; ``params(slot)`` the weights of a slot.  The number of slots is
    part of the configuration: XLA compiles other vector code for another number, which changes results
    in the last bits (float32 rounding), never more.
    """

    def __init__(self, *, N: int, slots: int, opt: Mapping, x_train, y_train, x_test, n_in: int = 2):
        self.N, self.slots = int(N), int(slots)
        self.tx, self._advance, self._predict = _slot_functions(tuple(sorted(opt.items())))
        self.X = jnp.asarray(np.asarray(x_train, dtype=DTYPE))
        self.Y = jnp.asarray(np.asarray(y_train, dtype=DTYPE))
        self.X_test = jnp.asarray(np.asarray(x_test, dtype=DTYPE))
        shapes = {"W_rec": (N, N), "W_in": (N, n_in), "b": (N,), "W_out": (1, N), "b_out": (1,)}
        self._empty = {k: np.zeros(s, dtype=DTYPE) for k, s in shapes.items()}
        self._fresh_opt = self.tx.init({k: jnp.asarray(v) for k, v in self._empty.items()})
        self.params = {k: jnp.zeros((self.slots,) + s, dtype=DTYPE) for k, s in shapes.items()}
        self.opt_state = jax.vmap(self.tx.init)(self.params)
        self.step = np.zeros(self.slots, dtype=np.int32)
        self.stop = np.zeros(self.slots, dtype=np.int32)
        self.mask = np.zeros((self.slots, N, N), dtype=DTYPE)
        self.constrained = np.zeros(self.slots, dtype=bool)

    def load(self, slot: int, params: Mapping, mask: np.ndarray, constrained: bool, stop: int) -> None:
        """Start a network in ``slot``: weights ``params``, sign mask (0 = free), W_in clamped if
        ``constrained``, at most ``stop`` optimizer steps."""
        self.params = {k: v.at[slot].set(np.asarray(params[k], dtype=DTYPE)) for k, v in self.params.items()}
        self.opt_state = jax.tree.map(lambda leaf, f: leaf.at[slot].set(f), self.opt_state, self._fresh_opt)
        self.step[slot] = 0
        self.stop[slot] = int(stop)
        self.mask[slot] = mask
        self.constrained[slot] = bool(constrained)

    def clear(self, slot: int) -> None:
        """Stop training ``slot`` (its state is kept until the next ``load``)."""
        self.stop[slot] = self.step[slot]

    def advance(self, idx: np.ndarray, wts: np.ndarray) -> np.ndarray:
        self.params, self.opt_state, step, losses = self._advance(
            self.params, self.opt_state, jnp.asarray(self.step), jnp.asarray(self.stop), jnp.asarray(self.mask),
            jnp.asarray(self.constrained), self.X, self.Y, jnp.asarray(idx, dtype=jnp.int32),
            jnp.asarray(wts, dtype=DTYPE),
        )
        self.step = np.array(step, dtype=np.int32)
        return np.asarray(losses)

    def predict(self) -> np.ndarray:
        return np.asarray(self._predict(self.params, self.X_test))

    def weights(self, slot: int) -> dict:
        return {k: np.array(v[slot]) for k, v in self.params.items()}


def predict(params: Mapping, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Forward pass in float32 JAX: (h, y) as numpy arrays."""
    p = {k: jnp.asarray(np.asarray(params[k], dtype=DTYPE)) for k in PARAM_NAMES}
    H, Y = jax.jit(forward)(p, jnp.asarray(np.asarray(x, dtype=DTYPE)))
    return np.asarray(H), np.asarray(Y)
