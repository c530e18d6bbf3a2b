"""Adapter: chunk files -> rnnstruct.metzner.stages.regularities.merge -> dynamics/<reg>.nc, reservoir/<reg>.nc."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.metzner.stages import regularities as mr  # noqa: E402

sm = snakemake  # noqa: F821
params = {**sm.params.p, "regularity": sm.wildcards.reg}
for kind in ("dynamics", "reservoir"):
    files = sm.input[kind]
    io.run_stage(
        lambda p: mr.merge(p, sm.wildcards.reg, [io.read_dataset(f) for f in files]), params, sm.output[kind], mr.META[kind]
    )
