"""Stable seeds: every random object is a pure function of (parameters, seed).

A *key* is a tuple of strings, integers and floats naming one random object, e.g.
``("metzner", "wbd", w, b, rep)``.  It is encoded into a list of non-negative
32-bit words and used as the ``spawn_key`` of a :class:`numpy.random.SeedSequence`
whose entropy is the project's root seed.  The encoding depends only on the key,
never on job layout, chunking or process, so the same configuration yields the
same numbers however a sweep is split.

Encoding rules
--------------
* ``str``   -> first 8 bytes of SHA-256 of the UTF-8 text, as two 32-bit words
  (Python's ``hash()`` is salted per process and must never be used);
* ``int``   -> a type tag and the zig-zag encoded value split into 32-bit words;
* ``float`` -> rounded to ``FLOAT_QUANTUM`` (1e-9) and then treated as an int, so a
  parameter value keys the same object whatever grid produced it
  (``np.linspace(0, 4, 41)[3]`` and ``0.3`` give the same key).

Each component is preceded by a type tag so that ``("a", 1)`` and ``(1, "a")``
cannot collide.
"""

from __future__ import annotations

import hashlib
import math
from typing import Iterable, Union

import numpy as np

KeyPart = Union[str, int, float, np.integer, np.floating]

FLOAT_QUANTUM = 1e-9
_TAG_STR, _TAG_INT, _TAG_FLOAT = 1, 2, 3
_MASK32 = 0xFFFFFFFF

SCHEME = (
    "numpy.random.SeedSequence(entropy=root_seed, spawn_key=encode(key)); key = "
    "(paper, ensemble, parameter values..., realization index, stream); floats quantised "
    f"to {FLOAT_QUANTUM:g}; strings via SHA-256; generator PCG64"
)


def _int_words(value: int) -> list[int]:
    zz = 2 * value if value >= 0 else -2 * value - 1  # zig-zag: signed -> non-negative
    words = []
    while True:
        words.append(zz & _MASK32)
        zz >>= 32
        if zz == 0:
            break
    return [len(words)] + words


def encode_key(key: Iterable[KeyPart]) -> list[int]:
    """Encode a key tuple into a list of 32-bit words (see module docstring)."""
    words: list[int] = []
    for part in key:
        if isinstance(part, (bool, np.bool_)):
            raise TypeError(f"seed key parts must be str, int or float, got bool {part!r}")
        if isinstance(part, str):
            digest = hashlib.sha256(part.encode("utf-8")).digest()
            words += [_TAG_STR, int.from_bytes(digest[:4], "little"), int.from_bytes(digest[4:8], "little")]
        elif isinstance(part, (int, np.integer)):
            words += [_TAG_INT] + _int_words(int(part))
        elif isinstance(part, (float, np.floating)):
            value = float(part)
            if not math.isfinite(value):
                raise ValueError(f"seed key parts must be finite, got {value!r}")
            words += [_TAG_FLOAT] + _int_words(int(round(value / FLOAT_QUANTUM)))
        else:
            raise TypeError(f"seed key parts must be str, int or float, got {type(part).__name__}")
    return words


def seed_sequence(root_seed: int, key: Iterable[KeyPart]) -> np.random.SeedSequence:
    """The :class:`~numpy.random.SeedSequence` for ``key`` under ``root_seed``."""
    if isinstance(root_seed, bool) or not isinstance(root_seed, (int, np.integer)) or root_seed < 0:
        raise ValueError(f"root seed must be a non-negative integer, got {root_seed!r}")
    return np.random.SeedSequence(entropy=int(root_seed), spawn_key=tuple(encode_key(key)))


def rng(root_seed: int, key: Iterable[KeyPart]) -> np.random.Generator:
    """A PCG64 generator that is a pure function of ``(root_seed, key)``."""
    return np.random.Generator(np.random.PCG64(seed_sequence(root_seed, key)))
