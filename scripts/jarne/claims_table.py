"""Adapter: spectra NetCDF -> rnnstruct.jarne.tables.claims_table -> CSV for the report."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.jarne import tables  # noqa: E402

sm = snakemake  # noqa: F821
table = tables.claims_table(io.read_dataset(sm.input.spectra))
io.write_text_atomic(sm.output[0], table.to_csv(index=False))
io.log(f"wrote {sm.output[0]} ({len(table)} claims)")
