"""Adapter: spectra NetCDF -> rnnstruct.jarne.tables.claims_table -> CSV and HTML for the report."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io, tables as report_tables  # noqa: E402
from rnnstruct.jarne import tables  # noqa: E402

sm = snakemake  # noqa: F821
table = tables.claims_table(io.read_dataset(sm.input.spectra))
io.write_text_atomic(sm.output.csv, table.to_csv(index=False))
io.write_text_atomic(sm.output.html, report_tables.to_html(table, "Jarne & Caruso 2024: the claims tested on this run"))
io.log(f"wrote {sm.output.csv} and {sm.output.html} ({len(table)} claims)")
