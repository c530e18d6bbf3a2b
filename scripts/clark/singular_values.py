"""Adapter: params -> rnnstruct.clark.stages.svd.singular_values -> results/clark/simulations/singular_values.nc."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.clark.stages import svd as clark_svd  # noqa: E402

sm = snakemake  # noqa: F821
io.run_stage(clark_svd.singular_values, sm.params.p, sm.output[0], clark_svd.META)
