"""Output files of the Jarne stage as pure functions of the configuration."""

from __future__ import annotations

from typing import Mapping

from rnnstruct.jarne.design import TRAINING_KEYS, conditions, groups

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
    "S_training",
)
#: figures drawn from the spectra file alone (the others also read the main-size network files)
SPECTRA_ONLY_FIGURES = ("F1_tasks", "F5_radius_vs_N", "F6_radius_vs_ei")
NOTES = "results/reproduction/jarne2024.md"
#: the claims and verdicts as a table of the report
CLAIMS_TABLE = "results/jarne/claims_table.csv"
CLAIMS_TABLE_HTML = "results/jarne/claims_table.html"

#: the training of one job: data, schedule, success test and the Dale constraint (Jarne & Caruso Sec. 2)
_TRAIN = ("seed",) + tuple(f"jarne.{k}" for k in TRAINING_KEYS)
#: everything but the rendering-only keys (pca_mode: figures only)
_ALL = _TRAIN + (
    "jarne.tasks",
    "jarne.inits",
    "jarne.ei_fracs",
    "jarne.unconstrained",
    "jarne.N",
    "jarne.size_sweep",
    "jarne.skip",
    "jarne.analysis",
    "jarne.claims",
)
#: the config keys each rule's stage reads (rnnstruct.core.reads), the jarne block lifted next to ``seed``;
#: which conditions a training job trains comes with its job name, not from these keys
READS = {
    "jarne_train": _TRAIN,
    "jarne_networks": _ALL,
    "jarne_spectra": _ALL,
    "jarne_reproduction_notes": _ALL,
}
LIFT = "jarne"


def condition_names(config: Mapping) -> list[str]:
    return list(conditions(config["jarne"]))


def jobs(config: Mapping) -> dict[str, list[str]]:
    """Training jobs: the conditions of each (task, N) group (:func:`rnnstruct.jarne.design.groups`) in
    parts of at most ``execution.jarne_conditions_per_job``, named ``<task>_N<N>_<part>``."""
    k = int(config["execution"]["jarne_conditions_per_job"])
    out = {}
    for group, names in groups(config["jarne"]).items():
        for part, a in enumerate(range(0, len(names), k)):
            out[f"{group}_{part}"] = names[a : a + k]
    return out


def job_of(config: Mapping, cond: str) -> str:
    """The training job of a condition."""
    for job, names in jobs(config).items():
        if cond in names:
            return job
    raise KeyError(f"condition {cond!r} is not in the config (conditions: {', '.join(condition_names(config))})")


def job_file(job: str) -> str:
    return f"results/jarne/training/{job}.nc"


def network_files(config: Mapping) -> dict[str, str]:
    return {cond: f"results/jarne/networks/{cond}.nc" for cond in condition_names(config)}


def main_network_files(config: Mapping) -> dict[str, str]:
    """Network files of the conditions at the main size N (the figures that show networks read these)."""
    suffix = f"_N{config['jarne']['N']}.nc"
    return {cond: path for cond, path in network_files(config).items() if path.endswith(suffix)}


def figures(config: Mapping) -> list[str]:
    return [f"results/figures/jarne/{name}" for name in FIGURES]


def data(config: Mapping) -> list[str]:
    return [job_file(j) for j in jobs(config)] + list(network_files(config).values()) + ["results/jarne/spectra.nc"]


def notes(config: Mapping) -> list[str]:
    return [NOTES]


def tables(config: Mapping) -> list[str]:
    """Report tables (CSV, and HTML for viewing in the report)."""
    return [CLAIMS_TABLE, CLAIMS_TABLE_HTML]


def benchmarks(config: Mapping) -> dict[str, list[str]]:
    return {
        "jarne_train": [f"results/benchmarks/jarne_train_{job}.tsv" for job in jobs(config)],
        "jarne_spectra": ["results/benchmarks/jarne_spectra.tsv"],
    }
