"""Parameter grids and job chunks (numpy only: cheap to import when the workflow is parsed)."""

from __future__ import annotations

from typing import Mapping

import numpy as np


def grid_values(spec: Mapping) -> np.ndarray:
    """Values of a {start, stop, num} grid, rounded to 12 decimals so that they print cleanly."""
    return np.round(np.linspace(float(spec["start"]), float(spec["stop"]), int(spec["num"])), 12)


def row_chunks(n_rows: int, rows_per_job: int) -> list[tuple[int, int]]:
    """Split row indices 0..n_rows-1 into [start, stop) chunks of at most rows_per_job rows."""
    if rows_per_job < 1:
        raise ValueError(f"rows_per_job must be >= 1, got {rows_per_job}")
    return [(s, min(s + rows_per_job, n_rows)) for s in range(0, n_rows, rows_per_job)]
