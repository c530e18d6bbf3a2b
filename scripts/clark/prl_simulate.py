"""Adapter: params + (g, realisations[, N]) -> rnnstruct.clark.stages.prl.simulate_g -> NetCDF chunk."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.clark.stages import prl as clark_prl  # noqa: E402

sm = snakemake  # noqa: F821
pt = sm.params.point
io.run_stage(
    lambda p: clark_prl.simulate_g(p, pt["g"], pt["reps"], pt.get("N")),
    {**sm.params.p, "point": pt},
    sm.output[0],
    clark_prl.META["sim"],
)
