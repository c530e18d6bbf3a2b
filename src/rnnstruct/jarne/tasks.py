"""Tasks of Jarne & Caruso 2024 (docs/models/jarne2024.md#tasks): AND, OR, XOR and the 1-bit Flip-Flop.

Pure numpy: a generator in, arrays out.  1 step = 1 ms, 2 input channels, 1 output.

AND / OR / XOR (290 steps): trial type k in {0, 1, 2, 3} gives bits (A, B) = (0,0), (1,0), (0,1), (1,1);
with jitter d uniform on {1, ..., 50}, x[60+d : 80+d] = (A, B) and the target is 0 (OR: 0.01) before
t = 100 + d and the Boolean result from there to the end.

Flip-Flop (410 steps): three turns; in turn m a random channel c receives a 20-step pulse at
t = 50 + 120 m; the target is c from 40 steps after the pulse onset until the next response window
starts (the last runs to the end); 0.01 before the first response window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BOOLEAN = {"and": (0, 0, 0, 1), "or": (0, 1, 1, 1), "xor": (0, 1, 1, 0)}
TASKS = ("and", "or", "xor", "ff")
BITS = ((0, 0), (1, 0), (0, 1), (1, 1))

# AND/OR/XOR timing (steps)
ONSET, DURATION, MEM_GAP, MAX_JITTER, OUT_GAP = 60, 20, 20, 50, 140
BOOL_T = ONSET + DURATION + MEM_GAP + MAX_JITTER + OUT_GAP  # 290
# Flip-Flop timing (steps)
FF_WAIT, FF_PULSE, FF_GAP, FF_PERIOD, FF_TURNS, FF_DELAY = 50, 20, 100, 120, 3, 40
FF_T = FF_WAIT + (FF_TURNS - 1) * FF_PERIOD + FF_PULSE + FF_GAP  # 410
BASELINE = {"and": 0.0, "or": 0.01, "xor": 0.0, "ff": 0.01}


@dataclass(frozen=True)
class Trials:
    """A batch of trials: x (trial, time, 2), y (trial, time, 1), trial type and timing per trial.

    ``kind`` is the trial type k (Boolean tasks) or the 3-bit code of the turn channels (Flip-Flop,
    bit m = channel of turn m); ``jitter`` is d (0 for the Flip-Flop)."""

    x: np.ndarray
    y: np.ndarray
    kind: np.ndarray
    jitter: np.ndarray


def trial_length(task: str) -> int:
    _check(task)
    return FF_T if task == "ff" else BOOL_T


def _check(task: str) -> None:
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r} (allowed: {', '.join(TASKS)})")


def response_start(task: str, jitter) -> np.ndarray:
    """First step of the Boolean response (100 + d); for the Flip-Flop the first window (90)."""
    _check(task)
    if task == "ff":
        return np.full(np.shape(jitter), FF_WAIT + FF_DELAY)
    return ONSET + DURATION + MEM_GAP + np.asarray(jitter)


def boolean_trials(task: str, kind: np.ndarray, jitter: np.ndarray, dtype=np.float32) -> Trials:
    """AND/OR/XOR trials for given trial types k and jitters d."""
    if task not in BOOLEAN:
        raise ValueError(f"{task!r} is not a Boolean task")
    kind = np.asarray(kind, dtype=np.int64)
    jitter = np.asarray(jitter, dtype=np.int64)
    if np.any((kind < 0) | (kind > 3)) or np.any((jitter < 1) | (jitter > MAX_JITTER)):
        raise ValueError("trial types must lie in 0..3 and jitters in 1..50")
    t = np.arange(BOOL_T)[None, :]
    on = (t >= ONSET + jitter[:, None]) & (t < ONSET + DURATION + jitter[:, None])
    bits = np.asarray(BITS)[kind]  # (n, 2)
    x = (on[:, :, None] * bits[:, None, :]).astype(dtype)
    result = np.asarray(BOOLEAN[task])[kind].astype(float)
    respond = t >= response_start(task, jitter)[:, None]
    y = np.where(respond, result[:, None], BASELINE[task])[:, :, None].astype(dtype)
    return Trials(x, y, kind, jitter)


def flipflop_trials(channels: np.ndarray, dtype=np.float32) -> Trials:
    """Flip-Flop trials for given channels (trial, turn) in {0 = reset, 1 = set}."""
    channels = np.asarray(channels, dtype=np.int64)
    if channels.ndim != 2 or channels.shape[1] != FF_TURNS or np.any((channels < 0) | (channels > 1)):
        raise ValueError(f"channels must be an (n, {FF_TURNS}) array of 0/1")
    n = channels.shape[0]
    x = np.zeros((n, FF_T, 2), dtype=dtype)
    y = np.full((n, FF_T, 1), BASELINE["ff"], dtype=dtype)
    for m in range(FF_TURNS):
        onset = FF_WAIT + m * FF_PERIOD
        for i in range(n):
            x[i, onset : onset + FF_PULSE, channels[i, m]] = 1.0
        start = onset + FF_DELAY
        stop = start + FF_PERIOD if m < FF_TURNS - 1 else FF_T
        y[:, start:stop, 0] = channels[:, m][:, None]
    kind = (channels * (2 ** np.arange(FF_TURNS))).sum(axis=1)
    return Trials(x, y, kind, np.zeros(n, dtype=np.int64))


def flipflop_windows() -> list[tuple[int, int]]:
    """Response windows [start, stop) of the Flip-Flop turns."""
    out = []
    for m in range(FF_TURNS):
        start = FF_WAIT + m * FF_PERIOD + FF_DELAY
        out.append((start, start + FF_PERIOD if m < FF_TURNS - 1 else FF_T))
    return out


def sample(task: str, n: int, rng: np.random.Generator, balanced: bool = False) -> Trials:
    """``n`` random trials of ``task`` from ``rng``.  ``balanced``: trial types cycle 0, 1, 2, 3, ...
    (Boolean tasks; used for the held-out test set so that every type is tested)."""
    _check(task)
    if task == "ff":
        return flipflop_trials(rng.integers(0, 2, size=(n, FF_TURNS)))
    kind = np.arange(n) % 4 if balanced else rng.integers(0, 4, size=n)
    jitter = rng.integers(1, MAX_JITTER + 1, size=n)
    return boolean_trials(task, kind, jitter)
