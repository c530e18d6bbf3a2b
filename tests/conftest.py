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
    directory left by another commit, config or code is rerun where it is out of date, never reused stale."""
    import os

    shared = os.environ.get("RNNSTRUCT_TEST_RUN")
    workdir = Path(shared) if shared else tmp_path_factory.mktemp("e2e_run")
    workdir.mkdir(parents=True, exist_ok=True)
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


#: pytest-xdist work unit of the test modules that read the end-to-end run (fixtures test_run / test_results)
E2E_UNIT = "end-to-end run"
_E2E_FIXTURES = ("test_run", "test_results")


def e2e_modules() -> set[str]:
    """Test modules (paths relative to the repository, as in node ids) that take ``test_run`` or
    ``test_results`` as an argument of a test or fixture.  Read from the source, so that the xdist controller,
    which collects nothing itself, knows them; checked against each worker's collection."""
    import re

    use = re.compile(r"def \w+\([^)]*\b(" + "|".join(_E2E_FIXTURES) + r")\b", re.S)
    return {str(p.relative_to(REPO)) for p in (REPO / "tests").rglob("test_*.py") if use.search(p.read_text())}


def pytest_collection_modifyitems(config, items) -> None:
    """The modules that read the end-to-end run first (stable order otherwise), so that under pytest-xdist the
    worker that builds the run starts with it while the other workers take the remaining modules; and a module
    that uses the run through a fixture the source scan misses is an error, not a second build on another
    worker."""
    modules = e2e_modules()
    missed = sorted({str(item.path.relative_to(REPO)) for item in items
                     if set(_E2E_FIXTURES) & set(getattr(item, "fixturenames", ()))} - modules)
    if missed:
        raise pytest.UsageError(f"tests/conftest.py e2e_modules() misses {missed}: take test_run or test_results "
                                "as an argument in the module, so that its tests share the worker of the run")
    items.sort(key=lambda item: str(item.path.relative_to(REPO)) not in modules)


def pytest_xdist_make_scheduler(config, log):
    """``make test`` (``-n TEST_WORKERS``): one work unit per test module, so module-scoped fixtures (simulations
    shared by a module's tests) are computed once, except that all modules reading the end-to-end run form one
    unit: one worker builds the run, once.  Units go out in collection order (that unit first)."""
    from xdist.scheduler import LoadScopeScheduling

    modules = e2e_modules()
    config.option.loadscopereorder = False

    class ModuleScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return E2E_UNIT if module in modules else module

    return ModuleScheduling(config, log)
