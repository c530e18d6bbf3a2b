"""Adapter: numerics.nc + iid_map.nc + template -> rnnstruct.lyapunov.notes.render -> results/reproduction/lyapunov_numerics.md."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io  # noqa: E402
from rnnstruct.lyapunov import notes  # noqa: E402

sm = snakemake  # noqa: F821
text = notes.render(
    Path(sm.input.template).read_text(),
    io.read_dataset(sm.input.num),
    io.read_dataset(sm.input.iid_map),
    profile=sm.params.profile,
)
io.log(f"wrote {io.write_text_atomic(sm.output[0], text)}")
