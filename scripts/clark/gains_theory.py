"""Adapter: params -> rnnstruct.clark.stages.gains.theory -> results/clark/theory/gains.nc."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.clark.stages import gains as clark_gains  # noqa: E402

sm = snakemake  # noqa: F821
io.run_stage(clark_gains.theory, sm.params.p, sm.output[0], clark_gains.META["theory"])
