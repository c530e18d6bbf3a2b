"""Adapter: params + (g, N, realisations) -> rnnstruct.clark.stages.pcs.timescales -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.clark.stages import pcs as clark_pcs  # noqa: E402

sm = snakemake  # noqa: F821
job = sm.params.job
io.run_stage(
    lambda p: clark_pcs.timescales(p, job["g"], job["N"], job["reps"]),
    {**sm.params.p, "job": job},
    sm.output[0],
    clark_pcs.META["timescales"],
)
