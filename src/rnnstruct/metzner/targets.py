"""Output files of the Metzner stages as pure functions of the configuration.

The workflow builds ``rule all`` and its job lists from these functions; nothing here imports
Snakemake or computes anything (numpy only, cheap at parse time).
"""

from __future__ import annotations

from typing import Mapping

from rnnstruct.core.grids import grid_values, row_chunks
from rnnstruct.metzner import robustness

#: the paper's figure number of each regularity's dynamics and accuracy figure
FIGURE_NUMBERS = {
    ("dale", "dynamics"): 4,
    ("dale", "accuracy"): 5,
    ("hopfield", "dynamics"): 6,
    ("hopfield", "accuracy"): 7,
    ("modular", "dynamics"): 8,
    ("modular", "accuracy"): 9,
}
NOTES = "results/reproduction/metzner2025.md"
#: the claims and verdicts as a table of the report
CLAIMS_TABLE = "results/metzner/claims_table.csv"
CLAIMS_TABLE_HTML = "results/metzner/claims_table.html"

#: the network ensemble every sweep draws from (Metzner Eqs. 1-3)
_ENSEMBLE = (
    "seed",
    "metzner.N",
    "metzner.density",
    "metzner.balance_mode",
    "metzner.self_connections",
    "metzner.init_scale",
)
_SWEEP = _ENSEMBLE + (
    "metzner.dynamics",
    "metzner.reservoir",
    "metzner.regularities.grid",
    "metzner.regularities.reps",
    "metzner.regularities.{reg}",
)

#: the config keys each rule's stage reads (rnnstruct.core.reads); the stage gets the metzner block lifted to
#: the top level next to ``seed``. Merges read what their chunks read: they check it against each chunk.
READS = {
    "metzner_ensemble_base": _ENSEMBLE + ("metzner.examples",),
    "metzner_dynamics_rows": _ENSEMBLE + ("metzner.grid", "metzner.reps", "metzner.dynamics"),
    "metzner_dynamics_merge": _ENSEMBLE + ("metzner.grid", "metzner.reps", "metzner.dynamics"),
    "metzner_meanfield": ("seed", "metzner.init_scale", "metzner.validation", "metzner.dynamics"),
    "metzner_ensemble_regularity": _ENSEMBLE + ("metzner.examples", "metzner.regularities.{reg}"),
    "metzner_regularity_rows": _SWEEP,
    "metzner_regularity_merge": _SWEEP,
    "metzner_regularity_spectra": _ENSEMBLE + ("metzner.validation", "metzner.regularities"),
    # the claims file records the parameters of the whole run it judges (the notes fill their table of
    # [RECON] choices from it)
    "metzner_claims": ("seed", "metzner"),
    # the robustness runs vary every [RECON] choice around its configured value: they read the whole block
    "metzner_robustness_run": ("seed", "metzner"),
    "metzner_robustness": ("seed", "metzner"),
}
LIFT = "metzner"


def regularities(config: Mapping) -> list[str]:
    return list(config["metzner"]["regularities"]["include"])


def controls(config: Mapping, reg: str) -> list[float]:
    return list(config["metzner"]["regularities"][reg]["controls"])


def base_chunks(config: Mapping) -> list[tuple[int, int]]:
    """[start, stop) w-row chunks of the base sweep (one job each)."""
    n_rows = len(grid_values(config["metzner"]["grid"]["w"]))
    return row_chunks(n_rows, config["execution"]["rows_per_job"])


def base_chunk_files(config: Mapping) -> list[str]:
    return [f"results/metzner/dynamics/base/rows_{a}_{b}.nc" for a, b in base_chunks(config)]


def regularity_chunks(config: Mapping) -> list[tuple[int, int]]:
    """[start, stop) w-row chunks of the regularity sweeps (per control value, one job each)."""
    n_rows = len(grid_values(config["metzner"]["regularities"]["grid"]["w"]))
    return row_chunks(n_rows, config["execution"]["rows_per_job"])


def regularity_chunk_files(config: Mapping, reg: str, kind: str) -> list[str]:
    """Every (control, row chunk) file of one regularity's sweep; ``kind`` is dynamics or reservoir."""
    return [
        f"results/metzner/{kind}/{reg}/ctrl{c}_rows_{a}_{b}.nc"
        for c in range(len(controls(config, reg)))
        for a, b in regularity_chunks(config)
    ]


def robustness_enabled(config: Mapping) -> bool:
    rob = config["metzner"].get("robustness")
    return bool(regularities(config)) and bool(rob) and bool(rob["enabled"])


