"""Adapter: DMFT and simulation chunk files -> rnnstruct.clark.stages.overlaps.merge -> one NetCDF file."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.clark.stages import overlaps as co  # noqa: E402

sm = snakemake  # noqa: F821
groups: dict = {"dmft": {}, "sim": {}}
for name, paths in sm.input.items():
    kind, _, fam = name.partition("__")
    groups[kind][fam] = [io.read_dataset(f) for f in paths]
io.run_stage(lambda p: co.merge(p, groups["dmft"], groups["sim"]), sm.params.p, sm.output[0], co.META["merged"])
