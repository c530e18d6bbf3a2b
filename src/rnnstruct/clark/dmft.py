"""DMFT of the erf rate network and the random-mode dimension formula (spec §4.0-4.4).

Single site (i.i.d. couplings, g; for the random-mode model g = g_eff, PRX 36-37): x is Gaussian with
variance q0 = C^x(0), and with phi(x) = erf(sqrt(pi) x / 2), A = q0 + 2/pi:

    C^phi(c) = (2/pi) arcsin(c / A),   <phi'> = 1 / sqrt(1 + pi q0 / 2),
    d^2 C^x / d tau^2 = C^x - g^2 C^phi(C^x) = -dV/dC^x,
    V(c; q0) = -c^2/2 + g^2 [(2/pi) sqrt(A^2 - c^2) + c C^phi(c)]      (PRX M2),

q0 from V(q0; q0) = V(0; q0) (non-trivial root, g > 1).  C^x(tau) is integrated from (q0, 0) with a
high-order adaptive integrator; the separatrix solution is unstable, so once C^x stops decreasing or
turns negative it is set to 0.

Four-point functions in the PRX Fourier convention with the discrete recipe of spec §4.0 (even
periodic extension, C(w_k) = dtau Re DFT, sums over (w1, w2) divided by (n dtau)^2),
a12 = g^2 S^phi_1 S^phi_2, S^phi = <phi'>/(1 + i w), S^x = 1/(1 + i w):

    Psi^phi(0,0) = I0 + I1 / E,   I0 = sum C^phi_12 / |1 - a12|^2,   I1 = sum |a12|^2 C^phi_12 / |1 - a12|^2
    Psi^phi(tau, 0) = P0(tau) + P1(tau) / E  (inverse DFT over w1 of the row sums over w2),
    Psi^x(0,0)   = J0 + J1 / E,   J0 = sum [C^x_12 + |U|^2 C^phi_12 + 2 Re(U C^{x phi}_12)],
                                  J1 = sum |U|^2 C^phi_12,  U = g^2 S^x_12 / (1 - a12),
                                  C^{x phi}(w) = <phi'> C^x(w)                        (PRX 38, I22)

with E = alpha PR^D the effective rank, so PR^a(g, E) = C^a(0)^2 / (I0^a + I1^a / E) for every E at
the cost of one 2-D sum per g.  E -> inf gives the i.i.d. result; the low-rank constant
K^a(g) = C^a(0)^2 / I1^a gives PR^a ~ K^a E for E -> 0 (spec §4.4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

TWO_PI = 2.0 / math.pi


def erf_c_phi(c, q0: float):
    """C^phi as a function of C^x = c for the erf nonlinearity: (2/pi) arcsin(c / (q0 + 2/pi))."""
    return TWO_PI * np.arcsin(np.asarray(c) / (q0 + TWO_PI))


def erf_mean_slope(q0: float) -> float:
    """<phi'(x)> for x ~ N(0, q0): 1 / sqrt(1 + pi q0 / 2)."""
    return 1.0 / math.sqrt(1.0 + math.pi * q0 / 2.0)


def erf_potential(c, q0: float, g: float):
    """V(c; q0) of PRX M2 (erf closed form)."""
    A = q0 + TWO_PI
    c = np.asarray(c, dtype=np.float64)
    return -0.5 * c * c + g * g * (TWO_PI * np.sqrt(A * A - c * c) + c * erf_c_phi(c, q0))


def erf_q0(g: float) -> float:
    """Variance q0 = C^x(0) of the chaotic state (g > 1) from V(q0; q0) = V(0; q0).

    q0 = 0 is always a root: the non-trivial one is bracketed by the last + -> - sign change on a
    log grid up to 10 g^2 + 10 and refined with brentq.
    """
    if g <= 1.0:
        return 0.0

    def gap(q):
        return float(erf_potential(q, q, g) - erf_potential(0.0, q, g))

    grid = np.geomspace(1e-8, 10.0 * g * g + 10.0, 4000)
    vals = np.array([gap(q) for q in grid])
    idx = np.nonzero((vals[:-1] > 0) & (vals[1:] <= 0))[0]
    if idx.size == 0:
        raise ArithmeticError(f"no non-trivial q0 found for g = {g}")
    i = idx[-1]
    return float(brentq(gap, grid[i], grid[i + 1], xtol=1e-15, rtol=4 * np.finfo(float).eps))


@dataclass(frozen=True)
class SingleSite:
    """Single-site DMFT solution on a tau grid and its discrete spectra."""

    g: float
    q0: float
    mean_slope: float
    tau: np.ndarray
    c_x: np.ndarray
    c_phi: np.ndarray
    omega: np.ndarray
    c_x_w: np.ndarray
    c_phi_w: np.ndarray
    dtau: float

    @property
    def n(self) -> int:
        return int(self.omega.size)


def _even_dft(c: np.ndarray, dtau: float) -> np.ndarray:
    full = np.concatenate([c, c[-2:0:-1]])
    return dtau * np.fft.fft(full).real


