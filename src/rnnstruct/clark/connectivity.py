"""Random-mode connectivity J = L diag(D) R^T (PRX Secs. II-IV; docs/models/clark2025.md#random-mode-model).

L, R in R^(N x M) have i.i.d. N(0, 1/N) entries, alpha = M/N, D_a > 0 deterministic.  The coupling
strength is g_eff^2 = alpha r_2 = (1/N) sum_a D_a^2 (D is rescaled so that this holds exactly on the
discrete vector) and the effective rank is alpha PR^D = (sum_a D_a^2)^2 / (N sum_a D_a^4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

#: modes per chunk when J is accumulated; L^T and R^T are drawn row-block by row-block from their
#: own streams, so the matrix does not depend on the chunk size (tested)
MODE_CHUNK = 1024


@dataclass(frozen=True)
class ModeSpectrum:
    """Mode strengths D (length M) of an N-neuron random-mode model."""

    D: np.ndarray
    N: int
    kind: str
    beta: float = 0.0

    @property
    def M(self) -> int:
        return int(self.D.size)

    @property
    def alpha(self) -> float:
        return self.M / self.N

    @property
    def g_eff(self) -> float:
        return float(np.sqrt(np.sum(self.D**2) / self.N))

    @property
    def eff_rank(self) -> float:
        """alpha PR^D = (sum D^2)^2 / (N sum D^4) of the discrete vector."""
        return effective_rank(self.D, self.N)

    @property
    def pr_d(self) -> float:
        return self.eff_rank / self.alpha


def effective_rank(D, N: int) -> float:
    """alpha PR^D = (sum_a D_a^2)^2 / (N sum_a D_a^4) (PRX 11-12), a fraction of N."""
    d2 = np.asarray(D, dtype=np.float64) ** 2
    return float(d2.sum() ** 2 / (N * np.sum(d2 * d2)))


def exponential_beta(pr_d: float) -> float:
    """beta_D with tanh(beta)/beta = PR^D (continuum limit of D_a ~ exp(-beta a/M)), 0 < PR^D <= 1."""
    if not 0.0 < pr_d <= 1.0:
        raise ValueError(f"PR^D of an exponential spectrum must lie in (0, 1], got {pr_d!r}")
    if pr_d == 1.0:
        return 0.0
    return float(brentq(lambda b: np.tanh(b) / b - pr_d, 1e-9, 2.0 / pr_d + 10.0, xtol=1e-14))


def _normalise(D: np.ndarray, N: int, g_eff: float) -> np.ndarray:
    if g_eff <= 0:
        raise ValueError(f"g_eff must be positive, got {g_eff!r}")
    return D * (g_eff / np.sqrt(np.sum(D**2) / N))


def exponential_spectrum(N: int, g_eff: float, eff_rank: float) -> ModeSpectrum:
    """Exponential mode strengths for a target effective rank E = alpha PR^D (PRX Fig. 4 protocol).

    E < 1: alpha = 1 (M = N), D_a = exp(-beta a/M), a = 1..M, tanh(beta)/beta = E.
    E >= 1: beta = 0 (equal D_a, PR^D = 1) and alpha = E (M = round(E N)).
    D is then rescaled so that (1/N) sum D_a^2 = g_eff^2 exactly.  The realised alpha PR^D
    (:attr:`ModeSpectrum.eff_rank`) differs from E by O(1/M).
    """
    if eff_rank <= 0:
        raise ValueError(f"effective rank must be positive, got {eff_rank!r}")
    if eff_rank < 1.0:
        M = N
        beta = exponential_beta(eff_rank)
        D = np.exp(-beta * np.arange(1, M + 1) / M)
    else:
        M = int(round(eff_rank * N))
        beta = 0.0
        D = np.ones(M)
    return ModeSpectrum(_normalise(D, N, g_eff), N, "exponential", beta)


def step_spectrum(N: int, g_eff: float, pr_d: float) -> ModeSpectrum:
    """Step spectrum (PRX Fig. 10): alpha = 1, D_a = const for a/N <= PR^D, else 0; only the
    round(N PR^D) non-zero modes are kept (the zero modes do not contribute to J)."""
    if not 0.0 < pr_d <= 1.0:
        raise ValueError(f"PR^D of a step spectrum must lie in (0, 1], got {pr_d!r}")
    M = max(int(round(pr_d * N)), 1)
    return ModeSpectrum(_normalise(np.ones(M), N, g_eff), N, "step")


def constant_spectrum(N: int, alpha: float, g_eff: float | None = None) -> ModeSpectrum:
    """D_a = 1 with M = round(alpha N) modes (PRX Fig. 8); with g_eff given, rescaled to it."""
    M = max(int(round(alpha * N)), 1)
    D = np.ones(M)
    return ModeSpectrum(D if g_eff is None else _normalise(D, N, g_eff), N, "constant")


def rmm_matrix(
    spec: ModeSpectrum, rng_left: np.random.Generator, rng_right: np.random.Generator, dtype=np.float64
) -> np.ndarray:
    """J = L diag(D) R^T (N x N, rows postsynaptic) with L, R i.i.d. N(0, 1/N).

    L^T and R^T (M x N) are drawn in row blocks of :data:`MODE_CHUNK` modes from their own
    generators and accumulated into J, so the N x M factors are never materialised (alpha = 10 at
    N = 5000 needs 2 x 2 GB otherwise) and J does not depend on the chunk size.
    """
    N = spec.N
    J = np.zeros((N, N), dtype=np.float64)
    scale = 1.0 / np.sqrt(N)
    for start in range(0, spec.M, MODE_CHUNK):
        d = spec.D[start : start + MODE_CHUNK]
        Lt = rng_left.standard_normal((d.size, N)) * scale
        Rt = rng_right.standard_normal((d.size, N)) * scale
        J += (Lt.T * d) @ Rt
    return J.astype(dtype, copy=False)


def iid_matrix(N: int, g: float, rng: np.random.Generator, dtype=np.float64) -> np.ndarray:
    """J_ij ~ N(0, g^2/N) i.i.d. (the alpha PR^D -> infinity limit at g_eff = g)."""
    return (rng.standard_normal((N, N)) * (g / np.sqrt(N))).astype(dtype, copy=False)


# ---- structured variants: overlaps, partial symmetry, gains (PRX Sec. VII, App. H, Sec. VI) -------


def sigmoidal_overlaps(D, N: int, gamma: float, beta: float = 16.0) -> tuple[np.ndarray, float]:
    """Right-left overlaps rho_a = gamma tanh((beta/2)(u_flip - a/N)) (PRX K35), a = 1..M.

    u_flip is the root in (0, alpha) of sum_a D_a rho_a(u) = 0 (mean autapse <J_ii> = alpha <D rho> = 0);
    gamma = 0 gives rho = 0 and u_flip = alpha / 2.  Returns (rho, u_flip).
    """
    D = np.asarray(D, dtype=np.float64)
    if not -1.0 <= gamma <= 1.0:
        raise ValueError(f"overlap amplitude gamma_rho must lie in [-1, 1], got {gamma!r}")
    M = D.size
    a = np.arange(1, M + 1) / N
    alpha = M / N
    if gamma == 0.0:
        return np.zeros(M), alpha / 2.0

    def mean_drho(u):
        return float(np.sum(D * np.tanh(0.5 * beta * (u - a))))

    u = float(brentq(mean_drho, 0.0, alpha, xtol=1e-14))
    return gamma * np.tanh(0.5 * beta * (u - a)), u


def rmm_overlap_matrix(
    spec: ModeSpectrum,
    rho,
    rng_left: np.random.Generator,
    rng_right: np.random.Generator,
    rng_shared: np.random.Generator,
    dtype=np.float64,
) -> np.ndarray:
    """J = L diag(D) R^T with per-mode right-left overlaps rho_a (PRX Sec. VII;
    docs/models/clark2025.md#right-left-overlaps):

    L_ia = sqrt(1 - |rho_a|) X1_ia + sqrt(|rho_a|) Y_ia,  R_ia = sqrt(1 - |rho_a|) X2_ia + sgn(rho_a) sqrt(|rho_a|) Y_ia,

    X1, X2, Y i.i.d. N(0, 1/N), so l_a^T r_a = rho_a + O(N^-1/2) and modes stay independent.  Drawn in
    mode chunks like :func:`rmm_matrix`; with rho = 0 the result equals :func:`rmm_matrix` with the same
    left/right generators (the shared stream is then still consumed, so it must be its own stream).
    """
    rho = np.asarray(rho, dtype=np.float64)
    if rho.shape != spec.D.shape:
        raise ValueError(f"rho must have one entry per mode ({spec.M}), got shape {rho.shape}")
    if np.any(np.abs(rho) > 1.0):
        raise ValueError("every overlap rho_a must lie in [-1, 1]")
    N = spec.N
    J = np.zeros((N, N), dtype=np.float64)
    scale = 1.0 / np.sqrt(N)
    for start in range(0, spec.M, MODE_CHUNK):
        sl = slice(start, start + MODE_CHUNK)
        d, r = spec.D[sl], rho[sl]
        X1 = rng_left.standard_normal((d.size, N)) * scale
        X2 = rng_right.standard_normal((d.size, N)) * scale
        Y = rng_shared.standard_normal((d.size, N)) * scale
        keep, share = np.sqrt(1.0 - np.abs(r))[:, None], np.sqrt(np.abs(r))[:, None]
        Lt = keep * X1 + share * Y
        Rt = keep * X2 + np.sign(r)[:, None] * share * Y
        J += (Lt.T * d) @ Rt
    return J.astype(dtype, copy=False)


def partially_symmetric_matrix(N: int, g: float, rho: float, rng: np.random.Generator, dtype=np.float64) -> np.ndarray:
    """<J_ij J_kl> = (g^2/N) delta_ik delta_jl + (g^2 rho/N) delta_il delta_jk (PRL; PRX H2):
    J = sqrt(g^2 - |s|) X + sqrt(|s|/2) (Y + sgn(s) Y^T), s = rho g^2, X, Y i.i.d. N(0, 1/N)."""
    if not -1.0 <= rho <= 1.0:
        raise ValueError(f"symmetry parameter rho must lie in [-1, 1], got {rho!r}")
    s = rho * g * g
    X = rng.standard_normal((N, N)) / np.sqrt(N)
    Y = rng.standard_normal((N, N)) / np.sqrt(N)
    J = np.sqrt(g * g - abs(s)) * X + np.sqrt(abs(s) / 2.0) * (Y + np.sign(s) * Y.T)
    return J.astype(dtype, copy=False)


def exponential_gains(N: int, pr_g: float) -> np.ndarray:
    """Neuron gains G_i ~ exp(-beta_G i/N), tanh(beta_G)/beta_G = PR^G, normalised to (1/N) sum G^2 = 1
    (PRX Sec. VI; the normalisation is [RECON] clark.gains.normalisation)."""
    beta = exponential_beta(pr_g)
    G = np.exp(-beta * np.arange(1, N + 1) / N)
    return G / np.sqrt(np.mean(G**2))
