"""Adapter: params + regularity -> rnnstruct.metzner.stages.regularities.regularity_examples -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.metzner.stages import regularities as mr  # noqa: E402

sm = snakemake  # noqa: F821
reg = sm.wildcards.reg
io.run_stage(
    lambda p: mr.regularity_examples(p, reg),
    {**sm.params.p, "regularity": reg},
    sm.output[0],
    mr.META["ensemble"],
)
