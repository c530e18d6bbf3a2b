"""Adapter: benchmark TSVs -> rnnstruct.core.cost.summarize -> CSV table for the report."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import cost, io  # noqa: E402

sm = snakemake  # noqa: F821
rows = cost.summarize(sm.params.files_by_rule)
cost.write_csv(rows, sm.output[0])
total = rows[-1]
io.log(f"{total['jobs']} computing jobs: {total['wall_s']:.0f} s wall, {total['cpu_s']:.0f} s CPU -> {sm.output[0]}")
