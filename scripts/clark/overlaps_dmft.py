"""Adapter: params + (family, chunk) -> rnnstruct.clark.stages.overlaps.dmft_chunk -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.clark.stages import overlaps as co  # noqa: E402

sm = snakemake  # noqa: F821
fam, c, per_job = sm.wildcards.family, int(sm.wildcards.c), int(sm.params.per_job)
io.run_stage(lambda p: co.dmft_chunk(p, fam, c, per_job), sm.params.p, sm.output[0], co.META["dmft"])
