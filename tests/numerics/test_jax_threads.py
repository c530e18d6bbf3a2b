"""JAX computes on one thread per process (rnnstruct.numerics.jax_threads): the XLA flags alone leave the
CPU client's pool at one thread per core, and a job then uses several cores while the scheduler counts one."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROBE = r"""
import json, os, time
import numpy as np
from rnnstruct.numerics import rk4_jax as rj, jax_threads

def busy():
    out = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            fields = open(f"/proc/self/task/{tid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[tid] = int(fields[11]) + int(fields[12])  # utime + stime, clock ticks
    return out

a = rj.jnp.asarray(np.random.default_rng(0).random((2000, 2000), dtype=np.float32))
f = rj.jax.jit(lambda x: x @ x)
f(a).block_until_ready()
before = busy()
t0 = time.perf_counter()
while time.perf_counter() - t0 < 2.0:
    f(a).block_until_ready()
after = busy()
used = {t: after[t] - before.get(t, 0) for t in after}
total = sum(used.values())
print(json.dumps({"pool": jax_threads.compute_threads(), "busy": sum(u > 0.1 * total for u in used.values()),
                  "affinity": sorted(os.sched_getaffinity(0)), "full": sorted(os.sched_getaffinity(os.getppid()))}))
"""


def _probe(threads: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "RNNSTRUCT_JAX_THREADS"}
    if threads is not None:
        env["RNNSTRUCT_JAX_THREADS"] = threads
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="thread pools are sized from the CPU affinity on Linux only")
def test_one_thread_computes_and_nothing_stays_pinned():
    """By default one thread of the process does the matrix products (more than 10 % of the CPU time), and
    the process keeps the affinity it was started with."""
    out = _probe(None)
    assert out["busy"] == 1, out
    assert out["affinity"] == out["full"], out
    if len(out["full"]) >= 2:
        assert out["pool"] == 1, out
        # the probe sees a larger pool: with two compute threads both share the products
        two = _probe("2")
        assert two["pool"] == 2 and two["busy"] >= 2, two


def test_a_bad_thread_count_is_refused_naming_the_variable(monkeypatch):
    from rnnstruct.numerics import jax_threads

    monkeypatch.setenv("RNNSTRUCT_JAX_THREADS", "zero")
    with pytest.raises(ValueError, match="RNNSTRUCT_JAX_THREADS='zero': expected a positive integer"):
        jax_threads.requested_threads()
