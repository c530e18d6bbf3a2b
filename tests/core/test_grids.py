"""Grids and job chunks."""

import numpy as np
import pytest

from rnnstruct.core.grids import grid_values, row_chunks


@pytest.mark.parametrize("n, k", [(41, 8), (41, 41), (41, 100), (5, 1), (1, 3)])
def test_chunks_cover_every_row_once(n, k):
    chunks = row_chunks(n, k)
    rows = [r for a, b in chunks for r in range(a, b)]
    assert rows == list(range(n))
    assert all(0 < b - a <= k for a, b in chunks)


def test_bad_chunk_size():
    with pytest.raises(ValueError, match="rows_per_job"):
        row_chunks(10, 0)


def test_grid_values_are_clean():
    v = grid_values({"start": 0.0, "stop": 4.0, "num": 41})
    assert v[3] == 0.3 and v[-1] == 4.0 and len(v) == 41
    assert np.array_equal(grid_values({"start": 2.0, "stop": 2.0, "num": 1}), [2.0])
