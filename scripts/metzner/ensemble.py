"""Adapter: params -> rnnstruct.metzner.stages.base.ensemble_examples -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.metzner.stages import base as metzner  # noqa: E402

io.run_stage(
    metzner.ensemble_examples, snakemake.params.p, snakemake.output[0], metzner.META["ensemble"]
)  # noqa: F821
