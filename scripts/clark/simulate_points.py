"""Adapter: params + (g_eff, eff_rank, realisations) -> rnnstruct.clark.stages.dimension.simulate_points -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.clark.stages import dimension as clark  # noqa: E402

sm = snakemake  # noqa: F821
pt = sm.params.point
io.run_stage(
    lambda p: clark.simulate_points(p, pt["g_eff"], pt["eff_rank"], pt["reps"]),
    {**sm.params.p, "point": pt},
    sm.output[0],
    clark.META["points"],
)
