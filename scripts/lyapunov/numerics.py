"""Adapter: params -> rnnstruct.lyapunov.stages.numerics -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.lyapunov import stages as lyapunov  # noqa: E402

io.run_stage(lyapunov.numerics, snakemake.params.p, snakemake.output[0], lyapunov.META["numerics"])  # noqa: F821
