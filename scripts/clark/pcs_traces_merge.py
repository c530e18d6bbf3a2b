"""Adapter: PRX Fig. 3 and Fig. 9 trace files -> rnnstruct.clark.stages.pcs.merge_traces -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.clark.stages import pcs as clark_pcs  # noqa: E402

sm = snakemake  # noqa: F821
parts = [io.read_dataset(path) for path in sm.input.parts]
io.run_stage(lambda p: clark_pcs.merge_traces(p, parts), sm.params.p, sm.output[0], clark_pcs.META["traces_merged"])
