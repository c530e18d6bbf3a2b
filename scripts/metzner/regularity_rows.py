"""Adapter: params + (regularity, control, rows) -> regularity_rows -> dynamics and reservoir NetCDF chunks."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.metzner.stages import regularities as mr  # noqa: E402

sm = snakemake  # noqa: F821
reg, sel = sm.wildcards.reg, sm.params.rows
io.run_stage(
    lambda p: mr.regularity_rows(p, reg, sel["ctrl_index"], sel["rows"], batch_size=sm.config["execution"]["batch_size"]),
    {**sm.params.p, "regularity": reg, "ctrl_index": sel["ctrl_index"], "w_rows": sel["rows"]},
    [sm.output.dynamics, sm.output.reservoir],
    mr.META["rows"],
)
