"""Adapter: params + panel (fig3 | fig9) -> rnnstruct.clark.stages.pcs.traces -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.clark.stages import pcs as clark_pcs  # noqa: E402

sm = snakemake  # noqa: F821
panel = sm.wildcards.panel
io.run_stage(lambda p: clark_pcs.traces(p, panel), {**sm.params.p, "panel": panel}, sm.output[0], clark_pcs.META["traces"])
