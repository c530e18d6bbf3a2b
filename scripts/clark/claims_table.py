"""Adapter: Clark simulation NetCDF files -> rnnstruct.clark.tables.claims_table -> CSV for the report."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.clark import tables  # noqa: E402
from rnnstruct.core import io  # noqa: E402

sm = snakemake  # noqa: F821
files = {name: io.read_dataset(path) for name, path in sm.input.items()}
table = tables.claims_table(**files)
io.write_text_atomic(sm.output[0], table.to_csv(index=False))
io.log(f"wrote {sm.output[0]} ({len(table)} rows)")
