"""The tanh RNN in JAX and its training (docs/models/jarne2024.md#training): Adam (optax) with Keras'
inverse-time learning-rate decay lr_t = lr0 / (1 + decay * t) (t = optimizer steps), joint global-norm
gradient clipping, MSE over all steps and trials, and the Dale projection after every optimizer step.

Order per mini-batch: gradient -> global-norm clip -> Adam update -> projection.  The step is one
jit-compiled function.  XLA runs on one CPU thread (flags set below, before JAX is imported), so that a
fixed seed gives bitwise identical weights on every run.  Training is float32.
"""

from __future__ import annotations

import os

_XLA_SINGLE_THREAD = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
if _XLA_SINGLE_THREAD not in os.environ.get("XLA_FLAGS", ""):
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " " + _XLA_SINGLE_THREAD).strip()
os.environ.setdefault("JAX_PLATFORMS", "cpu")

from dataclasses import dataclass  # noqa: E402
from functools import lru_cache, partial  # noqa: E402
from typing import Mapping, Optional  # noqa: E402

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402
from tqdm import tqdm  # noqa: E402

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


def jax_project(params, mask, constrained: bool):
    """Dale projection (see :func:`rnnstruct.jarne.model.project`); identity when unconstrained."""
    if not constrained:
        return params
    W = params["W_rec"]
    W = jnp.where(mask > 0, jnp.maximum(W, 0), jnp.minimum(W, 0))
    return {**params, "W_rec": W, "W_in": jnp.maximum(params["W_in"], 0)}


def optimizer(lr: float, decay: float, clipnorm: float, b1: float, b2: float, eps: float):
    """Global-norm clip, then Adam with lr0 / (1 + decay * step) (Keras 2.3.1 ``decay``)."""
    schedule = lambda count: lr / (1.0 + decay * count)  # noqa: E731
    parts = [optax.clip_by_global_norm(clipnorm)] if clipnorm and clipnorm > 0 else []
    return optax.chain(*parts, optax.adam(schedule, b1=b1, b2=b2, eps=eps))


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
) -> Result:
    """Train from ``init`` on (x, y); ``order`` (epochs, n_train) holds the trial permutation of each
    epoch (incomplete last batches are used, as in Keras).  ``callback(step, params)`` is called after
    every projected step (tests)."""
    import time

    params = {k: jnp.asarray(np.asarray(init[k], dtype=DTYPE)) for k in PARAM_NAMES}
    mask = jnp.asarray(model.sign_mask(sign, dale_axis).astype(DTYPE))
    if constrained and project_init:
        params = jax_project(params, mask, True)
    tx, step = compiled_step(tuple(sorted(opt.items())), bool(constrained))
    opt_state = tx.init(params)
    n = x.shape[0]
    batches = [
        order[e, i : i + batch_size] for e in range(order.shape[0]) for i in range(0, n, batch_size)
    ]
    x, y = np.asarray(x, dtype=DTYPE), np.asarray(y, dtype=DTYPE)
    losses = np.empty(len(batches))
    t0 = time.perf_counter()
    for k, idx in enumerate(tqdm(batches, desc=desc, disable=not progress, mininterval=5.0, ascii=True)):
        params, opt_state, loss = step(params, opt_state, mask, x[idx], y[idx])
        losses[k] = float(loss)
        if callback is not None:
            callback(k, {name: np.asarray(v) for name, v in params.items()})
    rate = len(batches) / max(time.perf_counter() - t0, 1e-9)
    return Result({k: np.asarray(v) for k, v in params.items()}, losses, rate)


def predict(params: Mapping, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Forward pass in float32 JAX: (h, y) as numpy arrays."""
    p = {k: jnp.asarray(np.asarray(params[k], dtype=DTYPE)) for k in PARAM_NAMES}
    H, Y = jax.jit(forward)(p, jnp.asarray(np.asarray(x, dtype=DTYPE)))
    return np.asarray(H), np.asarray(Y)
