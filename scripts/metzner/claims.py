"""Adapter: merged reservoir and dynamics files -> rnnstruct.metzner.claims.evaluate_claims -> NetCDF."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.metzner import claims  # noqa: E402
from rnnstruct.core import io  # noqa: E402
from rnnstruct.metzner.stages.base import PAPER_REFERENCE  # noqa: E402

sm = snakemake  # noqa: F821
groups = {"reservoirs": {}, "dynamics": {}}
for name, path in sm.input.items():
    group, _, reg = name.partition("__")
    groups[group][reg] = io.read_dataset(path)
io.run_stage(
    lambda p: claims.evaluate_claims(groups["reservoirs"], groups["dynamics"]),
    sm.params.p,
    sm.output[0],
    dict(
        stage="metzner.claims",
        title="Metzner et al. 2025: the paper's claims tested on this run",
        summary="Grid-mean accuracy per control value, paired differences and verdicts (rules in rnnstruct.metzner.claims).",
        references=PAPER_REFERENCE,
    ),
)
