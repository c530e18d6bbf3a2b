"""Output files of the Jarne stage as pure functions of the configuration."""

from __future__ import annotations

from typing import Mapping

from rnnstruct.jarne.design import conditions

FIGURES = (
    "F1_tasks",
    "F2_outputs",
    "F3_spectra",
    "F4_connectivity",
    "F5_radius_vs_N",
    "F6_radius_vs_ei",
    "F7_constrained_vs_free",
    "F8_dynamics",
    "S_supplement",
)
#: figures drawn from the spectra file alone (the others also read the main-size network files)
SPECTRA_ONLY_FIGURES = ("F1_tasks", "F5_radius_vs_N", "F6_radius_vs_ei")
NOTES = "results/reproduction/jarne2024.md"


def condition_names(config: Mapping) -> list[str]:
    return list(conditions(config["jarne"]))


def chunks(config: Mapping) -> list[tuple[int, int]]:
    """[start, stop) network chunks per condition (one training job each)."""
    n, k = config["jarne"]["nets"], config["execution"]["jarne_nets_per_job"]
    return [(a, min(a + k, n)) for a in range(0, n, k)]


def chunk_files(config: Mapping, cond: str) -> list[str]:
    return [f"results/jarne/networks/{cond}/nets_{a}_{b}.nc" for a, b in chunks(config)]


def network_files(config: Mapping) -> dict[str, str]:
    return {cond: f"results/jarne/networks/{cond}.nc" for cond in condition_names(config)}


def main_network_files(config: Mapping) -> dict[str, str]:
    """Network files of the conditions at the main size N (the figures that show networks read these)."""
    suffix = f"_N{config['jarne']['N']}.nc"
    return {cond: path for cond, path in network_files(config).items() if path.endswith(suffix)}


def figures(config: Mapping) -> list[str]:
    return [f"results/figures/jarne/{name}" for name in FIGURES]


def data(config: Mapping) -> list[str]:
    return list(network_files(config).values()) + ["results/jarne/spectra.nc"]


def notes(config: Mapping) -> list[str]:
    return [NOTES]


def benchmarks(config: Mapping) -> dict[str, list[str]]:
    return {
        "jarne_train": [
            f"results/benchmarks/jarne_train_{cond}_nets_{a}_{b}.tsv"
            for cond in condition_names(config)
            for a, b in chunks(config)
        ],
        "jarne_spectra": ["results/benchmarks/jarne_spectra.tsv"],
    }
