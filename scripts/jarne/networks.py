"""Adapter: network chunks of one condition -> rnnstruct.jarne.stages.merge_networks -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.jarne import stages as stage  # noqa: E402

sm = snakemake  # noqa: F821
parts = [io.read_dataset(path) for path in sm.input]
p = {**sm.params.p, "condition": sm.wildcards.cond}
io.run_stage(lambda q: stage.merge_networks(q, parts), p, sm.output[0], stage.META["networks"])
