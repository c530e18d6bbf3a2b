"""Reservoir computing with tanh networks: tasks, ridge readout, state harvest and evaluation.

``docs/models/metzner2025.md#dynamics`` and ``#reservoir-computing`` (all choices [RECON]).  The network is
the untrained reservoir x(t+1) = tanh(W x(t) + Win u(t)) (no bias, leak or noise); a linear readout of the
state x(t+1), trained by closed-form ridge regression, predicts the target of step t (argmax over classes).

Everything here is pure: parameters, arrays and generators in, arrays out.

Tasks (``make_task``)
---------------------
``clusters`` (default)
    D-dimensional inputs from M Gaussian clusters with centres ~ U(-1, 1)^D and SD ``sigma``;
    every cluster belongs to one of ``classes`` classes, M/classes clusters per class, assigned at
    random.  One sample per step: u(t) = c_j(t) + sigma N(0, I), j(t) ~ U{0..M-1}; target of
    x(t+1): the class of cluster j(t).  One head, ``("class",)``.
``seqmem``
    u(t) = one-hot of a random symbol s(t) from an alphabet of ``alphabet`` symbols; head
    ``delay<k>`` has the target s(t - k) for every k in ``delays`` (-1 for t < k).
``seqgen``
    Trials of ``1 + length`` steps, back to back in every stream from t = 0: a one-hot class cue
    (D = ``classes``) at the trial's first step, zero input for the next ``length`` steps; at trial
    step s = 1..length the target is the s-th symbol of the cued class's fixed random sequence
    over ``alphabet`` symbols (-1 at the cue step).  **Partial trial**: if ``n_steps`` is not a
    multiple of ``1 + length``, the last trial of every stream is cut off at ``n_steps``; the
    steps it has keep their regular targets (the cue was seen), the missing ones do not exist.
    One head, ``("symbol",)``.

``instance_gen`` draws the fixed structure of a task instance (cluster centres and their class
assignment; seqgen's symbol sequences), ``gen`` the sample stream, so that the train and test
segments of one realisation share the instance.

Ridge readout (``fit_ridge``)
-----------------------------
Features x (n, F) are standardised with the training rows' mean and standard deviation,
z = (x - mean) / scale (scale = std, population convention; 1 where std == 0), and

    beta, bias = argmin  sum_rows ||y - beta^T z - bias||^2 + ridge ||beta||^2

with an *unregularised* bias and the *unnormalised* sum over rows (so ``ridge`` is not scaled by
the number of samples): the convention of reservoirpy's ``Ridge(ridge=..., fit_bias=True)``.
Since the training features are centred, bias = mean of y and
beta = (Z^T Z + ridge I)^{-1} Z^T Y.  Both are computed only from additive sufficient
statistics (``sufficient_statistics`` / ``add_statistics``, so the training rows can be streamed in
blocks); the statistics are taken about a reference point ``shift`` (the block's first row by
default), which avoids the cancellation of X^T X - n mean mean^T for nearly constant (saturated)
features.  With ``shift = 0`` the sums are literally X^T X and X^T Y.

Multi-head readout
------------------
A task has H heads (e.g. one per delay of ``seqmem``); head h is a separate classification with
``n_classes[h]`` classes, fitted on the rows where its label is not -1 (rows differ between
heads, e.g. t < delay).  ``fit_readouts`` therefore returns **one ``Readout`` per head**; heads
whose valid rows coincide (the usual case once the washout exceeds every delay) share a single
pass over the data (one Gram matrix and one solve with their one-hot targets side by side, which
is exactly the per-head solution since the ridge system is the same).  ``classify`` returns the
argmax class per head.

Evaluation (``evaluate``)
-------------------------
One continuous stream per (matrix, stream): ``washout`` steps, then ``n_train`` training steps,
then the test steps (the rest of the task data; fresh samples, same network, the state carries
over).  Per matrix, one readout per head is fitted on the training states of all streams pooled;
accuracies are fractions of correct argmax predictions over the valid targets of a segment;
``accuracy`` is the unweighted mean over heads of the per-head test accuracies.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence, Union

import numpy as np
from scipy import linalg

from rnnstruct.metzner.dynamics import simulate

TASKS = ("clusters", "seqmem", "seqgen")

#: the keys of every task's parameter section (all required, no others allowed)
TASK_KEYS = {
    "clusters": ("D", "M", "sigma", "classes"),
    "seqmem": ("alphabet", "delays"),
    "seqgen": ("classes", "length", "alphabet"),
}


# ---------------------------------------------------------------------------------------------
# tasks
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TaskData:
    """Inputs and targets of one task instance, for ``streams`` parallel streams.

    inputs : (T, S, D) float, input u(t) per step and stream
    labels : (T, S, H) int, class index per readout head; -1 where the step has no target
    n_classes : classes per head (length H)
    heads : head names, e.g. ("class",), ("delay1", ..., "delay5"), ("symbol",)
    """

    inputs: np.ndarray
    labels: np.ndarray
    n_classes: tuple
    heads: tuple

    def __post_init__(self):
        x, y = np.asarray(self.inputs), np.asarray(self.labels)
        if x.ndim != 3 or y.ndim != 3 or x.shape[:2] != y.shape[:2]:
            raise ValueError(f"need inputs (T, S, D) and labels (T, S, H), got {x.shape} and {y.shape}")
        if not (len(self.n_classes) == len(self.heads) == y.shape[2]):
            raise ValueError(
                f"labels have {y.shape[2]} heads but n_classes has {len(self.n_classes)} and heads "
                f"{len(self.heads)} entries"
            )
        if not np.issubdtype(y.dtype, np.integer):
            raise ValueError(f"labels must be integers, got {y.dtype}")
        for h, c in enumerate(self.n_classes):
            if y[..., h].size and (y[..., h].min() < -1 or y[..., h].max() >= c):
                raise ValueError(f"labels of head {self.heads[h]!r} outside -1..{c - 1}")

    @property
    def n_steps(self) -> int:
        return self.inputs.shape[0]

    @property
    def streams(self) -> int:
        return self.inputs.shape[1]


def _check_keys(name: str, params: Mapping) -> None:
    allowed = TASK_KEYS[name]
    missing = [k for k in allowed if k not in params]
    if missing:
        raise ValueError(f"{name} parameter '{missing[0]}' is missing (required keys: {', '.join(allowed)})")
    extra = sorted(str(k) for k in params if k not in allowed)
    if extra:
        raise ValueError(f"unknown {name} parameter(s) {extra}; allowed keys: {', '.join(allowed)}")


def _int_param(name: str, params: Mapping, key: str, minimum: int) -> int:
    v = params[key]
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral) or v < minimum:
        raise ValueError(f"{name} parameter '{key}' must be an integer >= {minimum}, got {v!r}")
    return int(v)


def _one_hot_rows(symbols: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(symbols.shape + (n,))
    np.put_along_axis(out, symbols[..., None], 1.0, axis=-1)
    return out


def _clusters(params: Mapping, T: int, S: int, gen, instance_gen) -> TaskData:
    D = _int_param("clusters", params, "D", 1)
    M = _int_param("clusters", params, "M", 2)
    K = _int_param("clusters", params, "classes", 2)
    if M % K:
        divisors = [k for k in range(2, M + 1) if M % k == 0]
        raise ValueError(
            f"clusters parameter 'classes' must divide M = {M} (classes are balanced over clusters; "
            f"allowed: {divisors}), got {K}"
        )
    sigma = params["sigma"]
    if isinstance(sigma, (bool, np.bool_)) or not isinstance(sigma, numbers.Real) or not np.isfinite(sigma) or sigma < 0:
        raise ValueError(f"clusters parameter 'sigma' must be a finite number >= 0, got {sigma!r}")
    centres = instance_gen.uniform(-1.0, 1.0, (M, D))
    assignment = instance_gen.permutation(np.repeat(np.arange(K), M // K))
    j = gen.integers(0, M, (T, S))
    inputs = centres[j] + float(sigma) * gen.standard_normal((T, S, D))
    labels = assignment[j][..., None].astype(np.int64)
    return TaskData(inputs, labels, (K,), ("class",))


def _seqmem(params: Mapping, T: int, S: int, gen, instance_gen) -> TaskData:
    A = _int_param("seqmem", params, "alphabet", 2)
    delays = params["delays"]
    message = f"seqmem parameter 'delays' must be a non-empty list of distinct integers >= 1, got {delays!r}"
    if isinstance(delays, (str, bytes)) or not isinstance(delays, (Sequence, np.ndarray)) or len(delays) == 0:
        raise ValueError(message)
    if any(isinstance(d, (bool, np.bool_)) or not isinstance(d, numbers.Integral) or d < 1 for d in delays):
        raise ValueError(message)
    delays = [int(d) for d in delays]
    if len(set(delays)) != len(delays):
        raise ValueError(f"seqmem parameter 'delays' must hold distinct integers >= 1, got {delays!r}")
    sym = gen.integers(0, A, (T, S))
    labels = np.full((T, S, len(delays)), -1, dtype=np.int64)
    for k, d in enumerate(delays):
        labels[d:, :, k] = sym[: T - d] if d < T else sym[:0]
    return TaskData(_one_hot_rows(sym, A), labels, (A,) * len(delays), tuple(f"delay{d}" for d in delays))


def _seqgen(params: Mapping, T: int, S: int, gen, instance_gen) -> TaskData:
    K = _int_param("seqgen", params, "classes", 1)
    L = _int_param("seqgen", params, "length", 1)
    A = _int_param("seqgen", params, "alphabet", 2)
    sequences = instance_gen.integers(0, A, (K, L))
    P = L + 1
    n_trials = -(-T // P)  # the last trial may be partial
    cues = gen.integers(0, K, (n_trials, S))
    t = np.arange(T)
    trial, phase = t // P, t % P
    cue_t = cues[trial]  # (T, S)
    inputs = np.zeros((T, S, K))
    at_cue = phase == 0
    inputs[at_cue] = _one_hot_rows(cue_t[at_cue], K)
    labels = np.full((T, S, 1), -1, dtype=np.int64)
    on = ~at_cue
    labels[on, :, 0] = sequences[cue_t[on], (phase[on] - 1)[:, None]]
    return TaskData(inputs, labels, (A,), ("symbol",))


_BUILDERS = {"clusters": _clusters, "seqmem": _seqmem, "seqgen": _seqgen}


def make_task(
    name: str,
    params: Mapping,
    n_steps: int,
    streams: int,
    gen: np.random.Generator,
    instance_gen: np.random.Generator,
) -> TaskData:
    """Inputs and targets of task ``name`` (one of ``TASKS``) for ``streams`` streams of ``n_steps``.

    ``params`` is the task's parameter section (see the module docstring; all keys required):
    clusters {D, M, sigma, classes}, seqmem {alphabet, delays}, seqgen {classes, length, alphabet}.
    ``instance_gen`` draws the task instance, ``gen`` the samples.  Raises ``ValueError`` naming
    the offending key and its allowed values.
    """
    if name not in TASKS:
        raise ValueError(f"unknown task {name!r}; allowed: {', '.join(TASKS)}")
    for key, v, lo in (("n_steps", n_steps, 1), ("streams", streams, 1)):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral) or v < lo:
            raise ValueError(f"{key} must be an integer >= {lo}, got {v!r}")
    if not isinstance(params, Mapping):
        raise ValueError(f"{name} parameters must be a mapping with keys {', '.join(TASK_KEYS[name])}")
    _check_keys(name, params)
    return _BUILDERS[name](params, int(n_steps), int(streams), gen, instance_gen)


# ---------------------------------------------------------------------------------------------
# ridge readout
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Readout:
    """Linear readout scores = ((x - mean) / scale) @ beta + bias."""

    mean: np.ndarray  # (F,) training feature mean
    scale: np.ndarray  # (F,) training feature std (population), 1 where std == 0
    beta: np.ndarray  # (F, C) weights on standardised features
    bias: np.ndarray  # (C,) unregularised bias
    ridge: float


def sufficient_statistics(X: np.ndarray, Y: np.ndarray, shift: Optional[np.ndarray] = None) -> dict:
    """Additive statistics of rows X (n, F), Y (n, C) for ``fit_ridge``.

    Returns {n, shift (F,), sum_x (F,), sum_y (C,), xx (F, F), xy (F, C)} with the x-sums taken
    about ``shift``: sum_x = sum (x - shift), xx = (X - shift)^T (X - shift), xy = (X - shift)^T Y.
    ``shift`` defaults to the first row of X (exact zeros for constant features, no cancellation
    for nearly constant ones); pass zeros to get the plain sums X^T X, X^T Y.
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[0] != Y.shape[0]:
        raise ValueError(f"need X (n, F) and Y (n, C) with the same n, got {X.shape} and {Y.shape}")
    n, F = X.shape
    if shift is None:
        shift = X[0].copy() if n else np.zeros(F)
    shift = np.asarray(shift, dtype=np.float64)
    if shift.shape != (F,):
        raise ValueError(f"shift must have shape ({F},), got {shift.shape}")
    Xs = X - shift
    return {
        "n": int(n),
        "shift": shift,
        "sum_x": Xs.sum(axis=0),
        "sum_y": Y.sum(axis=0),
        "xx": Xs.T @ Xs,
        "xy": Xs.T @ Y,
    }