def single_site(g: float, tau_max: float = 100.0, dtau: float = 0.1) -> SingleSite:
    """C^x(tau), C^phi(tau) on [0, tau_max] and their spectra for the erf network at coupling g > 1."""
    if g <= 1.0:
        raise ValueError(f"the chaotic DMFT solution needs g > 1, got {g}")
    q0 = erf_q0(g)
    n_tau = int(round(tau_max / dtau)) + 1
    tau = np.arange(n_tau) * dtau

    def rhs(_, y):
        return [y[1], y[0] - g * g * erf_c_phi(y[0], q0)]

    sol = solve_ivp(rhs, (0.0, tau[-1]), [q0, 0.0], method="DOP853", t_eval=tau, rtol=1e-12, atol=1e-14)
    c = sol.y[0].copy()
    dc = sol.y[1]
    bad = np.nonzero((c < 0) | np.r_[False, dc[1:] > 0])[0]
    if bad.size:
        c[bad[0] :] = 0.0
    c_phi = erf_c_phi(c, q0)
    omega = 2.0 * math.pi * np.fft.fftfreq(2 * n_tau - 2, dtau)
    return SingleSite(
        g=float(g),
        q0=q0,
        mean_slope=erf_mean_slope(q0),
        tau=tau,
        c_x=c,
        c_phi=c_phi,
        omega=omega,
        c_x_w=_even_dft(c, dtau),
        c_phi_w=_even_dft(c_phi, dtau),
        dtau=dtau,
    )


def four_point_sums(ss: SingleSite, row_chunk: int = 256) -> dict:
    """I0, I1 (phi) and J0, J1 (x) of the module docstring for one single-site solution."""
    g2 = ss.g**2
    s_phi = ss.mean_slope / (1.0 + 1j * ss.omega)
    s_x = 1.0 / (1.0 + 1j * ss.omega)
    cp, cx = ss.c_phi_w, ss.c_x_w
    cxp = ss.mean_slope * cx
    out = dict(I0=0.0, I1=0.0, J0=0.0, J1=0.0)
    rows0 = np.empty(ss.n)
    rows1 = np.empty(ss.n)
    for start in range(0, ss.n, row_chunk):
        sl = slice(start, start + row_chunk)
        a = g2 * s_phi[sl, None] * s_phi[None, :]
        inv = 1.0 / np.abs(1.0 - a) ** 2
        c12 = cp[sl, None] * cp[None, :]
        U = g2 * s_x[sl, None] * s_x[None, :] / (1.0 - a)
        u2c = np.abs(U) ** 2 * c12
        r0 = np.sum(c12 * inv, axis=1)
        r1 = np.sum(np.abs(a) ** 2 * c12 * inv, axis=1)
        rows0[sl], rows1[sl] = r0, r1
        out["I0"] += float(r0.sum())
        out["I1"] += float(r1.sum())
        out["J0"] += float(np.sum(cx[sl, None] * cx[None, :] + u2c + 2.0 * (U * (cxp[sl, None] * cxp[None, :])).real))
        out["J1"] += float(np.sum(u2c))
    norm = (ss.n * ss.dtau) ** 2
    out = {k: v / norm for k, v in out.items()}
    # Psi^phi(tau, 0) = P0(tau) + P1(tau) / E: inverse DFT over w1 of the row sums over w2, / (n dtau^2)
    n_tau = ss.tau.size
    out["P0"] = (np.fft.ifft(rows0).real / (ss.n * ss.dtau**2))[:n_tau]
    out["P1"] = (np.fft.ifft(rows1).real / (ss.n * ss.dtau**2))[:n_tau]
    return out


@dataclass(frozen=True)
class DimensionTheory:
    """PR^phi and PR^x of the random-mode model at one g_eff, for any effective rank."""

    g: float
    c_phi0: float
    c_x0: float
    sums: dict

    def psi_tau0(self, eff_rank) -> np.ndarray:
        """Psi^phi(tau, 0) on the single-site tau grid (PRX 38 transformed back over w1)."""
        return self.sums["P0"] + self.sums["P1"] / float(eff_rank)

    def pr_phi(self, eff_rank):
        e = np.asarray(eff_rank, dtype=np.float64)
        return self.c_phi0**2 / (self.sums["I0"] + self.sums["I1"] / e)

    def pr_x(self, eff_rank):
        e = np.asarray(eff_rank, dtype=np.float64)
        return self.c_x0**2 / (self.sums["J0"] + self.sums["J1"] / e)

    @property
    def pr_phi_iid(self) -> float:
        return self.c_phi0**2 / self.sums["I0"]

    @property
    def pr_x_iid(self) -> float:
        return self.c_x0**2 / self.sums["J0"]

    @property
    def k_phi(self) -> float:
        return self.c_phi0**2 / self.sums["I1"]

    @property
    def k_x(self) -> float:
        return self.c_x0**2 / self.sums["J1"]


def dimension_theory(g: float, tau_max: float = 100.0, dtau: float = 0.1) -> DimensionTheory:
    """PRX 38 / I22 ingredients at g_eff = g (erf network)."""
    ss = single_site(g, tau_max, dtau)
    return DimensionTheory(g=float(g), c_phi0=float(ss.c_phi[0]), c_x0=float(ss.c_x[0]), sums=four_point_sums(ss))
