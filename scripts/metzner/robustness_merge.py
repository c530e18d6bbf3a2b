"""Adapter: robustness run files -> rnnstruct.metzner.stages.robustness.merge -> results/metzner/robustness.nc."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.metzner.stages import robustness as rb  # noqa: E402

sm = snakemake  # noqa: F821
io.run_stage(
    lambda p: rb.merge(p, [io.read_dataset(f) for f in sm.input]), sm.params.p, sm.output[0], rb.META["merge"]
)
