"""Progress of long loops: a tqdm bar on a terminal, plain lines in a log file.

tqdm redraws its bar with carriage returns, which a log file keeps as one unreadable line. Where stderr
is not a terminal (every workflow job: the scripts send stderr to the rule's log), :func:`progress` writes
one line per step of 10 % instead (and at most one every ``min_seconds``), e.g.
``mean-field validation: 12/40 (30 %), 41 s``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable


class LineProgress:
    """The part of tqdm's interface the stages use (iteration, ``update``, ``close``), as plain lines."""

    def __init__(self, iterable=None, total=None, desc="", unit="it", min_seconds=2.0, stream=None):
        self.iterable = iterable
        if total is None and iterable is not None and hasattr(iterable, "__len__"):
            total = len(iterable)
        self.total, self.desc, self.unit, self.min_seconds = total, desc, unit, min_seconds
        self.stream = stream if stream is not None else sys.stderr
        self.n, self._t0, self._last_step, self._last_t = 0, time.monotonic(), 0, 0.0
        self._closed = False

    def __iter__(self):
        for item in self.iterable:
            yield item
            self.update()
        self.close()

    def __len__(self):
        return self.total or 0

    def _write(self, final: bool = False) -> None:
        elapsed = time.monotonic() - self._t0
        if self.total:
            pct = 100.0 * self.n / self.total
            line = f"{self.desc}: {self.n}/{self.total} {self.unit} ({pct:.0f} %), {elapsed:.0f} s"
        else:
            line = f"{self.desc}: {self.n} {self.unit}, {elapsed:.0f} s"
        print(line + (" (done)" if final else ""), file=self.stream, flush=True)
        self._last_t = elapsed

    def update(self, n: int = 1) -> None:
        self.n += n
        step = int(10 * self.n / self.total) if self.total else self.n
        elapsed = time.monotonic() - self._t0
        if step > self._last_step and elapsed - self._last_t >= self.min_seconds:
            self._last_step = step
            self._write()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._write(final=True)


def progress(iterable: Iterable | None = None, *, total=None, desc: str = "", unit: str = "it", disable=False):
    """A tqdm bar where stderr is a terminal, :class:`LineProgress` elsewhere; ``iterable`` unchanged
    when ``disable``."""
    if disable:
        return iterable if iterable is not None else LineProgress(total=total, desc=desc, stream=_Null())
    if sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(iterable, total=total, desc=desc, unit=unit, mininterval=2.0, ascii=True)
    return LineProgress(iterable, total=total, desc=desc, unit=unit)


class _Null:
    def write(self, _text):
        pass

    def flush(self):
        pass
