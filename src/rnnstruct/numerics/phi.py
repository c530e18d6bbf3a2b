"""Transfer functions of the rate networks and their derivatives.

* ``"erf"``: phi(x) = erf(sqrt(pi) x / 2), phi'(x) = exp(-pi x^2 / 4) (phi'(0) = 1; Clark et al.
  2025, PRX, and the rate-network Lyapunov runs);
* ``"tanh"``: phi(x) = tanh x, phi'(x) = sech^2 x (Clark, Abbott & Litwin-Kumar 2023, PRL; the
  discrete-time maps of Metzner et al. 2025 and Jarne & Caruso 2024).

``sech^2`` and ``log sech^2`` are evaluated from the field h, not as 1 - tanh(h)^2, which cancels to
0 for |h| > ~19 in float64 (saturated units).
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
from scipy.special import erf

PHIS = ("erf", "tanh")
SQRT_PI_2 = math.sqrt(math.pi) / 2.0


def check(name: str) -> None:
    if name not in PHIS:
        raise ValueError(f"phi must be one of {PHIS}, got {name!r}")


def sech2(h):
    """sech^2(h) = 4 e^{-2|h|} / (1 + e^{-2|h|})^2, accurate for any |h| (no cancellation)."""
    e = np.exp(-2.0 * np.abs(h))
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


def log_sech2(h):
    """log sech^2(h) = log 4 - 2|h| - 2 log(1 + e^{-2|h|}), finite for any finite h."""
    a = np.abs(h)
    return np.log(4.0) - 2.0 * a - 2.0 * np.log1p(np.exp(-2.0 * a))


def phi_function(name: str) -> Callable:
    """phi(x) = erf(sqrt(pi) x / 2) ("erf", phi'(0) = 1) or tanh ("tanh")."""
    check(name)
    if name == "erf":
        return lambda x: erf(SQRT_PI_2 * x)
    return np.tanh


def dphi_function(name: str) -> Callable:
    """phi'(x): exp(-pi x^2 / 4) ("erf") or sech^2 x ("tanh")."""
    check(name)
    if name == "erf":
        return lambda x: np.exp(-(math.pi / 4.0) * (x * x))
    return sech2
