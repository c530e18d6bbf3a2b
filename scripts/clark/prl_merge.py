"""Adapter: PRL simulation chunks + eigenmodes + theory -> rnnstruct.clark.stages.prl.merge -> prl_iid.nc."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.clark.stages import prl as clark_prl  # noqa: E402

sm = snakemake  # noqa: F821
parts = [io.read_dataset(p) for p in sm.input.parts]
eigen = io.read_dataset(sm.input.eigen)
theory = io.read_dataset(sm.input.theory)
fs_parts = [io.read_dataset(p) for p in sm.input.fs_parts]
io.run_stage(lambda p: clark_prl.merge(p, parts, eigen, theory, fs_parts), sm.params.p, sm.output[0], clark_prl.META["merged"])
