"""Adapter: claims (and robustness) NetCDF -> rnnstruct.metzner.tables.claims_table -> CSV and HTML for the report."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io, tables as report_tables  # noqa: E402
from rnnstruct.metzner import tables  # noqa: E402

sm = snakemake  # noqa: F821
robustness = io.read_dataset(sm.input.robustness) if "robustness" in sm.input.keys() else None
table = tables.claims_table(io.read_dataset(sm.input.claims), robustness)
io.write_text_atomic(sm.output.csv, table.to_csv(index=False))
io.write_text_atomic(sm.output.html, report_tables.to_html(table, "Metzner et al. 2025: the claims tested on this run"))
io.log(f"wrote {sm.output.csv} and {sm.output.html} ({len(table)} claims)")
