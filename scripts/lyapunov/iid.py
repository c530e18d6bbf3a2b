"""Adapter: params + system kind -> rnnstruct.lyapunov.stages.iid_system -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.lyapunov import stages as lyapunov  # noqa: E402

sm = snakemake  # noqa: F821
kind = sm.wildcards.kind
io.run_stage(lambda p: lyapunov.iid_system(p, kind), {**sm.params.p, "system": kind}, sm.output[0], lyapunov.META["iid"])