def add_statistics(a: dict, b: dict) -> dict:
    """Statistics of the union of the rows behind ``a`` and ``b`` (about ``a``'s shift)."""
    if a["xx"].shape != b["xx"].shape or a["xy"].shape != b["xy"].shape:
        raise ValueError(f"statistics do not match: F, C = {a['xy'].shape} and {b['xy'].shape}")
    if b["n"] == 0:
        return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in a.items()}
    if a["n"] == 0:
        return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in b.items()}
    d = b["shift"] - a["shift"]  # re-express b's sums about a's shift
    nb, sb = b["n"], b["sum_x"]
    xx_b = b["xx"] + np.outer(sb, d) + np.outer(d, sb) + nb * np.outer(d, d)
    return {
        "n": a["n"] + nb,
        "shift": a["shift"].copy(),
        "sum_x": a["sum_x"] + (sb + nb * d),
        "sum_y": a["sum_y"] + b["sum_y"],
        "xx": a["xx"] + xx_b,
        "xy": a["xy"] + (b["xy"] + np.outer(d, b["sum_y"])),
    }


def fit_ridge(stats: dict, ridge: float) -> Readout:
    """Ridge readout from accumulated statistics (convention: module docstring).

    Centred scatter C = xx - sum_x sum_x^T / n, scale = sqrt(diag(C) / n) (1 where 0),
    G = C / (scale scale^T) + ridge I, beta = solve(G, (xy - sum_x sum_y^T / n) / scale) with
    ``scipy.linalg.solve(assume_a="pos")``, bias = sum_y / n.  ``ridge`` = 0 needs a non-singular
    standardised design (no constant features).
    """
    ridge = float(ridge)
    if not np.isfinite(ridge) or ridge < 0:
        raise ValueError(f"ridge must be a finite number >= 0, got {ridge!r}")
    n = stats["n"]
    if n < 1:
        raise ValueError("cannot fit a readout on zero samples")
    sum_x, sum_y = stats["sum_x"], stats["sum_y"]
    mu = sum_x / n  # mean about the shift
    cxx = stats["xx"] - np.outer(sum_x, mu)
    cxy = stats["xy"] - np.outer(mu, sum_y)
    var = np.maximum(np.diag(cxx) / n, 0.0)
    std = np.sqrt(var)
    scale = np.where(std > 0, std, 1.0)
    G = cxx / np.outer(scale, scale)
    G = 0.5 * (G + G.T)
    G[np.diag_indices_from(G)] += ridge
    beta = linalg.solve(G, cxy / scale[:, None], assume_a="pos")
    return Readout(mean=stats["shift"] + mu, scale=scale, beta=beta, bias=sum_y / n, ridge=ridge)


