"""Adapter: spectra file + template + schema -> rnnstruct.jarne.notes.render -> results/reproduction/jarne2024.md."""

import json
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core.config import load_schema  # noqa: E402

from rnnstruct.core import io  # noqa: E402
from rnnstruct.jarne import notes  # noqa: E402

sm = snakemake  # noqa: F821
spectra = io.read_dataset(sm.input.spectra)
# rendering-only config keys (jarne.pca_mode) are not in the spectra file's parameters (they never
# retrain); add them so that the [RECON] table lists the values used for the figures
params = json.loads(spectra.attrs["parameters"])
params.update(sm.params.rendering)
spectra.attrs["parameters"] = json.dumps(params, sort_keys=True)
text = notes.render(
    Path(sm.input.template).read_text(),
    load_schema(sm.input.schema[0]),
    spectra,
    profile=sm.params.profile,
)
io.log(f"wrote {io.write_text_atomic(sm.output[0], text)}")
