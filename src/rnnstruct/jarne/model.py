"""Initialisation and Dale's-law projection (numpy; math convention W_rec[post, pre]).

h(t+1) = tanh(W_rec h(t) + W_in x(t) + b),  y(t) = W_out h(t) + b_out  (docs/models/jarne2024.md#dynamics).
The Keras kernel of the authors' code is U = W_rec^T (same spectrum).

Sign vector s (docs/models/jarne2024.md#dale-constraint): inhibitory units first, n_I = floor(ei_frac * N) of
them with s = -1, the rest s = +1.  ``dale_axis = "pre"`` fixes one sign per presynaptic unit (column j of
W_rec has sign s_j: true Dale's law); ``"post"`` one sign per postsynaptic unit (row i), the literal behaviour
of the Keras constraint.  The projection clamps wrong-signed entries to 0 and W_in to >= 0; biases and the
readout are free.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

INITS = ("normal", "orthogonal")
AXES = ("pre", "post")


def n_inhibitory(N: int, ei_frac: float) -> int:
    return int(np.floor(ei_frac * N + 1e-9))


def sign_vector(N: int, ei_frac: float) -> np.ndarray:
    """+1 (excitatory) / -1 (inhibitory) per unit, inhibitory units first."""
    if not 0.0 <= ei_frac <= 1.0:
        raise ValueError(f"ei_frac must lie in [0, 1], got {ei_frac}")
    s = np.ones(N, dtype=np.int8)
    s[: n_inhibitory(N, ei_frac)] = -1
    return s


def sign_mask(sign: np.ndarray, axis: str) -> np.ndarray:
    """N x N array of the allowed sign of each W_rec[post, pre] entry."""
    sign = np.asarray(sign)
    if axis == "pre":
        return np.broadcast_to(sign[None, :], (sign.size, sign.size))
    if axis == "post":
        return np.broadcast_to(sign[:, None], (sign.size, sign.size))
    raise ValueError(f"dale_axis must be one of {AXES}, got {axis!r}")


def project(W_rec: np.ndarray, W_in: np.ndarray, sign: np.ndarray, axis: str = "pre"):
    """Projection onto the Dale set: wrong-signed recurrent entries -> 0, W_in -> max(W_in, 0)."""
    mask = sign_mask(sign, axis)
    W = np.where(mask > 0, np.maximum(W_rec, 0), np.minimum(W_rec, 0))
    return W, np.maximum(W_in, 0)


def orthogonal(N: int, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    """Haar-distributed orthogonal matrix (QR of a Gaussian matrix with the sign of diag R fixed),
    as Keras' ``orthogonal`` initializer."""
    Q, R = np.linalg.qr(rng.standard_normal((N, N)))
    return gain * Q * np.sign(np.diag(R))[None, :]


def initial_params(N: int, init: str, rng: np.random.Generator, gain: float = 1.0, n_in: int = 2) -> dict:
    """Untrained parameters (docs/models/jarne2024.md#initialisation): W_rec normal N(0, gain^2/N) or
    orthogonal (gain); W_in Glorot uniform U(+-sqrt(6/(n_in + N))); W_out Glorot uniform U(+-sqrt(6/(N + 1)));
    zero biases."""
    if init == "normal":
        W_rec = gain * rng.standard_normal((N, N)) / np.sqrt(N)
    elif init == "orthogonal":
        W_rec = orthogonal(N, rng, gain)
    else:
        raise ValueError(f"init must be one of {INITS}, got {init!r}")
    a_in = np.sqrt(6.0 / (n_in + N))
    a_out = np.sqrt(6.0 / (N + 1))
    return {
        "W_rec": W_rec,
        "W_in": rng.uniform(-a_in, a_in, (N, n_in)),
        "b": np.zeros(N),
        "W_out": rng.uniform(-a_out, a_out, (1, N)),
        "b_out": np.zeros(1),
    }


def run(params: Mapping, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reference forward pass (numpy float64): x (trial, time, in) -> (h (trial, time, N), y (trial, time, 1))."""
    W, W_in, b = (np.asarray(params[k], dtype=float) for k in ("W_rec", "W_in", "b"))
    W_out, b_out = np.asarray(params["W_out"], dtype=float), np.asarray(params["b_out"], dtype=float)
    n, T, _ = x.shape
    h = np.zeros((n, W.shape[0]))
    H = np.empty((n, T, W.shape[0]))
    for t in range(T):
        h = np.tanh(h @ W.T + x[:, t] @ W_in.T + b)
        H[:, t] = h
    return H, H @ W_out.T + b_out
