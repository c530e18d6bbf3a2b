"""Adapter: task chunks + theory -> rnnstruct.clark.stages.gains.merge -> results/clark/simulations/gains.nc."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.clark.stages import gains as clark_gains  # noqa: E402

sm = snakemake  # noqa: F821
gains = [io.read_dataset(f) for f in sm.input.gains]
step = [io.read_dataset(f) for f in sm.input.step]
theory = io.read_dataset(sm.input.theory)
io.run_stage(lambda p: clark_gains.merge(p, gains, step, theory), sm.params.p, sm.output[0], clark_gains.META["merged"])
