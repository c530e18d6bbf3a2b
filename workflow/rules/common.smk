# Shared by all rule files (configuration check, code hashes, the packages' target lists).  The
# Snakefile includes this file first; each paper's rule files include their own <paper>/common.smk
# (input functions only), and no rule file depends on another rule file or on their order.
from functools import partial
from pathlib import Path

from snakemake.exceptions import WorkflowError

from rnnstruct import papers
from rnnstruct.core import config as config_checks
from rnnstruct.core import reads as config_reads_of
from rnnstruct.core.codehash import script_hash
from rnnstruct.core.targets import outputs
from rnnstruct.clark import targets as clark_targets
from rnnstruct.clark.cluster import clark_mem_mb
from rnnstruct.jarne import targets as jarne_targets
from rnnstruct.metzner import targets as metzner_targets

# the schema files refer to each other, so they are read in place (not through the source cache)
SCHEMAS = Path(workflow.basedir) / "workflow" / "schemas"
SCRIPTS = Path(workflow.basedir) / "scripts"


def _sigterm_without_deadlock():
    """Snakemake's SIGTERM handler takes the job scheduler's lock, a non-reentrant threading.Lock.  A
    SIGTERM that arrives while the main thread holds that lock (the scheduler does, whenever it books
    finished jobs or selects new ones) runs the handler in that same thread, which then waits for
    itself forever: the workflow hangs until SIGKILL and leaves its lock behind.  This handler only
    sets the flag (one assignment, atomic) and wakes the scheduler, which shuts down as before.
    """
    from snakemake.scheduling.job_scheduler import JobScheduler

    def exit_gracefully(self, *args):
        self._user_kill = "graceful"
        self._open_jobs.release()

    JobScheduler.exit_gracefully = exit_gracefully


_sigterm_without_deadlock()


def _check_config():
    """The config files read strictly (a repeated key would silently replace a whole section), then
    the schema (every problem, each naming its key), defaults and the papers' consistency rules.
    """
    for path in workflow.configfiles:
        try:
            config_checks.read_config_file(path)
        except config_checks.ConfigFileError as err:
            raise WorkflowError(f"invalid configuration file: {err}") from None
    schema = config_checks.load_schema(SCHEMAS / "config.schema.yaml")
    problems = config_checks.check(config, schema, papers.semantic_errors)
    if problems:
        lines = "\n  ".join(problems)
        raise WorkflowError(f"invalid configuration:\n  {lines}")


_check_config()

# sbatch --mem of the Clark rules whose memory grows with the configured N (profiles/slurm)
CLUSTER_MEM_MB = clark_mem_mb(config["clark"])


wildcard_constraints:
    start=r"\d+",
    stop=r"\d+",
    r0=r"\d+",
    r1=r"\d+",


def config_reads(rule, build=None):
    """The params that a computing step gets from what its stage reads (READS in the
    package's targets module).  ``p`` holds the parameters the stage receives
    (``build(config)`` where given); one "<key>=<value>" string per config leaf the job
    reads makes a changed key rerun exactly those jobs, with the key named in the reason.
    ``p`` is not a dict, so Snakemake leaves it out of its params comparison.
    """
    keys, lift = papers.reads(rule)

    def stage_params(wildcards):
        if build is not None:
            return config_reads_of.Params(build(config))
        return config_reads_of.Params(
            config_reads_of.stage_params(config, keys, wildcards, lift)
        )

    out = {"p": stage_params}
    for i, leaf in enumerate(config_reads_of.possible_leaves(config, keys)):
        out[f"config_{i}"] = partial(config_reads_of.leaf_param, config, keys, leaf)
    return out


def profile_name():
    """The configuration files of this run, relative to the repository where they live in it: the files given
    with --configfile in their order (a later one overrides an earlier one), over the defaults of
    config/config.yaml (the Snakefile's configfile, which every given file overrides).
    """
    base = Path(workflow.basedir).resolve()

    def name(path):
        try:
            return str(path.relative_to(base))
        except ValueError:
            return str(path)

    default = (base / "config" / "config.yaml").resolve()
    given = []
    for path in workflow.configfiles:
        path = Path(path).resolve()
        if path != default and path not in given:
            given.append(path)
    if not given:
        return f"`{name(default)}`"
    return (
        " + ".join(f"`{name(p)}`" for p in given)
        + f" (over the defaults of `{name(default)}`)"
    )


def script_code(script, *roots):
    """Parameter ``code`` of a rule: the hash of the library code its script imports (and of a figure
    builder's module), so editing that code reruns the rule and editing anything else does not.
    """
    return script_hash(SCRIPTS / script, *roots)


def all_targets(wildcards=None):
    return papers.all_outputs(config)


def paper_targets(name):
    return outputs(papers.TARGETS[name], config)


def benchmark_files(wildcards=None):
    return papers.benchmark_files(config)


def benchmark_inputs(wildcards=None):
    return [f for files in benchmark_files().values() for f in files]


def notes_schema(paper):
    """The schema files behind a paper's [RECON] table (the top-level file first)."""
    return [str(SCHEMAS / f"{name}.schema.yaml") for name in ("config", "defs", paper)]
