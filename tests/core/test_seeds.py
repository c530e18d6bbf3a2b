"""Seeds are pure functions of (root seed, key), independent of grids, chunks and order."""

import numpy as np
import pytest

from rnnstruct.core import seeds


def test_same_key_same_numbers():
    a = seeds.rng(5, ("metzner", "wbd", 2.0, 0.1, 3, "matrix")).standard_normal(10)
    b = seeds.rng(5, ("metzner", "wbd", 2.0, 0.1, 3, "matrix")).standard_normal(10)
    assert np.array_equal(a, b)


def test_grid_values_key_like_literals():
    # 0.30000000000000004 from linspace keys the same object as the literal 0.3
    w = np.linspace(0.0, 4.0, 41)[3]
    assert w != 0.3
    assert seeds.encode_key(("x", w)) == seeds.encode_key(("x", 0.3))
    assert seeds.encode_key(("x", np.float64(0.3))) == seeds.encode_key(("x", 0.3))


@pytest.mark.parametrize(
    "k1, k2",
    [
        (("a", 1), (1, "a")),  # order matters
        (("a", 1), ("a", 1.0)),  # int and float are different types
        (("a", 0.1), ("a", -0.1)),  # sign
        (("a", 2**40), ("a", 2**40 + 1)),  # large ints
        (("metzner", "wbd", 2.0, 0.0, 0), ("metzner", "wbd", 2.0, 0.0, 1)),
        (("x", "matrix"), ("x", "init")),
        (("ab",), ("a", "b")),
    ],
)
def test_distinct_keys_distinct_streams(k1, k2):
    assert seeds.encode_key(k1) != seeds.encode_key(k2)
    assert not np.array_equal(seeds.rng(1, k1).random(4), seeds.rng(1, k2).random(4))


def test_root_seed_changes_everything():
    assert not np.array_equal(seeds.rng(1, ("k",)).random(4), seeds.rng(2, ("k",)).random(4))


@pytest.mark.parametrize("bad", [-1, 1.5, "7", True])
def test_bad_root_seed(bad):
    with pytest.raises(ValueError, match="root seed"):
        seeds.seed_sequence(bad, ("k",))


@pytest.mark.parametrize("bad", [(True,), (float("nan"),), (None,), ([1],)])
def test_bad_key_parts(bad):
    with pytest.raises((TypeError, ValueError)):
        seeds.encode_key(bad)


def test_words_are_32_bit():
    words = seeds.encode_key(("s", -(2**70), 1e12, 0))
    assert all(0 <= x < 2**32 for x in words)
