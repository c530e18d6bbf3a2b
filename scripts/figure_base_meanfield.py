"""Adapter: NetCDF -> rnnstruct.figures.validation.base_meanfield -> PDF + PNG."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct import io, plotting  # noqa: E402
from rnnstruct.figures import validation  # noqa: E402

sm = snakemake  # noqa: F821
fig = validation.base_meanfield(io.read_dataset(sm.input.validation))
plotting.save_figure(fig, sm.output.pdf, sm.output.png)
