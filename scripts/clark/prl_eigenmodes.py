"""Adapter: params -> rnnstruct.clark.stages.prl.eigenmodes -> results/clark/simulations/prl_eigenmodes.nc."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.clark.stages import prl as clark_prl  # noqa: E402

sm = snakemake  # noqa: F821
io.run_stage(clark_prl.eigenmodes, sm.params.p, sm.output[0], clark_prl.META["eigen"])
