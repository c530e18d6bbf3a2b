# Shared helpers: config validation, parameter dictionaries, chunking and target lists.
# Rules stay declarative; every input function lives here.
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate
import yaml

from rnnstruct.config import schema_errors, semantic_errors
from rnnstruct.grids import grid_values, row_chunks

SCHEMA = "../schemas/config.schema.yaml"


def _check_config():
    with open(workflow.source_path(SCHEMA)) as fh:
        schema = yaml.safe_load(fh)
    problems = schema_errors(config, schema)
    if problems:
        raise WorkflowError("invalid configuration:\n  " + "\n  ".join(problems))
    validate(config, SCHEMA)  # enforces the schema and fills defaults
    problems = semantic_errors(config)
    if problems:
        raise WorkflowError("invalid configuration:\n  " + "\n  ".join(problems))


_check_config()


wildcard_constraints:
    start=r"\d+",
    stop=r"\d+",


def metzner_params(wildcards=None):
    """Scientific parameters of the Metzner stages (recorded in every output file)."""
    return {"seed": config["seed"], **config["metzner"]}


def metzner_chunks():
    n_rows = len(grid_values(config["metzner"]["grid"]["w"]))
    return row_chunks(n_rows, config["execution"]["rows_per_job"])


def metzner_chunk_files(wildcards=None):
    return [
        f"results/metzner/dynamics/base/rows_{a}_{b}.nc" for a, b in metzner_chunks()
    ]


def chunk_rows(wildcards):
    start, stop = int(wildcards.start), int(wildcards.stop)
    if (start, stop) not in metzner_chunks():
        raise WorkflowError(
            f"rows {start}..{stop} are not a chunk of the current config (chunks: {metzner_chunks()})"
        )
    return list(range(start, stop))


def batch_size(wildcards=None):
    return config["execution"]["batch_size"]


FIGURES = {
    "metzner": ["base_phase_diagram"],
    "validation": ["base_meanfield", "base_spectrum"],
}


def benchmark_files(wildcards=None):
    """Benchmark TSV per rule that does the computing (the cost table of the report)."""
    return {
        "metzner_ensemble_base": ["results/benchmarks/metzner_ensemble_base.tsv"],
        "metzner_dynamics_rows": [
            f"results/benchmarks/metzner_dynamics_base_rows_{a}_{b}.tsv"
            for a, b in metzner_chunks()
        ],
        "metzner_meanfield": ["results/benchmarks/metzner_meanfield.tsv"],
    }


def benchmark_inputs(wildcards=None):
    return [f for files in benchmark_files().values() for f in files]


def all_targets():
    figs = [
        f"results/figures/{group}/{name}.{ext}"
        for group, names in FIGURES.items()
        for name in names
        for ext in ("pdf", "png")
    ]
    return figs + [
        "results/metzner/ensembles/base.nc",
        "results/metzner/dynamics/base.nc",
        "results/metzner/validation/meanfield.nc",
        "results/benchmarks/cost_summary.csv",
    ]
