"""Adapter: params + a chunk of (point, realisation) tasks -> rnnstruct.clark.stages.gains -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.clark.stages import gains as clark_gains  # noqa: E402

sm = snakemake  # noqa: F821
tasks = list(sm.params.tasks)
build = clark_gains.simulate_gain_tasks if sm.wildcards.kind == "gains" else clark_gains.simulate_step_tasks
meta = clark_gains.META["gain_tasks" if sm.wildcards.kind == "gains" else "step_tasks"]
io.run_stage(lambda p: build(p, tasks), {**sm.params.p, "tasks": tasks}, sm.output[0], meta)