def predict(readout: Readout, X: np.ndarray) -> np.ndarray:
    """Scores (n, C) of rows X (n, F)."""
    Z = (np.asarray(X, dtype=np.float64) - readout.mean) / readout.scale
    return Z @ readout.beta + readout.bias


def one_hot(labels: np.ndarray, n_classes: Union[int, Sequence[int]]) -> np.ndarray:
    """Float one-hot targets; label -1 gives an all-zero block.

    ``labels`` (...) with an int ``n_classes`` C gives (..., C); ``labels`` (..., H) with a sequence
    of H class counts gives the heads' blocks concatenated, (..., sum(n_classes)).
    """
    labels = np.asarray(labels)
    if isinstance(n_classes, numbers.Integral):
        counts, labels = [int(n_classes)], labels[..., None]
    else:
        counts = [int(c) for c in n_classes]
        if labels.shape[-1:] != (len(counts),):
            raise ValueError(f"labels {labels.shape} must end with the number of heads {len(counts)}")
    blocks = []
    for h, c in enumerate(counts):
        lab = labels[..., h]
        if lab.size and (lab.min() < -1 or lab.max() >= c):
            raise ValueError(f"labels of head {h} outside -1..{c - 1}")
        block = (lab[..., None] == np.arange(c)).astype(np.float64)
        blocks.append(block)
    return np.concatenate(blocks, axis=-1)


