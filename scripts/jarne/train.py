"""Adapter: params + condition + network chunk -> rnnstruct.jarne.stages.train_networks -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.jarne import stages as stage  # noqa: E402

sm = snakemake  # noqa: F821
p = {**sm.params.p, "condition": sm.wildcards.cond}
io.run_stage(
    lambda q: stage.train_networks(q, q["seed"], q["condition"], sm.params.nets), p, sm.output[0], stage.META["networks"]
)
