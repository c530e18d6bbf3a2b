"""Clean shutdown: a SIGTERM to the whole process group (what `timeout`, a container stop or a batch
system sends) ends the workflow within a bounded time, every time."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from types import SimpleNamespace

import pytest

from conftest import REPO, snakemake_command

pytestmark = pytest.mark.e2e


def _group_members(pgid: int, grace: float) -> list[str]:
    """Command lines of the processes still in group ``pgid`` once it has emptied or ``grace`` seconds passed."""
    deadline = time.monotonic() + grace
    while True:
        found = subprocess.run(["pgrep", "-a", "-g", str(pgid)], capture_output=True, text=True)
        if found.returncode == 1 or time.monotonic() > deadline:
            return found.stdout.splitlines()
        time.sleep(0.2)


def workflow_handler_patch():
    """The SIGTERM fix of workflow/rules/common.smk, executed on its own."""
    text = (REPO / "workflow" / "rules" / "common.smk").read_text()
    source = re.search(r"^def _sigterm_without_deadlock\(\):\n(?:(?:    .*)?\n)+", text, flags=re.M).group(0)
    namespace: dict = {}
    exec(source, namespace)
    return namespace["_sigterm_without_deadlock"]


def handler_returns_while_lock_held(handler) -> bool:
    """Run ``handler`` as a signal handler would: in the thread that holds the scheduler's lock."""
    fake = SimpleNamespace(_lock=threading.Lock(), _open_jobs=threading.Semaphore(0), _user_kill=None)

    def main_thread():
        with fake._lock:
            handler(fake)

    t = threading.Thread(target=main_thread, daemon=True)
    t.start()
    t.join(3.0)
    return not t.is_alive() and fake._user_kill == "graceful" and fake._open_jobs.acquire(blocking=False)


def test_the_sigterm_handler_cannot_deadlock_on_the_scheduler_lock():
    from snakemake.scheduling.job_scheduler import JobScheduler

    original = JobScheduler.exit_gracefully
    assert not handler_returns_while_lock_held(original)  # the upstream handler deadlocks (thread left hanging)
    try:
        workflow_handler_patch()()
        assert handler_returns_while_lock_held(JobScheduler.exit_gracefully)
    finally:
        JobScheduler.exit_gracefully = original


@pytest.mark.parametrize("delay", [3.0, 8.0, 14.0, 20.0])
def test_group_sigterm_ends_the_workflow_within_a_minute(tmp_path, delay):
    proc = subprocess.Popen(
        snakemake_command(tmp_path), cwd=tmp_path, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    time.sleep(delay)
    if proc.poll() is not None:
        pytest.fail(f"the workflow ended before the signal: {proc.stderr.read()[-2000:]}")
    t0 = time.monotonic()
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        pytest.fail(f"snakemake still running 60 s after a group SIGTERM sent {delay} s into the run")
    assert time.monotonic() - t0 < 60 and proc.returncode != 0
    # no process left: the jobs got the group's SIGTERM themselves and die with it; on a loaded machine the last
    # of them may still be exiting (and being reaped) when snakemake returns, so the group gets a few seconds
    left = _group_members(proc.pid, grace=10.0)
    assert not left, f"processes of the group still alive 10 s after snakemake ended: {left}"
    # nothing half-written is accepted: the next run starts without --unlock and completes the outputs
    rerun = subprocess.run(
        snakemake_command(tmp_path, "--dry-run"), cwd=tmp_path, capture_output=True, text=True
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]
