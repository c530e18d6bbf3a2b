"""Adapter: Clark simulation NetCDF files -> rnnstruct.clark.tables.claims_table -> CSV and HTML for the report."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.clark import tables  # noqa: E402
from rnnstruct.core import io, tables as report_tables  # noqa: E402

sm = snakemake  # noqa: F821
files = {name: io.read_dataset(path) for name, path in sm.input.items()}
table = tables.claims_table(**files)
io.write_text_atomic(sm.output.csv, table.to_csv(index=False))
io.write_text_atomic(sm.output.html, report_tables.to_html(table, "Clark et al. 2025/2023: theory versus simulation"))
io.log(f"wrote {sm.output.csv} and {sm.output.html} ({len(table)} rows)")
