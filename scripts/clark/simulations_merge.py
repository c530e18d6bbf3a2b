"""Adapter: point files + theory -> rnnstruct.clark.stages.dimension.merge_simulations -> one simulations file."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.clark.stages import dimension as clark  # noqa: E402

sm = snakemake  # noqa: F821
parts = [io.read_dataset(f) for f in sm.input.parts]
theory = io.read_dataset(sm.input.theory)
io.run_stage(lambda p: clark.merge_simulations(p, parts, theory), sm.params.p, sm.output[0], clark.META["merged"])
