"""Adapter: every condition's network file -> rnnstruct.jarne.stages.spectra -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.jarne import stages as stage  # noqa: E402

sm = snakemake  # noqa: F821
nets = {name.partition("__")[2]: io.read_dataset(path) for name, path in sm.input.items()}
io.run_stage(lambda q: stage.spectra(q, nets), sm.params.p, sm.output[0], stage.META["spectra"])
