"""Adapter: params -> rnnstruct.clark.stages.dimension.theory_dimension -> results/clark/theory/dimension_rmm.nc."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.clark.stages import dimension as clark  # noqa: E402

sm = snakemake  # noqa: F821
io.run_stage(clark.theory_dimension, sm.params.p, sm.output[0], clark.META["theory"])
