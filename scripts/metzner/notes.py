"""Adapter: claims (+ robustness) file + template + schema -> rnnstruct.metzner.notes.render -> results/reproduction/metzner2025.md."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core.config import load_schema  # noqa: E402

from rnnstruct.core import io  # noqa: E402
from rnnstruct.metzner import notes  # noqa: E402

sm = snakemake  # noqa: F821
text = notes.render(
    Path(sm.input.template).read_text(),
    load_schema(sm.input.schema[0]),
    io.read_dataset(sm.input.claims),
    sm.params.figures,
    profile=sm.params.profile,
    robustness=io.read_dataset(sm.input.robustness) if "robustness" in sm.input.keys() else None,
)
io.log(f"wrote {io.write_text_atomic(sm.output[0], text)}")