def robustness_runs(config: Mapping) -> list[str]:
    """Run ids of the robustness stage (one job each), see :func:`rnnstruct.metzner.robustness.runs`."""
    if not robustness_enabled(config):
        return []
    return [r["id"] for r in robustness.runs(config["metzner"])]


def robustness_run_files(config: Mapping) -> list[str]:
    return [f"results/metzner/robustness/{rid}.nc" for rid in robustness_runs(config)]


def mechanism_regularities(config: Mapping) -> list[str]:
    """Regularities of the mechanism figure (accuracy against saturation and lambda_max): Dale, Hopfield."""
    return [r for r in ("dale", "hopfield") if r in regularities(config)]


def figure_number(reg: str, kind: str) -> int:
    return FIGURE_NUMBERS[(reg, kind)]


def figures(config: Mapping) -> list[str]:
    """Figure paths without extension (each is built as .pdf and .png)."""
    regs = regularities(config)
    metzner = ["base_phase_diagram"]
    validation = ["base_meanfield", "base_spectrum"]
    if regs:
        metzner += ["F1_schematic", "F3_baseline_accuracy", "F10_summary"]
        metzner += [f"F{figure_number(r, k)}_{r}_{k}" for r in regs for k in ("dynamics", "accuracy")]
        validation += ["regularity_spectra"]
    if "hopfield" in regs:
        metzner += ["mechanism_saturation"]
    if mechanism_regularities(config):
        metzner += ["mechanism_accuracy"]
    if robustness_enabled(config):
        metzner += ["robustness_verdicts"]
    return [f"results/figures/metzner/{n}" for n in metzner] + [
        f"results/figures/validation/{n}" for n in validation
    ]


def data(config: Mapping) -> list[str]:
    out = [
        "results/metzner/ensembles/base.nc",
        "results/metzner/dynamics/base.nc",
        "results/metzner/validation/meanfield.nc",
    ]
    regs = regularities(config)
    if regs:
        out += [
            f"results/metzner/{kind}/{reg}.nc"
            for reg in regs
            for kind in ("ensembles", "dynamics", "reservoir")
        ]
        out += ["results/metzner/validation/regularity_spectra.nc", "results/metzner/claims.nc"]
    if robustness_enabled(config):
        out += ["results/metzner/robustness.nc"]
    return out


def notes(config: Mapping) -> list[str]:
    return [NOTES] if regularities(config) else []


def tables(config: Mapping) -> list[str]:
    """Report tables (CSV, and HTML for viewing in the report): the claims table when the regularities are built."""
    return [CLAIMS_TABLE, CLAIMS_TABLE_HTML] if regularities(config) else []


def claim_figures(config: Mapping) -> dict[str, str]:
    """Markdown references to the figures behind each claim (for the notes)."""
    fig = "`results/figures/metzner/{}.png`"
    out = {r: fig.format(f"F{figure_number(r, 'accuracy')}_{r}_accuracy") for r in regularities(config)}
    if "hopfield" in out:
        out["hopfield"] = f"{out['hopfield']}, {fig.format('mechanism_saturation')}"
    if mechanism_regularities(config):
        out["mechanism"] = fig.format("mechanism_accuracy")
    if robustness_enabled(config):
        out["robustness"] = fig.format("robustness_verdicts")
    out["summary"] = fig.format("F10_summary")
    out["baseline"] = fig.format("F3_baseline_accuracy")
    return out


def benchmarks(config: Mapping) -> dict[str, list[str]]:
    """Benchmark TSV files of the computing rules (the run's cost table)."""
    regs = regularities(config)
    return {
        "metzner_ensemble_base": ["results/benchmarks/metzner_ensemble_base.tsv"],
        "metzner_dynamics_rows": [
            f"results/benchmarks/metzner_dynamics_base_rows_{a}_{b}.tsv" for a, b in base_chunks(config)
        ],
        "metzner_meanfield": ["results/benchmarks/metzner_meanfield.tsv"],
        "metzner_ensemble_regularity": [f"results/benchmarks/metzner_ensemble_{r}.tsv" for r in regs],
        "metzner_regularity_rows": [
            f"results/benchmarks/metzner_regularity_{r}_ctrl{c}_rows_{a}_{b}.tsv"
            for r in regs
            for c in range(len(controls(config, r)))
            for a, b in regularity_chunks(config)
        ],
        "metzner_regularity_spectra": ["results/benchmarks/metzner_regularity_spectra.tsv"] if regs else [],
        "metzner_robustness_run": [f"results/benchmarks/metzner_robustness_{rid}.tsv" for rid in robustness_runs(config)],
    }
