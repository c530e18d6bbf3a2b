"""Adapter: Clark outputs + template + schema -> rnnstruct.clark.notes.render -> results/reproduction/clark2025.md."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core.config import load_schema  # noqa: E402

from rnnstruct.core import io  # noqa: E402
from rnnstruct.clark import notes  # noqa: E402

sm = snakemake  # noqa: F821
sections = {
    name.split("__", 1)[1]: (Path(sm.input[f"partial__{name.split('__', 1)[1]}"]).read_text(), io.read_dataset(path))
    for name, path in sm.input.items()
    if name.startswith("section__")
}
text = notes.render(
    Path(sm.input.template).read_text(),
    load_schema(sm.input.schema[0]),
    io.read_dataset(sm.input.theory),
    io.read_dataset(sm.input.sims),
    io.read_dataset(sm.input.svd),
    sections,
    sm.params.clark,
    profile=sm.params.profile,
)
io.log(f"wrote {io.write_text_atomic(sm.output[0], text)}")
