# Shared by every rule file: configuration check, code hashes and the packages' target lists.
# Each paper's rule files include their own common.smk (which includes this one); Snakemake reads
# a file once however often it is included, so no rule file depends on the order of includes.
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate
import yaml

from rnnstruct.core.codehash import code_hash
from rnnstruct.core.config import schema_errors
from rnnstruct.core.targets import figure_files, outputs
from rnnstruct.clark import targets as clark_targets
from rnnstruct.clark.cluster import clark_mem_mb
from rnnstruct.jarne import targets as jarne_targets
from rnnstruct.lyapunov import targets as lyapunov_targets
from rnnstruct.metzner import targets as metzner_targets
import rnnstruct.clark.checks
import rnnstruct.lyapunov.checks
import rnnstruct.metzner.checks

SCHEMA = "../schemas/config.schema.yaml"
PACKAGES = {
    "metzner": metzner_targets,
    "lyapunov": lyapunov_targets,
    "clark": clark_targets,
    "jarne": jarne_targets,
}
SEMANTIC_CHECKS = (
    rnnstruct.metzner.checks.errors,
    rnnstruct.lyapunov.checks.errors,
    rnnstruct.clark.checks.errors,
)


def _fail(problems):
    lines = "\n  ".join(problems)
    raise WorkflowError(f"invalid configuration:\n  {lines}")


def _check_config():
    with open(workflow.source_path(SCHEMA)) as fh:
        schema = yaml.safe_load(fh)
    problems = schema_errors(config, schema)
    if problems:
        _fail(problems)
    validate(config, SCHEMA)  # enforces the schema and fills defaults
    problems = [msg for check in SEMANTIC_CHECKS for msg in check(config)]
    if problems:
        _fail(problems)


_check_config()

# sbatch --mem of the Clark rules whose memory grows with the configured N (profiles/slurm)
CLUSTER_MEM_MB = clark_mem_mb(config["clark"])


wildcard_constraints:
    start=r"\d+",
    stop=r"\d+",
    r0=r"\d+",
    r1=r"\d+",


def all_targets(wildcards=None):
    """Every final output of every package, plus the run's cost table."""
    files = [f for pkg in PACKAGES.values() for f in outputs(pkg, config)]
    return files + ["results/benchmarks/cost_summary.csv"]


def benchmark_files(wildcards=None):
    """Benchmark TSV files of every computing rule, by rule (the report's cost table)."""
    out = {}
    for pkg in PACKAGES.values():
        out.update(pkg.benchmarks(config))
    return out


def benchmark_inputs(wildcards=None):
    return [f for files in benchmark_files().values() for f in files]


def notes_schema():
    return workflow.source_path(SCHEMA)
