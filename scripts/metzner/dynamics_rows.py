"""Adapter: params + w-row chunk -> rnnstruct.metzner.stages.base.dynamics_rows -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.metzner.stages import base as metzner  # noqa: E402

sm = snakemake  # noqa: F821
rows = list(sm.params.rows)
io.run_stage(
    lambda p: metzner.dynamics_rows(p, rows, batch_size=sm.config["execution"]["batch_size"]),
    {**sm.params.p, "w_rows": rows},
    sm.output[0],
    metzner.META["dynamics_rows"],
)
