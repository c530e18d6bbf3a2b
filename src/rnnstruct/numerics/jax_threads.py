"""JAX with one compute thread per process on CPU: the project parallelises across jobs, never inside one.

Every module of the library that uses JAX imports it through :func:`import_jax`.

* ``XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"`` is the usual advice,
  but the CPU client of current jaxlib (0.10 here) ignores it: a jitted float32 matrix product then takes
  twice its wall time in CPU time on a 2-core machine (measured).  The client sizes its compute thread pool
  from the process's CPU affinity when it is created.
* So :func:`import_jax` creates the backends while the calling thread's affinity is narrowed to
  ``RNNSTRUCT_JAX_THREADS`` cores (default 1), and then gives every thread of the process its original
  affinity back.  The pool keeps its size, and nothing stays pinned: the operating system still moves the
  job's threads between cores, so concurrent jobs spread over the machine.
* Results do not depend on the number of cores of the machine, because the compute pool always has the
  same size.
* Under SLURM, a job's affinity is already its allocation, so the narrowing changes nothing there.
* The flags are still set (harmless, and honoured by older jaxlib), together with
  ``--xla_gpu_deterministic_ops=true`` (reproducible GPU reductions).
* If the backends were already created in the process (JAX used before this module), the pool stays as
  it was; :func:`compute_threads` reports what happened.
"""

from __future__ import annotations

import os
import sys

#: environment variable: compute threads of the JAX CPU client (default 1)
ENV = "RNNSTRUCT_JAX_THREADS"
FLAGS = ("--xla_cpu_multi_thread_eigen=false", "intra_op_parallelism_threads=1", "--xla_gpu_deterministic_ops=true")

_state: dict = {}


def requested_threads() -> int:
    """Compute threads asked for by ``RNNSTRUCT_JAX_THREADS`` (a positive integer; default 1)."""
    raw = os.environ.get(ENV, "1")
    try:
        n = int(raw)
    except ValueError:
        n = 0
    if n < 1:
        raise ValueError(f"{ENV}={raw!r}: expected a positive integer (the compute threads of each JAX process)")
    return n


def _all_threads_to(cpus: set[int]) -> None:
    for tid in os.listdir("/proc/self/task"):
        try:
            os.sched_setaffinity(int(tid), cpus)
        except OSError:  # a thread that has exited meanwhile
            pass


def import_jax():
    """``import jax`` with the flags above, then create its backends with a compute pool of
    :func:`requested_threads` threads (Linux; elsewhere the flags alone).  Returns the ``jax`` module."""
    if "jax" not in sys.modules:
        flags = os.environ.get("XLA_FLAGS", "")
        os.environ["XLA_FLAGS"] = " ".join([flags] + [f for f in FLAGS if f not in flags]).strip()
    import jax
    from jax._src import xla_bridge

    if _state:
        return jax
    n = requested_threads()
    if not hasattr(os, "sched_setaffinity") or not os.path.isdir("/proc/self/task"):
        _state["threads"] = "not sized (no sched_setaffinity): XLA's default pool"
        return jax
    if xla_bridge.backends_are_initialized():
        _state["threads"] = "not sized (JAX backends created before rnnstruct imported JAX)"
        return jax
    full = os.sched_getaffinity(0)
    if n >= len(full):
        _state["threads"] = len(full)
        return jax
    os.sched_setaffinity(0, set(sorted(full)[:n]))
    try:
        jax.devices()  # creates the backends; the CPU pool is sized from the affinity now in force
    finally:
        _all_threads_to(full)
    _state["threads"] = n
    return jax


def compute_threads():
    """The compute pool size that :func:`import_jax` set (an int), or why it did not set one (a str)."""
    import_jax()
    return _state["threads"]
