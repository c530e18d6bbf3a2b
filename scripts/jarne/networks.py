"""Adapter: the training job file of one condition -> rnnstruct.jarne.stages.condition_networks -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.jarne import stages as stage  # noqa: E402

sm = snakemake  # noqa: F821
job = io.read_dataset(sm.input[0])
p = {**sm.params.p, "condition": sm.wildcards.cond}
io.run_stage(lambda q: stage.condition_networks(q, q["seed"], job, q["condition"]), p, sm.output[0], stage.META["networks"])
