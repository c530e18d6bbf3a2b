"""Adapter: params (+ hemibrain CSVs at clark.connectome.path) -> rnnstruct.clark.stages.connectome.run ->
results/clark/connectome/connectome.nc (nothing is written when the data are missing or malformed)."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.clark.stages import connectome as clark_connectome  # noqa: E402

sm = snakemake  # noqa: F821
clark_connectome.run(sm.params.p, sm.output[0])
