"""Adapter: params + the conditions of one job -> rnnstruct.jarne.stages.train_job -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.jarne import stages as stage  # noqa: E402

sm = snakemake  # noqa: F821
p = {**sm.params.p, "conditions": list(sm.params.conditions)}
io.run_stage(
    lambda q: stage.train_job(q, q["seed"], q["conditions"], log=io.log), p, sm.output[0], stage.META["training"]
)