def fit_readouts(X: np.ndarray, labels: np.ndarray, n_classes: Sequence[int], ridge: float) -> tuple:
    """One ``Readout`` per head, fitted on the rows where that head's label is not -1.

    X (n, F), labels (n, H).  Heads with identical valid rows share one Gram matrix and solve
    (module docstring, "Multi-head readout").  Raises ``ValueError`` if a head has no valid row.
    """
    X = np.asarray(X, dtype=np.float64)
    labels = np.asarray(labels)
    H = labels.shape[1]
    counts = [int(c) for c in n_classes]
    valid = labels >= 0
    if not valid.any(axis=0).all():
        raise ValueError(f"head(s) {np.flatnonzero(~valid.any(axis=0)).tolist()} have no training target")
    groups: dict = {}
    for h in range(H):
        groups.setdefault(valid[:, h].tobytes(), []).append(h)
    out: list = [None] * H
    for hs in groups.values():
        rows = valid[:, hs[0]]
        Xg, Lg = (X, labels) if rows.all() else (X[rows], labels[rows])
        stats = sufficient_statistics(Xg, one_hot(Lg[:, hs], [counts[h] for h in hs]))
        fit = fit_ridge(stats, ridge)
        start = 0
        for h in hs:
            cols = slice(start, start + counts[h])
            out[h] = Readout(fit.mean, fit.scale, fit.beta[:, cols], fit.bias[cols], fit.ridge)
            start += counts[h]
    return tuple(out)


