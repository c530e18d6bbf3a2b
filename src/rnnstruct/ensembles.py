"""Weight-matrix ensembles.  W[post, pre]: W_ij is the weight from neuron j to neuron i.

Base ensemble of Metzner et al. 2025 (spec ``metzner2025.md`` §3.1, a [RECON] construction)::

    W_ij = (w / sqrt(N d)) * s_ij * |xi_ij| * a_ij
    xi_ij ~ N(0, 1);  s_ij = +1 with probability (1 + b)/2, else -1;  a_ij ~ Bernoulli(d)

``balance_mode="gaussian_mean"`` is the spec's alternative: the same mask, magnitudes and
symmetric signs give a standard normal z_ij = s0_ij |xi_ij|, and the balance enters through a
mean shift chosen to give the same element mean as the sign-probability mode::

    W_ij = (w / sqrt(N d)) * (b sqrt(2/pi) + z_ij) * a_ij

Both modes draw the same random factors from one generator in the same order, so at b = 0
they give the same matrix for the same seed.  All functions are pure: parameters and a
generator (or seed) in, arrays out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BALANCE_MODES = ("sign_prob", "gaussian_mean")


@dataclass(frozen=True)
class BaseFactors:
    """Random factors of one base-ensemble realisation (kept so that regularities reuse them).

    ``sign_uniform`` are the U(0,1) numbers behind the signs: s_ij = +1 iff u_ij < (1+b)/2.
    """

    sign_uniform: np.ndarray
    magnitude: np.ndarray
    mask: np.ndarray

    def signs(self, b: float) -> np.ndarray:
        return np.where(self.sign_uniform < (1.0 + b) / 2.0, 1.0, -1.0)


def _check_base_params(N: int, w: float, b: float, density: float, balance_mode: str) -> None:
    if isinstance(N, bool) or not isinstance(N, (int, np.integer)) or N < 1:
        raise ValueError(f"N must be a positive integer, got {N!r}")
    if not np.isfinite(w) or w < 0:
        raise ValueError(f"w must be finite and >= 0, got w={w!r}")
    if not np.isfinite(b) or not -1.0 <= b <= 1.0:
        raise ValueError(f"b must lie in [-1, 1], got b={b!r}")
    if not np.isfinite(density) or not 0.0 < density <= 1.0:
        raise ValueError(f"density must lie in (0, 1], got density={density!r}")
    if balance_mode not in BALANCE_MODES:
        raise ValueError(f"balance_mode must be one of {BALANCE_MODES}, got {balance_mode!r}")


def draw_base_factors(N: int, density: float, gen: np.random.Generator) -> BaseFactors:
    """Draw the factors (sign uniforms, |xi|, mask) in a fixed order from ``gen``."""
    sign_uniform = gen.random((N, N))
    magnitude = np.abs(gen.standard_normal((N, N)))
    mask_uniform = gen.random((N, N))
    return BaseFactors(sign_uniform=sign_uniform, magnitude=magnitude, mask=mask_uniform < density)


def assemble_base(
    factors: BaseFactors,
    w: float,
    b: float,
    density: float = 1.0,
    balance_mode: str = "sign_prob",
    self_connections: bool = True,
) -> np.ndarray:
    """Build W from its factors (see module docstring for the formulas)."""
    N = factors.magnitude.shape[0]
    _check_base_params(N, w, b, density, balance_mode)
    scale = w / np.sqrt(N * density)
    if balance_mode == "sign_prob":
        core = factors.signs(b) * factors.magnitude
    else:
        core = b * np.sqrt(2.0 / np.pi) + factors.signs(0.0) * factors.magnitude
    W = scale * core * factors.mask
    if not self_connections:
        np.fill_diagonal(W, 0.0)
    return W


def base_matrix(
    N: int,
    w: float,
    b: float,
    gen: np.random.Generator,
    density: float = 1.0,
    balance_mode: str = "sign_prob",
    self_connections: bool = True,
) -> np.ndarray:
    """One realisation of the base (w, b, d) ensemble, shape (N, N), float64."""
    _check_base_params(N, w, b, density, balance_mode)
    return assemble_base(draw_base_factors(N, density, gen), w, b, density, balance_mode, self_connections)
