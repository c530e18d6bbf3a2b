"""JAX twin of :mod:`rnnstruct.numerics.rk4` and of the transfer functions of :mod:`rnnstruct.numerics.phi`.

The same classical RK4 step of dx/dt = f(x) (``x + dt/6 (k1 + 2 k2 + 2 k3 + k4)``) and the same rate field
f(x) = -x + J phi(x) (Clark et al., PRX Eq. 1 / PRL Eq. 1; docs/models/clark2025.md#dynamics), written with
``jax.numpy`` so that a whole time loop compiles into one XLA program (``lax.fori_loop`` / ``lax.scan``):
no Python call per step, and the elementwise work of a stage (phi, the axpy updates) is fused around
the matrix product.

* Runs on whatever device JAX sees (CPU here, a GPU where jaxlib has one); nothing here selects a
  platform.
* One compute thread on CPU (the project parallelises across jobs, never inside one): JAX is imported
  through :func:`rnnstruct.numerics.jax_threads.import_jax`, which sizes the CPU client's pool and sets
  ``--xla_gpu_deterministic_ops`` (GPU reductions reproducible run to run).
* Matrix products use ``Precision.HIGHEST``: on GPUs whose default float32 product is TF32 (10-bit
  mantissa) this keeps the float32 accuracy of the numpy backend.
* float64 only inside :func:`x64` (a local ``jax_enable_x64`` switch, for tests); 64-bit mode is never
  enabled globally.
* Compiled programs are cached on disk when the environment names a directory in ``RNNSTRUCT_JAX_CACHE``
  (the workflow sets one per working directory): the many small jobs of a sweep compile each program once
  instead of once per job.  The cache is keyed by the program, the device and the jaxlib version, so it
  never changes a result.
"""

from __future__ import annotations

import math
import os
from contextlib import nullcontext

from rnnstruct.numerics.jax_threads import import_jax

jax = import_jax()  # one compute thread on CPU (rnnstruct.numerics.jax_threads)
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

from rnnstruct.numerics.phi import check  # noqa: E402

if os.environ.get("RNNSTRUCT_JAX_CACHE"):
    jax.config.update("jax_compilation_cache_dir", os.environ["RNNSTRUCT_JAX_CACHE"])
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)

SQRT_PI_2 = math.sqrt(math.pi) / 2.0
HIGHEST = lax.Precision.HIGHEST


def x64(dtype):
    """Context in which arrays of ``dtype`` keep their precision: ``jax.enable_x64(True)`` for float64,
    nothing for float32."""
    return jax.enable_x64(True) if jnp.dtype(dtype) == jnp.float64 else nullcontext()


def phi_function(name: str):
    """phi(x) = erf(sqrt(pi) x / 2) ("erf") or tanh x ("tanh"), as jax.numpy functions."""
    check(name)
    if name == "erf":
        return lambda x: jax.scipy.special.erf(SQRT_PI_2 * x)
    return jnp.tanh


def matmul(a, b):
    """a @ b at full float32 (or float64) precision on every device."""
    return jnp.matmul(a, b, precision=HIGHEST)


def rate_field(J, phi):
    """f(x) = -x + J phi(x) for a state x (N,) or a batch X (N, n) (gains folded into J by the caller)."""
    return lambda x: matmul(J, phi(x)) - x


def rk4_step(x, f, dt: float):
    """One RK4 step x -> x + dt/6 (k1 + 2 k2 + 2 k3 + k4), the same stages as :func:`rnnstruct.numerics.rk4.rk4_step`."""
    k1 = f(x)
    k2 = f(x + (0.5 * dt) * k1)
    k3 = f(x + (0.5 * dt) * k2)
    k4 = f(x + dt * k3)
    return x + (dt / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)


def integrate(x, f, dt: float, n_steps):
    """``n_steps`` RK4 steps (a ``lax.fori_loop``; call inside ``jax.jit``)."""
    return lax.fori_loop(0, n_steps, lambda _, y: rk4_step(y, f, dt), x)
