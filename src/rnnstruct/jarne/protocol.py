"""Train until success (docs/models/jarne2024.md#train-until-success): the protocol a lab would use.

Per condition, candidate networks with attempt index a = 0, 1, 2, ... (a seed key: candidate a of every
condition has its own initial weights and mini-batch order) are trained until ``nets`` of them passed the
success criterion or ``max_attempts`` were tried.  The candidates that count as *tried* are defined by
their outcomes alone, as if they had been trained one after the other:

    tried = attempts 0 .. K-1, K = 1 + (index of the nets-th successful attempt), or max_attempts.

A candidate's outcome depends on its own seed keys only (never on the other networks trained beside it),
so the tried set and every tried network are the same however conditions are grouped into jobs and
however many candidates run at once.  Candidates are trained in parallel (the slots of a
:class:`rnnstruct.jarne.train.SlotTrainer`); a candidate started speculatively whose attempt index turns
out to be >= K is cancelled and left out.

Each candidate is checked on the held-out trials every ``check_every`` optimizer steps; with
``early_stop`` it stops at the first check it passes (its weights at that step are kept), otherwise it
trains to the step cap and its final check decides.  :class:`Attempts` is the bookkeeping (pure),
:func:`train_until_success` the driver.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional, Sequence

import numpy as np


class Attempts:
    """Which attempts of each condition to train, from the outcomes seen so far (see module docstring)."""

    def __init__(self, names: Sequence[str], nets: int, max_attempts: int):
        if nets < 1 or max_attempts < nets:
            raise ValueError(f"need 1 <= nets <= max_attempts, got nets = {nets}, max_attempts = {max_attempts}")
        self.names = list(names)
        self.nets, self.max_attempts = int(nets), int(max_attempts)
        self.finished: dict[str, dict[int, bool]] = {n: {} for n in self.names}
        self.running: dict[str, set[int]] = {n: set() for n in self.names}
        self.next: dict[str, int] = {n: 0 for n in self.names}

    def bound(self, name: str) -> int:
        """K if every attempt below it has finished; an upper bound on K otherwise."""
        ok = sorted(a for a, s in self.finished[name].items() if s)
        return ok[self.nets - 1] + 1 if len(ok) >= self.nets else self.max_attempts

    def startable(self, name: str) -> bool:
        return self.next[name] < self.bound(name)

    def pick(self) -> Optional[str]:
        """The condition whose next attempt to start: among those that may start one, the one with the
        fewest successes plus running candidates (ties: configuration order); None if none may."""
        best, key = None, None
        for order, name in enumerate(self.names):
            if not self.startable(name):
                continue
            k = (sum(self.finished[name].values()) + len(self.running[name]), order)
            if key is None or k < key:
                best, key = name, k
        return best

    def start(self, name: str) -> int:
        a = self.next[name]
        if a >= self.bound(name):
            raise RuntimeError(f"{name}: attempt {a} is not needed (bound {self.bound(name)})")
        self.next[name] = a + 1
        self.running[name].add(a)
        return a

    def finish(self, name: str, attempt: int, success: bool) -> None:
        self.running[name].remove(attempt)
        self.finished[name][attempt] = bool(success)

    def obsolete(self, name: str, attempt: int) -> bool:
        """A running attempt that can no longer be among the tried ones."""
        return attempt >= self.bound(name)

    def cancel(self, name: str, attempt: int) -> None:
        self.running[name].remove(attempt)

    def done(self, name: str) -> bool:
        return all(a in self.finished[name] for a in range(self.bound(name)))

    def tried(self, name: str) -> list[int]:
        if not self.done(name):
            raise RuntimeError(f"{name} is not finished")
        return list(range(self.bound(name)))


@dataclass
class Candidate:
    """What a condition's attempt needs to start: weights, sign mask (0 = free), W_in constraint flag
    and mini-batch order (epochs, n_train)."""

    params: Mapping
    mask: np.ndarray
    constrained: bool
    order: np.ndarray


@dataclass
class Record:
    """One trained candidate: final weights, training loss per step (NaN after it stopped), the checks
    (step, test MSE, passed), optimizer steps trained, success, the first step at which it passed
    (-1: never) and its outputs (trial, time) on the held-out trials at the last check."""

    name: str
    attempt: int
    params: dict = field(default_factory=dict)
    loss: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    steps: int = 0
    success: bool = False
    first_pass: int = -1
    outputs: np.ndarray = None


def train_until_success(
    trainer,
    names: Sequence[str],
    make: Callable[[str, int], Candidate],
    judge: Callable[[str, np.ndarray], tuple[float, bool]],
    *,
    nets: int,
    max_attempts: int,
    cap: int,
    check_every: int,
    batch_size: int,
    early_stop: bool = True,
    log: Optional[Callable[[str], None]] = None,
) -> dict[str, list[Record]]:
    """Run the protocol on ``trainer`` (a :class:`rnnstruct.jarne.train.SlotTrainer` or any object with
    its ``slots``, ``load``, ``clear``, ``advance``, ``predict`` and ``weights``); ``make(name, attempt)``
    builds a candidate, ``judge(name, y_test)`` returns (test MSE, passed) for outputs (trial, time).
    Returns, per condition, the records of the tried attempts 0 .. K-1 in order."""
    from rnnstruct.jarne.train import batch_indices

    att = Attempts(names, nets, max_attempts)
    slots: list[Optional[tuple[Record, np.ndarray]]] = [None] * trainer.slots
    done: dict[tuple[str, int], Record] = {}
    calls = 0
    while True:
        for c, occ in enumerate(slots):
            if occ is not None and att.obsolete(occ[0].name, occ[0].attempt):
                att.cancel(occ[0].name, occ[0].attempt)
                trainer.clear(c)
                slots[c] = None
        for c in range(trainer.slots):
            if slots[c] is None and (name := att.pick()) is not None:
                a = att.start(name)
                cand = make(name, a)
                trainer.load(c, cand.params, cand.mask, cand.constrained, cap)
                slots[c] = (Record(name, a), cand.order)
        if all(occ is None for occ in slots):
            break
        idx = np.zeros((check_every, trainer.slots, batch_size), dtype=np.int32)
        wts = np.zeros((check_every, trainer.slots, batch_size), dtype=np.float32)
        for c, occ in enumerate(slots):
            if occ is not None:
                s0 = occ[0].steps
                idx[:, c], wts[:, c] = batch_indices(occ[1], batch_size, np.arange(s0, s0 + check_every))
        losses = trainer.advance(idx, wts)
        y = trainer.predict()
        calls += 1
        for c, occ in enumerate(slots):
            if occ is None:
                continue
            rec = occ[0]
            n = min(check_every, cap - rec.steps)
            rec.loss.extend(losses[:n, c].tolist())
            rec.steps += n
            mse, ok = judge(rec.name, y[c])
            rec.checks.append((rec.steps, float(mse), bool(ok)))
            if ok and rec.first_pass < 0:
                rec.first_pass = rec.steps
            if (ok and early_stop) or rec.steps >= cap:
                rec.params, rec.success, rec.outputs = trainer.weights(c), bool(ok), np.asarray(y[c])
                att.finish(rec.name, rec.attempt, rec.success)
                done[(rec.name, rec.attempt)] = rec
                trainer.clear(c)
                slots[c] = None
                if log is not None:
                    log(f"{rec.name} attempt {rec.attempt}: {'passed' if ok else 'failed'} at step {rec.steps} "
                        f"(test MSE {mse:.4f}; {calls} calls of {check_every} steps)")
    out = {}
    for name in names:
        if not att.done(name):
            raise RuntimeError(f"protocol ended with {name} unfinished")  # cannot happen: see Attempts
        out[name] = [done[(name, a)] for a in att.tried(name)]
    return out
