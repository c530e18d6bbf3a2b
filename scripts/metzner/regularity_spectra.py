"""Adapter: params -> rnnstruct.metzner.stages.regularities.regularity_spectra -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.metzner.stages import regularities as mr  # noqa: E402

io.run_stage(mr.regularity_spectra, snakemake.params.p, snakemake.output[0], mr.META["spectra"])  # noqa: F821
