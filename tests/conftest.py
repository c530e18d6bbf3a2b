"""Shared fixtures.  BLAS is limited to one thread before numpy is imported anywhere."""

from __future__ import annotations

import os

for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "GOTO_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
):
    os.environ[_var] = "1"

import copy  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
TEST_CONFIG = REPO / "config" / "test.yaml"
SCHEMA_FILE = REPO / "workflow" / "schemas" / "config.schema.yaml"


def completed(cfg: dict) -> dict:
    """A copy of ``cfg`` with every default filled in from the schema, as the workflow does."""
    from rnnstruct.core.config import fill_defaults, load_schema

    return fill_defaults(copy.deepcopy(cfg), load_schema(SCHEMA_FILE))


def profile(*files: str) -> dict:
    """The configuration the workflow runs with ``--configfile files``: each file merged in order over
    config/config.yaml (Snakemake's merge), every default filled in from the schema."""
    import yaml
    from snakemake.utils import update_config

    cfg = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    for name in files:
        update_config(cfg, yaml.safe_load((REPO / name).read_text()))
    return completed(cfg)


def semantic_errors(cfg: dict) -> list[str]:
    """rnnstruct.papers.semantic_errors of ``cfg`` completed with the schema's defaults."""
    from rnnstruct.papers import semantic_errors as errors

    return errors(completed(cfg))


def snakemake_command(
    workdir: Path, *extra: str, configfile: Path = TEST_CONFIG, cores: int = 2, targets: tuple[str, ...] = ()
) -> list[str]:
    """The snakemake command line that runs this repository's workflow with outputs under ``workdir``.
    Targets go first: options such as --default-resources would otherwise swallow them."""
    return [
        SNAKEMAKE,
        *targets,
        "-s",
        str(REPO / "Snakefile"),
        "--directory",
        str(workdir),
        "--configfile",
        str(configfile),
        "--cores",
        str(cores),
        *extra,
    ]


def run_workflow(
    workdir: Path,
    *extra: str,
    configfile: Path = TEST_CONFIG,
    check: bool = True,
    targets: tuple[str, ...] = (),
    env: dict | None = None,
) -> subprocess.CompletedProcess:
    """Run the workflow in ``workdir`` (outputs under workdir/results) and return the process."""
    import os

    cmd = snakemake_command(workdir, *extra, configfile=configfile, targets=targets)
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir, env={**os.environ, **(env or {})})
    if check and proc.returncode != 0:
        raise AssertionError(
            f"snakemake failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}"
        )
    return proc


@pytest.fixture(scope="session")
def test_run(tmp_path_factory) -> Path:
    """Working directory of one complete run of config/test.yaml (session-wide, read-only).

    With ``RNNSTRUCT_TEST_RUN=<dir>`` the run lives in that directory and is shared by consecutive pytest sessions
    (``.ci/run`` runs ``make test`` and then ``make test-slurm``): Snakemake itself brings it up to date, so a
    directory left by another commit, config or code is rerun where it is out of date, never reused stale.
    Under pytest-xdist the workers of a session share one directory; an exclusive lock next to it lets the first
    worker build the run while the others wait, then find it up to date."""
    import fcntl
    import os

    shared = os.environ.get("RNNSTRUCT_TEST_RUN")
    if shared:
        workdir = Path(shared)
    elif os.environ.get("PYTEST_XDIST_WORKER"):
        workdir = tmp_path_factory.getbasetemp().parent / "e2e_run"  # the session's directory above the workers'
    else:
        workdir = tmp_path_factory.mktemp("e2e_run")
    workdir.mkdir(parents=True, exist_ok=True)
    with open(workdir.parent / f"{workdir.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        run_workflow(workdir, env={"RNNSTRUCT_FIGURE_AUDIT": str(workdir / "figure_audit")})
    return workdir


@pytest.fixture(scope="session")
def test_results(test_run) -> Path:
    """results/ directory of the session's test-config run."""
    return test_run / "results"


@pytest.fixture()
def fresh_dir(tmp_path) -> Path:
    d = tmp_path / "work"
    d.mkdir()
    yield d
    shutil.rmtree(d, ignore_errors=True)


def dry_run_jobs(workdir: Path, *extra: str, env: dict | None = None, configfile: Path = TEST_CONFIG) -> dict[str, int]:
    """{rule: job count} that a dry run of the workflow in ``workdir`` would schedule (nothing runs)."""
    import os
    import re

    cmd = snakemake_command(workdir, "--dry-run", *extra, configfile=configfile)
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir, env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        raise AssertionError(f"dry run failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    text = proc.stdout + proc.stderr
    if "Nothing to be done" in text:
        return {}
    table = text.split("Job stats:", 1)[1].split("\n\n", 1)[0]
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+)\s+(\d+)$", table, flags=re.M) if m.group(1) != "total"}


def pytest_collection_modifyitems(config, items) -> None:
    """Order for pytest-xdist (one work unit per module, handed out in this order): the first module that reads
    the end-to-end run (fixtures ``test_run`` / ``test_results``), then every module that does not, then the
    other modules that read the run, those with the most tests marked ``slow`` first.  The worker that gets the
    first module builds the run while the others work through the unit tests; by the time they reach the modules
    that read the run it is built."""
    from collections import Counter

    e2e = {item.path for item in items if {"test_run", "test_results"} & set(getattr(item, "fixturenames", ()))}
    first = next((item.path for item in items if item.path in e2e), None)
    slow = Counter(item.path for item in items if item.get_closest_marker("slow"))
    items.sort(key=lambda item: (0, 0) if item.path == first else (2, -slow[item.path]) if item.path in e2e
               else (1, 0))


def pytest_xdist_make_scheduler(config, log):
    """``make test`` (``-n TEST_WORKERS``): one work unit per test module, so that module-scoped fixtures
    (simulations shared by a module's tests) are computed once; units go out in collection order."""
    from xdist.scheduler import LoadScopeScheduling

    config.option.loadscopereorder = False

    class ModuleScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return nodeid.split("::", 1)[0]

    return ModuleScheduling(config, log)
