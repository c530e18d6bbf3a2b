"""Adapter: params -> rnnstruct.metzner.stages.base.meanfield_validation -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.metzner.stages import base as metzner  # noqa: E402

io.run_stage(
    metzner.meanfield_validation, snakemake.params.p, snakemake.output[0], metzner.META["meanfield"]
)  # noqa: F821