def classify(readouts: Sequence[Readout], X: np.ndarray) -> np.ndarray:
    """Argmax class per row and head, (n, H) int64 (standardisation shared where readouts share it)."""
    X = np.asarray(X, dtype=np.float64)
    out = np.empty((X.shape[0], len(readouts)), dtype=np.int64)
    Z, key = None, None
    for h, ro in enumerate(readouts):
        if key is None or key[0] is not ro.mean or key[1] is not ro.scale:
            Z, key = (X - ro.mean) / ro.scale, (ro.mean, ro.scale)
        scores = Z @ ro.beta + ro.bias
        if not np.all(np.isfinite(scores)):
            raise FloatingPointError(f"non-finite readout scores for head {h}")
        out[:, h] = np.argmax(scores, axis=1)
    return out


# ---------------------------------------------------------------------------------------------
# harvest and evaluation
# ---------------------------------------------------------------------------------------------


def _labels(labels, R: int) -> list:
    labels = list(labels) if labels is not None else [f"matrix {r}" for r in range(R)]
    if len(labels) != R:
        raise ValueError(f"need {R} labels, got {len(labels)}")
    return labels


def harvest(
    W: np.ndarray,
    Win: np.ndarray,
    x0: np.ndarray,
    inputs: np.ndarray,
    *,
    washout: int,
    v0: Optional[np.ndarray] = None,
    labels: Optional[Sequence[str]] = None,
    kernel: str = "compiled",
) -> tuple[np.ndarray, np.ndarray]:
    """Driven states of a stack of reservoirs, x(t+1) = tanh(W x(t) + Win u(t)).

    W (R, N, N), Win (R, N, D), x0 (R, N, S), inputs (R, T, S, D); ``v0`` (R, N, S) tangent vectors
    or None.  The input fields Win u(t) of all steps are one product per matrix computed up front.
    ``kernel="compiled"`` (default) runs every matrix in one compiled time loop
    (:func:`rnnstruct.metzner.kernel.harvest_stack`); ``"numpy"`` is the reference implementation (all
    S streams of a matrix advance together, one matrix-matrix product per step, via
    ``rnnstruct.metzner.dynamics.simulate``).  Both give the same states to float64 round-off (amplified
    by the dynamics where the driven run is chaotic).

    Returns (states, lyap_driven): states (R, T, N, S) with states[:, t] = x(t+1), and the largest
    Lyapunov exponent of the driven run per (matrix, stream), (R, S), averaged over the T - washout
    steps after the washout (NaN without ``v0``; -inf is exact when W v = 0).
    """
    W = np.asarray(W, dtype=np.float64)
    Win = np.asarray(Win, dtype=np.float64)
    x0 = np.asarray(x0, dtype=np.float64)
    inputs = np.asarray(inputs, dtype=np.float64)
    if W.ndim != 3 or W.shape[1] != W.shape[2]:
        raise ValueError(f"W must have shape (R, N, N), got {W.shape}")
    R, N, _ = W.shape
    if Win.ndim != 3 or Win.shape[:2] != (R, N):
        raise ValueError(f"Win must have shape (R, N, D) = ({R}, {N}, D), got {Win.shape}")
    D = Win.shape[2]
    if x0.ndim != 3 or x0.shape[:2] != (R, N):
        raise ValueError(f"x0 must have shape (R, N, S) = ({R}, {N}, S), got {x0.shape}")
    S = x0.shape[2]
    if inputs.ndim != 4 or inputs.shape[0] != R or inputs.shape[2:] != (S, D):
        raise ValueError(f"inputs must have shape (R, T, S, D) = ({R}, T, {S}, {D}), got {inputs.shape}")
    T = inputs.shape[1]
    if washout < 0 or T - washout < 2:
        raise ValueError(f"need 0 <= washout <= T - 2, got washout={washout}, T={T}")
    labels = _labels(labels, R)
    for name, arr in (("input weights", Win), ("inputs", inputs)):
        bad = ~np.isfinite(arr.reshape(R, -1)).all(axis=1)
        if bad.any():
            raise FloatingPointError(f"non-finite {name} for {labels[int(np.argmax(bad))]}")

    if kernel not in ("compiled", "numpy"):
        raise ValueError(f"kernel must be 'compiled' or 'numpy', got {kernel!r}")
    # input fields Win u(t) of all steps: one product per matrix, (T S, D) @ (D, N) (batch-independent)
    fields = np.stack([(inputs[r].reshape(T * S, D) @ Win[r].T).reshape(T, S, N) for r in range(R)])
    if kernel == "compiled":
        from rnnstruct.metzner import kernel as compiled  # JAX is imported only where it is used

        states, log_growth = compiled.harvest_stack(W, x0, v0, fields, washout)
        _check_states(states, labels)
        lyap = log_growth / (T - washout) if v0 is not None else np.full((R, S), np.nan)
        return states, lyap
    # numpy reference: fields stored time-major (T, R, N, S) so that the block of step t is contiguous
    drive = np.ascontiguousarray(fields.transpose(1, 0, 3, 2))
    states_tm = np.empty((T, R, N, S))

    def record(t, X):
        states_tm[t] = X

    res = simulate(
        W,
        x0,
        n_transient=washout,
        n_measure=T - washout,
        v0=v0,
        drive=drive.__getitem__,
        observe=False,
        record=record,
        max_period=1,
        labels=labels,
    )
    states = states_tm.transpose(1, 0, 2, 3)  # (R, T, N, S) view
    _check_states(states, labels)
    return states, res.measures["lyap_max"]


