"""Adapter: benchmark TSVs -> rnnstruct.core.cost.summarize -> CSV table for the report."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import cost  # noqa: E402

sm = snakemake  # noqa: F821
cost.write_csv(cost.summarize(sm.params.files_by_rule), sm.output[0])
