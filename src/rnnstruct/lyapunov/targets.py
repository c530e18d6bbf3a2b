"""Output files of the spectral and Lyapunov analysis stage (pure functions of the configuration)."""

from __future__ import annotations

from typing import Mapping

from rnnstruct.metzner.targets import regularities

KINDS = ("iid_map", "iid_flow")
IID_FIGURES = ("lambda_max_vs_g", "full_spectra")
NOTES = "results/reproduction/lyapunov_numerics.md"

#: the config keys each rule's stage reads (rnnstruct.core.reads); the regularity spectra draw their
#: matrices from the Metzner ensemble (its keys lifted to the top level next to ``seed`` and ``lyapunov``)
READS = {
    "lyapunov_iid": ("seed", "lyapunov.{kind}", "lyapunov.flow_phi", "lyapunov.dt"),
    "lyapunov_regularity": (
        "seed",
        "lyapunov.regularities",
        "metzner.N",
        "metzner.density",
        "metzner.balance_mode",
        "metzner.self_connections",
        "metzner.regularities.{reg}",
    ),
    "lyapunov_numerics": ("seed", "lyapunov.numerics", "lyapunov.iid_map"),
}
LIFT = "metzner"


def figures(config: Mapping) -> list[str]:
    out = [f"results/figures/lyapunov/{n}" for n in IID_FIGURES]
    if regularities(config):
        out.append("results/figures/lyapunov/regularity_spectra")
    return out + ["results/figures/validation/lyapunov_numerics"]


def data(config: Mapping) -> list[str]:
    out = [f"results/lyapunov/{kind}.nc" for kind in KINDS] + ["results/lyapunov/numerics.nc"]
    return out + [f"results/lyapunov/metzner_{reg}.nc" for reg in regularities(config)]


def notes(config: Mapping) -> list[str]:
    return [NOTES]


def tables(config: Mapping) -> list[str]:
    """Report tables (CSV): none (the numerical checks are tables of the notes)."""
    return []


def benchmarks(config: Mapping) -> dict[str, list[str]]:
    return {
        "lyapunov_iid": [f"results/benchmarks/lyapunov_{kind}.tsv" for kind in KINDS],
        "lyapunov_regularity": [f"results/benchmarks/lyapunov_metzner_{r}.tsv" for r in regularities(config)],
        "lyapunov_numerics": ["results/benchmarks/lyapunov_numerics.tsv"],
    }
