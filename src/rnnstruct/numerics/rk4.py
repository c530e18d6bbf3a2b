"""Classical fourth-order Runge-Kutta step of dx/dt = f(x), for one state or a batch of states.

Used for the rate network dx/dt = -x + J diag(G) phi(x) of Clark et al. (PRX Eq. 1 / PRL Eq. 1)
in the simulations and in the Lyapunov runs of the flow, whose tangent propagation needs the four
stage points as well (``return_stages=True``).
"""

from __future__ import annotations

from typing import Callable, Optional

import numpy as np


def rate_field(J: np.ndarray, phi: Callable, gains: Optional[np.ndarray] = None) -> Callable:
    """f(x) = -x + J G phi(x) for a state x (N,) or a batch X (N, n); G = diag(gains) or the identity."""
    if gains is None:
        return lambda x: J @ phi(x) - x
    G = np.asarray(gains)

    def f(x):
        return J @ ((G if x.ndim == 1 else G.reshape(-1, 1)) * phi(x)) - x

    return f


def rk4_step(x: np.ndarray, f: Callable, dt: float, return_stages: bool = False):
    """One RK4 step x -> x + dt/6 (k1 + 2 k2 + 2 k3 + k4).  With ``return_stages`` also the four
    points (x, x + dt/2 k1, x + dt/2 k2, x + dt k3) at which f was evaluated."""
    k1 = f(x)
    x2 = x + (0.5 * dt) * k1
    k2 = f(x2)
    x3 = x + (0.5 * dt) * k2
    k3 = f(x3)
    x4 = x + dt * k3
    k4 = f(x4)
    x_new = x + (dt / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    if return_stages:
        return x_new, (x, x2, x3, x4)
    return x_new
