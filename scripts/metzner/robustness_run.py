"""Adapter: params + run id -> rnnstruct.metzner.stages.robustness.robustness_run -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.metzner.stages import robustness as rb  # noqa: E402

sm = snakemake  # noqa: F821
rid = sm.params.rid
io.run_stage(
    lambda p: rb.robustness_run(p, rid, batch_size=sm.config["execution"]["batch_size"]),
    {**sm.params.p, "robustness_run": rid},
    sm.output[0],
    rb.META["run"],
)
