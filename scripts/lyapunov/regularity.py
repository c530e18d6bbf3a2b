"""Adapter: params + regularity -> rnnstruct.lyapunov.stages.regularity_spectra -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.lyapunov import stages as lyapunov  # noqa: E402

sm = snakemake  # noqa: F821
reg = sm.wildcards.reg
io.run_stage(
    lambda p: lyapunov.regularity_spectra(p, reg), {**sm.params.p, "regularity": reg}, sm.output[0],
    lyapunov.META["regularity"],
)
