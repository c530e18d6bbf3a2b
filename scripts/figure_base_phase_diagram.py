"""Adapter: NetCDF -> rnnstruct.figures.metzner.base_phase_diagram -> PDF + PNG."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct import io, plotting  # noqa: E402
from rnnstruct.figures import metzner  # noqa: E402

sm = snakemake  # noqa: F821
fig = metzner.base_phase_diagram(io.read_dataset(sm.input.dynamics))
plotting.save_figure(fig, sm.output.pdf, sm.output.png)
