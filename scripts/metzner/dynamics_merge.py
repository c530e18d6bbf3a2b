"""Adapter: row chunks -> rnnstruct.metzner.stages.base.merge_rows -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.metzner.stages import base as metzner  # noqa: E402

sm = snakemake  # noqa: F821
io.run_stage(
    lambda p: metzner.merge_rows(p, [io.read_dataset(f) for f in sm.input]),
    sm.params.p,
    sm.output[0],
    metzner.META["dynamics"],
)