def _check_states(states: np.ndarray, labels: list) -> None:
    bad = ~np.isfinite(states).all(axis=(1, 2, 3))
    if bad.any():
        raise FloatingPointError(f"non-finite reservoir states for {labels[int(np.argmax(bad))]}")


def _segment_rows(states_r: np.ndarray, labels: np.ndarray, start: int, stop: int):
    """Features (n*S, N) and labels (n*S, H) of steps start..stop-1, rows ordered (t, stream)."""
    X = states_r[start:stop].transpose(0, 2, 1)  # (n, S, N)
    return X.reshape(-1, X.shape[-1]), labels[start:stop].reshape(-1, labels.shape[-1])


def _accuracy(pred: np.ndarray, labels: np.ndarray) -> np.ndarray:
    valid = labels >= 0
    return ((pred == labels) & valid).sum(axis=0) / valid.sum(axis=0)


def evaluate(
    W: np.ndarray,
    Win: np.ndarray,
    x0: np.ndarray,
    v0: Optional[np.ndarray],
    data: Union[TaskData, Sequence[TaskData]],
    *,
    washout: int,
    n_train: int,
    ridge: float,
    labels: Optional[Sequence[str]] = None,
    kernel: str = "compiled",
) -> dict:
    """Reservoir-computing accuracy of a stack of R networks (``kernel``: see :func:`harvest`).

    W (R, N, N), Win (R, N, D), x0 (R, N, S) initial states, v0 (R, N, S) tangent vectors (or None:
    no driven Lyapunov exponent).  ``data``: one ``TaskData`` per matrix (a sequence of R, e.g.
    different task instances per realisation) or one shared by all; every one has T steps and S
    streams and the same heads.  Per (matrix, stream) the T steps form one continuous run: steps
    0..washout-1 are discarded, the next ``n_train`` steps train the readout (all streams pooled,
    one readout per head, features x(t+1) standardised, explicit bias), the remaining
    T - washout - n_train steps are the test segment (the state carries over).

    Returns (numpy arrays):
      accuracy (R,): mean over heads of the per-head test accuracy;
      accuracy_train (R,): the same on the training segment;
      accuracy_head (R, H), accuracy_train_head (R, H): per head (e.g. per delay);
      lyap_driven (R,): largest Lyapunov exponent of the driven run after the washout, mean over
      streams (NaN without v0).
    Raises FloatingPointError naming ``labels[r]`` if anything non-finite appears.
    """
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 3:
        raise ValueError(f"W must have shape (R, N, N), got {W.shape}")
    R = W.shape[0]
    datas = [data] * R if isinstance(data, TaskData) else list(data)
    if len(datas) != R:
        raise ValueError(f"need one TaskData per matrix ({R}), got {len(datas)}")
    d0 = datas[0]
    for d in datas[1:]:
        if d.inputs.shape != d0.inputs.shape or d.labels.shape != d0.labels.shape:
            raise ValueError(f"task data shapes differ: {d.inputs.shape} vs {d0.inputs.shape}")
        if tuple(d.heads) != tuple(d0.heads) or tuple(d.n_classes) != tuple(d0.n_classes):
            raise ValueError("task data of different tasks (heads or class counts differ)")
    T, S, _ = d0.inputs.shape
    H = len(d0.heads)
    n_test = T - washout - n_train
    if washout < 0 or n_train < 1 or n_test < 1:
        raise ValueError(
            f"need washout >= 0, n_train >= 1 and test steps T - washout - n_train >= 1, got T={T}, "
            f"washout={washout}, n_train={n_train}"
        )
    labels = _labels(labels, R)
    for r, d in enumerate(datas):
        for seg, (a, b) in (("training", (washout, washout + n_train)), ("test", (washout + n_train, T))):
            empty = ~(d.labels[a:b] >= 0).any(axis=(0, 1))
            if empty.any():
                raise ValueError(
                    f"{labels[r]}: head(s) {[d0.heads[h] for h in np.flatnonzero(empty)]} have no target "
                    f"in the {seg} segment (steps {a}..{b - 1})"
                )

    inputs = np.stack([d.inputs for d in datas])
    states, lyap = harvest(W, Win, x0, inputs, washout=washout, v0=v0, labels=labels, kernel=kernel)

    acc_head = np.empty((R, H))
    acc_train_head = np.empty((R, H))
    for r, d in enumerate(datas):
        Xtr, Ltr = _segment_rows(states[r], d.labels, washout, washout + n_train)
        Xte, Lte = _segment_rows(states[r], d.labels, washout + n_train, T)
        try:
            readouts = fit_readouts(Xtr, Ltr, d.n_classes, ridge)
            if not all(np.all(np.isfinite(ro.beta)) for ro in readouts):
                raise FloatingPointError("non-finite readout weights")
            acc_train_head[r] = _accuracy(classify(readouts, Xtr), Ltr)
            acc_head[r] = _accuracy(classify(readouts, Xte), Lte)
        except (FloatingPointError, linalg.LinAlgError) as exc:
            raise FloatingPointError(f"{labels[r]}: {exc}") from exc
    lyap_driven = lyap.mean(axis=1)
    bad = np.isnan(lyap_driven) | (lyap_driven == np.inf)
    if v0 is not None and bad.any():
        raise FloatingPointError(f"non-finite driven Lyapunov exponent for {labels[int(np.argmax(bad))]}")
    return {
        "accuracy": acc_head.mean(axis=1),
        "accuracy_train": acc_train_head.mean(axis=1),
        "accuracy_head": acc_head,
        "accuracy_train_head": acc_train_head,
        "lyap_driven": lyap_driven,
    }
