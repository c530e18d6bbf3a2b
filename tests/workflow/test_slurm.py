"""The SLURM profile (profiles/slurm) against a real SLURM cluster.

Needs a running cluster: ``sudo ci/slurm-cluster.sh start`` sets up a single-node one on loopback
(slurmctld, slurmd, slurmdbd + MariaDB, munge).  Run with ``make test-slurm``.  Without a cluster
these tests FAIL (never skip) and say how to start one.
"""

from __future__ import annotations

import getpass
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import xarray as xr
import yaml

from conftest import REPO, SNAKEMAKE, TEST_CONFIG, snakemake_command
from rnnstruct.core import io

pytestmark = pytest.mark.slurm

PROFILE = REPO / "profiles" / "slurm"
START_HINT = (
    "start a cluster on this machine with `sudo ci/slurm-cluster.sh start` (see profiles/slurm/README.md)"
)
USER = getpass.getuser()
# this user's jobs of the last 2 hours, main job only, machine-readable: id|state|comment
SACCT = ("sacct", "-X", "-P", "-n", "-S", "now-2hours", "-o", "JobIDRaw,State,Comment%200")
RUN_TIMEOUT = 600  # s, one workflow run through SLURM (the test config: 256 s measured on 2 cores, Dec 2026)


def _sh(*cmd: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def _cluster_problem() -> str | None:
    """Why the cluster cannot run the tests, or None when it can."""
    for tool in ("sinfo", "squeue", "sacct", "sacctmgr", "sbatch", "scancel", "scontrol"):
        if shutil.which(tool) is None:
            return f"`{tool}` not found on PATH (SLURM client tools not installed)"
    try:
        ping = _sh("scontrol", "ping")
        if "is UP" not in ping.stdout:
            said = (ping.stdout.strip() or ping.stderr.strip()).splitlines()
            return f"slurmctld does not answer `scontrol ping` ({said[0] if said else 'no output'})"
        states = _sh("sinfo", "-h", "-o", "%T").stdout.split()
        if not any(s.rstrip("*~#$@") in ("idle", "mixed", "allocated", "completing") for s in states):
            return f"no node can run jobs (sinfo states: {states or 'none'})"
        acct = _sh("sacct", "-n", "-X", "-S", "now-1minutes")
        if acct.returncode != 0:
            return f"`sacct` fails (accounting/slurmdbd down?): {acct.stderr.strip()}"
    except subprocess.TimeoutExpired as err:
        return f"`{' '.join(err.cmd)}` timed out"
    return None


@pytest.fixture(scope="session")  # session scope: checked before the session's local run (test_results)
def cluster() -> list[str]:
    """Checks the cluster; returns the --default-resources flags for the user's account and partition."""
    problem = _cluster_problem()
    if problem:
        pytest.fail(f"SLURM cluster not available: {problem}.  {START_HINT}", pytrace=False)
    account = _sh("sacctmgr", "-n", "-P", "show", "user", USER, "format=defaultaccount").stdout.strip()
    partitions = [p for p in _sh("sinfo", "-h", "-o", "%P").stdout.split() if p.endswith("*")]
    resources = []
    if account:
        resources.append(f"slurm_account={account}")
    if partitions:
        resources.append(f"slurm_partition={partitions[0].rstrip('*')}")
    # the way profiles/slurm/README.md tells users to set account and partition
    return ["--default-resources", *resources] if resources else []


def _profile() -> dict:
    return yaml.safe_load((PROFILE / "profile.yaml").read_text())


def _command(workdir: Path, flags: list[str], targets: tuple[str, ...] = ()) -> list[str]:
    return snakemake_command(workdir, "--profile", str(PROFILE), *flags, targets=targets)


def _our_jobs(workdir: Path) -> list[tuple[str, str, str]]:
    """(job id, state, comment) of this user's queued or running jobs whose working directory is workdir."""
    out = _sh("squeue", "-h", "-u", USER, "-o", "%i|%T|%k|%Z").stdout
    rows = [line.split("|", 3) for line in out.splitlines() if line.count("|") == 3]
    return [(i, state, comment) for i, state, comment, wd in rows if Path(wd) == workdir]


def _final_state(job_id: str, timeout: float = 30) -> str:
    """The job's state once it has left PENDING/RUNNING/COMPLETING (squeue keeps it for MinJobAge)."""
    deadline = time.monotonic() + timeout
    state = "?"
    while time.monotonic() < deadline:
        state = _sh("squeue", "-h", "--states=all", "-j", job_id, "-o", "%T").stdout.strip()
        if state and state not in ("PENDING", "RUNNING", "COMPLETING", "CONFIGURING"):
            return state
        time.sleep(0.2)
    return state


def _cleanup(proc: subprocess.Popen, workdir: Path) -> None:
    """Stop a snakemake that is still running (SIGINT: it cancels its jobs) and cancel leftovers."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
    leftover = [job_id for job_id, _, _ in _our_jobs(workdir)]
    if leftover:
        _sh("scancel", *leftover)


class SlurmRun:
    """snakemake through profiles/slurm in the background, with its log and SLURM bookkeeping."""

    def __init__(self, workdir: Path, flags: list[str], targets: tuple[str, ...] = ()):
        self.workdir = workdir
        self.log_path = workdir / "snakemake-slurm.log"
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            _command(workdir, flags, targets),
            cwd=workdir,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def wait(self, timeout: float = RUN_TIMEOUT) -> str:
        """Wait for the run to finish; fail (after cleaning up) if it fails or takes too long."""
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.close()
            pytest.fail(f"snakemake through SLURM did not finish within {timeout} s:\n{self.tail()}")
        self.close()
        if self.proc.returncode != 0:
            pytest.fail(f"snakemake through SLURM failed ({self.proc.returncode}):\n{self.tail()}")
        return self.log

    def close(self) -> None:
        _cleanup(self.proc, self.workdir)
        self._log.close()

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    def tail(self, n: int = 6000) -> str:
        return self.log[-n:]

    def run_id(self) -> str:
        found = re.search(r"SLURM run ID: ([0-9a-f-]{36})", self.log)
        assert found, f"no SLURM run ID in the log:\n{self.tail()}"
        return found.group(1)

    def submitted(self) -> dict[str, str]:
        """SLURM job id -> rule, from the plugin's submission messages."""
        jobs = re.findall(r"submitted with SLURM jobid (\d+) \(log: \S*/rule_(\w+)/", self.log)
        return {job_id: rule for job_id, rule in jobs}

    def accounting(self) -> dict[str, tuple[str, str]]:
        """sacct of this run (jobs are named by the run ID): job id -> (state, comment)."""
        deadline = time.monotonic() + 60
        submitted = self.submitted()
        while True:
            out = _sh(*SACCT, "--name", self.run_id()).stdout
            rows = {
                i: (state, comment) for i, state, comment in (ln.split("|", 2) for ln in out.splitlines())
            }
            # slurmctld sends the final states to slurmdbd asynchronously: wait until all are there
            if set(submitted) <= set(rows) and all(
                rows[i][0] not in ("PENDING", "RUNNING") for i in submitted
            ):
                return rows
            if time.monotonic() > deadline:
                return rows
            time.sleep(2)


def _netcdf_files(results: Path) -> list[str]:
    return sorted(str(p.relative_to(results)) for p in results.rglob("*.nc"))


def assert_identical_outputs(reference: Path, other: Path, files: list[str]) -> None:
    """Data variables, coordinates and variable attributes bit for bit; global attributes minus
    the volatile ones (io.VOLATILE_ATTRS: date, history, host, wall time)."""
    for rel in files:
        a, b = io.read_dataset(reference / rel), io.read_dataset(other / rel)
        xr.testing.assert_identical(a.drop_attrs(deep=False), b.drop_attrs(deep=False))
        assert io.stable_attrs(a) == io.stable_attrs(b), rel


def _cluster_rules() -> set[str]:
    """Rules that become SLURM jobs under the profile (the others are localrules)."""
    return set(_profile()["set-resources"])


def test_profile_names_only_existing_rules(tmp_path):
    """A misspelt rule under set-resources would silently leave that rule without runtime."""
    proc = subprocess.run(
        [SNAKEMAKE, "-s", str(REPO / "Snakefile"), "--configfile", str(TEST_CONFIG), "--list-rules"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    rules = set(proc.stdout.split())
    assert not _cluster_rules() - rules, f"not rules of the workflow: {_cluster_rules() - rules}"


def test_test_config_on_slurm_matches_local_run(cluster, test_results, tmp_path):
    """config/test.yaml through the SLURM profile: the same NetCDF files, bit for bit, as the local
    run, and every submitted job COMPLETED in the accounting database."""
    run = SlurmRun(tmp_path, cluster)
    log = run.wait()

    files = _netcdf_files(test_results)
    assert files and _netcdf_files(tmp_path / "results") == files
    assert_identical_outputs(test_results, tmp_path / "results", files)

    # every job sent to SLURM got runtime and mem_mb from the profile's set-resources (there is no
    # default runtime: profiles/default's default-resources replaces the profile's); the cheap
    # rules (localrules) stay on the submitting host
    submitted = run.submitted()
    missing = set(submitted.values()) - _cluster_rules()
    assert not missing, f"rules sent to SLURM but missing under set-resources in profile.yaml: {missing}"
    assert set(submitted.values()) == _cluster_rules(), "every cluster rule of the profile ran on SLURM"
    for block in re.findall(r"^rule \w+:\n(?:    .*\n)+", log, flags=re.M):
        assert re.search(r"resources: .*mem_mb=\d+.*runtime=\d+", block), block
    local = set(re.findall(r"^localrule (\w+):", log, flags=re.M))
    assert "figure_F10_summary" in local and not local & _cluster_rules()
    acct = run.accounting()
    for job_id, rule in submitted.items():
        state, comment = acct.get(job_id, ("missing from sacct", ""))
        assert state == "COMPLETED", f"job {job_id} ({rule}): {state}"
        assert comment.startswith(f"rule_{rule}"), (job_id, comment)


def test_cancelled_job_is_resubmitted(cluster, test_results, tmp_path):
    """scancel a running compute job: the profile's retries resubmit it, the run completes with
    the same data, and sacct shows the CANCELLED job followed by a COMPLETED resubmission."""
    rule = "metzner_dynamics_rows"
    targets = ("results/metzner/dynamics/base.nc",)  # 3 row chunks (SLURM jobs) + a local merge
    run = SlurmRun(tmp_path, cluster, targets)
    cancelled = None
    try:
        deadline = time.monotonic() + 180
        while cancelled is None and run.proc.poll() is None and time.monotonic() < deadline:
            for job_id, state, comment in _our_jobs(tmp_path):
                if state == "RUNNING" and comment.startswith(f"rule_{rule}"):
                    # the job may end between squeue and scancel: then try the next one
                    _sh("scancel", "--state=RUNNING", job_id)
                    if _final_state(job_id) == "CANCELLED":
                        cancelled = (job_id, comment)
                        break
            time.sleep(0.2)
    except BaseException:
        run.close()
        raise
    if cancelled is None:
        run.close()
        pytest.fail(f"never saw a RUNNING {rule} job to cancel:\n{run.tail()}")
    run.wait()

    files = [f for f in _netcdf_files(test_results) if f.startswith("metzner/dynamics/base")]
    assert len(files) == 4  # 3 chunks + merged
    assert_identical_outputs(test_results, tmp_path / "results", files)

    job_id, comment = cancelled
    acct = run.accounting()
    assert acct[job_id][0].startswith("CANCELLED"), (job_id, acct[job_id])
    again = [i for i, (state, c) in acct.items() if c == comment and int(i) > int(job_id)]
    assert again, f"no resubmission of {comment} after job {job_id}: {acct}"
    assert [acct[i][0] for i in again] == ["COMPLETED"], {i: acct[i] for i in again}
    assert re.search(r"Trying to restart job", run.log), run.tail()
