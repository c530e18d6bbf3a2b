"""DMFT of the erf rate network and the random-mode dimension formula (PRX App. M, Eqs. (38), (I22);
docs/models/clark2025.md#theory).

Single site (i.i.d. couplings, g; for the random-mode model g = g_eff, PRX 36-37): x is Gaussian with
variance q0 = C^x(0), and with phi(x) = erf(sqrt(pi) x / 2), A = q0 + 2/pi:

    C^phi(c) = (2/pi) arcsin(c / A),   <phi'> = 1 / sqrt(1 + pi q0 / 2),
    d^2 C^x / d tau^2 = C^x - g^2 C^phi(C^x) = -dV/dC^x,
    V(c; q0) = -c^2/2 + g^2 [(2/pi) sqrt(A^2 - c^2) + c C^phi(c)]      (PRX M2),

q0 from V(q0; q0) = V(0; q0) (non-trivial root, g > 1).  C^x(tau) is integrated from (q0, 0) with a
high-order adaptive integrator; the separatrix solution is unstable, so once C^x stops decreasing or
turns negative it is set to 0.

Four-point functions in the PRX Fourier convention with the discrete recipe of
docs/models/clark2025.md#fourier-convention (even periodic extension, C(w_k) = dtau Re DFT, sums over
(w1, w2) divided by (n dtau)^2), a12 = g^2 S^phi_1 S^phi_2, S^phi = <phi'>/(1 + i w), S^x = 1/(1 + i w):

    Psi^phi(0,0) = I0 + I1 / E,   I0 = sum C^phi_12 / |1 - a12|^2,   I1 = sum |a12|^2 C^phi_12 / |1 - a12|^2
    Psi^phi(tau, 0) = P0(tau) + P1(tau) / E  (inverse DFT over w1 of the row sums over w2),
    Psi^x(0,0)   = J0 + J1 / E,   J0 = sum [C^x_12 + |U|^2 C^phi_12 + 2 Re(U C^{x phi}_12)],
                                  J1 = sum |U|^2 C^phi_12,  U = g^2 S^x_12 / (1 - a12),
                                  C^{x phi}(w) = <phi'> C^x(w)                        (PRX 38, I22)

with E = alpha PR^D the effective rank, so PR^a(g, E) = C^a(0)^2 / (I0^a + I1^a / E) for every E at
the cost of one 2-D sum per g.  E -> inf gives the i.i.d. result; the low-rank constant
K^a(g) = C^a(0)^2 / I1^a gives PR^a ~ K^a E for E -> 0 (PRX Sec. V; docs/models/clark2025.md#limits).

phi = tanh (PRL, keyword ``phi="tanh"``): the same ODE with C^phi(c) = E[tanh x1 tanh x2] (x Gaussian,
variances q0, covariance c), potential V(c) = -c^2/2 + g^2 Cov[ln cosh x1, ln cosh x2] (Price: its
c-derivative is C^phi) and <phi'> = E[sech^2 x] (PRL).  The two-dimensional Gaussian integrals
C^phi(c) = int Dz [int Dy tanh(sqrt(q0 - c) y + sqrt(c) z)]^2 are done by nested Gauss quadrature
(:func:`tanh_c_phi`); plain Gauss-Hermite is inaccurate once sqrt(q0) >> 1 (tanh -> sign, 3 % error at
q0 = 300 with 200 nodes), so the inner integral uses Gauss-Hermite only for sqrt(q0 - c) <= 1 and else
splits tanh = sign + r (r localised near 0, exact erf for the sign part), and the outer (even)
integral is composite Gauss-Legendre on geometric panels resolving both the O(1) scale of tanh and
the sqrt(c) scale of the Gaussian.  For the ODE, C^phi(c) is tabulated once per g on Chebyshev nodes
of [0, q0] and interpolated (:class:`TanhKernel`).

PRL quantities (PRL Eqs. 3-4): psi^phi(w1, w2) = (1/|1 - a12|^2 - 1) C^phi_12 and
psi^x = Psi^x - C^x_12 on the full 2-D frequency grid and their time-domain versions by inverse 2-D
DFT / dtau^2 (:func:`psi_grid`); psi^RMS(tau) = sqrt(psi^phi(tau, tau)); the PRL Fig. 5 decomposition
psi^phi = cavity + direct + reverberation with cavity = |a|^2 (C_12 + psi), direct = 2 Re(a) C_12,
reverberation = 2 Re(a^2/(1 - a)) C_12 (sums to psi exactly); and the large-g ("Ising") limit
(:func:`ising_single_site`): C-bar = C^x/g^2 with C-bar'' = C-bar - (2/pi) arcsin(C-bar/C-bar(0)),
C-bar(0) = 2(1 - 2/pi), nu = g^2 <phi'>^2 -> 1/(pi - 2), the same for erf and tanh.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.polynomial import chebyshev as _cheb
from scipy.integrate import solve_ivp
from scipy.optimize import brentq
from scipy.special import erf

from rnnstruct.numerics.phi import PHIS  # noqa: F401  (the nonlinearities the DMFT solves)
from rnnstruct.numerics.phi import check as check_phi
from rnnstruct.numerics.quadrature import gauss_hermite

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
    phi: str = "erf"

    @property
    def n(self) -> int:
        return int(self.omega.size)


def _even_dft(c: np.ndarray, dtau: float) -> np.ndarray:
    full = np.concatenate([c, c[-2:0:-1]])
    return dtau * np.fft.fft(full).real


def _integrate_c_x(rhs, q0: float, tau: np.ndarray, rtol: float = 1e-12, atol: float = 1e-14) -> np.ndarray:
    sol = solve_ivp(rhs, (0.0, tau[-1]), [q0, 0.0], method="DOP853", t_eval=tau, rtol=rtol, atol=atol)
    c = sol.y[0].copy()
    dc = sol.y[1]
    bad = np.nonzero((c < 0) | np.r_[False, dc[1:] > 0])[0]
    if bad.size:
        c[bad[0] :] = 0.0
    return c


def _site(g, q0, slope, tau, c, c_phi, dtau, phi) -> SingleSite:
    n_tau = tau.size
    return SingleSite(
        g=float(g),
        q0=float(q0),
        mean_slope=float(slope),
        tau=tau,
        c_x=c,
        c_phi=c_phi,
        omega=2.0 * math.pi * np.fft.fftfreq(2 * n_tau - 2, dtau),
        c_x_w=_even_dft(c, dtau),
        c_phi_w=_even_dft(c_phi, dtau),
        dtau=dtau,
        phi=phi,
    )


def single_site(g: float, tau_max: float = 100.0, dtau: float = 0.1, phi: str = "erf") -> SingleSite:
    """C^x(tau), C^phi(tau) on [0, tau_max] and their spectra for the erf (PRX) or tanh (PRL) network
    at coupling g > 1."""
    check_phi(phi)
    if g <= 1.0:
        raise ValueError(f"the chaotic DMFT solution needs g > 1, got {g}")
    n_tau = int(round(tau_max / dtau)) + 1
    tau = np.arange(n_tau) * dtau
    if phi == "erf":
        q0 = erf_q0(g)
        kernel = lambda c: erf_c_phi(c, q0)  # noqa: E731
        slope = erf_mean_slope(q0)
        tol = (1e-12, 1e-14)
    else:
        q0 = tanh_q0(g)
        kernel = TanhKernel(q0)
        slope = tanh_mean_slope(q0)
        tol = (1e-11, 1e-13 * max(q0, 1e-3))

    def rhs(_, y):
        return [y[1], y[0] - g * g * kernel(y[0])]

    c = _integrate_c_x(rhs, q0, tau, *tol)
    return _site(g, q0, slope, tau, c, np.asarray(kernel(c), dtype=np.float64), dtau, phi)


# ---- tanh: Gaussian quadratures (PRL; docs/models/clark2025.md#single-site-dmft) -----------------

_GL_X, _GL_W = np.polynomial.legendre.leggauss(24)
_GH_X, _GH_W = gauss_hermite(100)
_LOG2 = math.log(2.0)


def _panels(length: float) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss-Legendre nodes and weights on [0, length], geometric panels 1/16, 1/8, ..."""
    edges = [0.0] + [e for e in 2.0 ** np.arange(-4, 40) if e < length] + [length]
    a, b = np.array(edges[:-1]), np.array(edges[1:])
    half = 0.5 * (b - a)
    x = (0.5 * (a + b))[:, None] + half[:, None] * _GL_X[None, :]
    w = half[:, None] * _GL_W[None, :]
    return x.ravel(), w.ravel()


def gauss_even(f, q: float) -> float:
    """E[f(x)] for x ~ N(0, q) and an even function f (composite Gauss-Legendre on the half line)."""
    if q <= 0.0:
        return float(f(np.zeros(1))[0])
    s = math.sqrt(q)
    x, w = _panels(12.0 * s)
    return float(2.0 * np.sum(w * f(x) * np.exp(-0.5 * x * x / q)) / (s * math.sqrt(2.0 * math.pi)))


def _log_cosh(x):
    x = np.abs(x)
    return x + np.log1p(np.exp(-2.0 * x)) - _LOG2


_R_X, _R_W = _panels(20.0)
_R_VAL = np.tanh(_R_X) - 1.0  # r(u) = tanh(u) - sign(u) on u > 0 (odd; |r| <= 2 exp(-2u))


def tanh_smoothed(v, a: float) -> np.ndarray:
    """m(v) = E_y[tanh(v + a y)], y ~ N(0, 1): Gauss-Hermite for a <= 1, else sign + r split."""
    v = np.asarray(v, dtype=np.float64)
    if a <= 1.0:
        return np.tanh(v[..., None] + a * _GH_X).dot(_GH_W)
    base = erf(v / (a * math.sqrt(2.0)))
    k = lambda d: np.exp(-0.5 * (d / a) ** 2)  # noqa: E731
    corr = (k(_R_X - v[..., None]) - k(_R_X + v[..., None])).dot(_R_W * _R_VAL) / (a * math.sqrt(2.0 * math.pi))
    return base + corr


def tanh_c_phi(c: float, q0: float) -> float:
    """C^phi(c) = int Dz [int Dy tanh(sqrt(q0 - |c|) y + sqrt(|c|) z)]^2 sgn(c), |c| <= q0 (odd in c)."""
    ac = min(abs(float(c)), q0)
    if ac == 0.0:
        return 0.0
    a = math.sqrt(max(q0 - ac, 0.0))
    return math.copysign(gauss_even(lambda v: tanh_smoothed(v, a) ** 2, ac), c)


def tanh_mean_slope(q0: float) -> float:
    """<phi'(x)> = E[sech^2 x], x ~ N(0, q0)."""
    return gauss_even(lambda x: 1.0 / np.cosh(np.minimum(np.abs(x), 350.0)) ** 2, q0)


def tanh_energy_gap(q: float, g: float) -> float:
    """V(q; q) - V(0; q) = -q^2/2 + g^2 Var[ln cosh x], x ~ N(0, q) (Price's theorem;
    docs/models/clark2025.md#single-site-dmft)."""
    m1 = gauss_even(_log_cosh, q)
    m2 = gauss_even(lambda x: _log_cosh(x) ** 2, q)
    return -0.5 * q * q + g * g * (m2 - m1 * m1)


def tanh_q0(g: float) -> float:
    """Non-trivial root of the tanh energy condition (same bracketing as :func:`erf_q0`)."""
    if g <= 1.0:
        return 0.0
    grid = np.geomspace(1e-7, 10.0 * g * g + 10.0, 500)
    vals = np.array([tanh_energy_gap(q, g) for q in grid])
    idx = np.nonzero((vals[:-1] > 0) & (vals[1:] <= 0))[0]
    if idx.size == 0:
        raise ArithmeticError(f"no non-trivial q0 found for g = {g} (tanh)")
    i = idx[-1]
    return float(brentq(tanh_energy_gap, grid[i], grid[i + 1], args=(g,), xtol=1e-14 * grid[i], rtol=1e-13))


class TanhKernel:
    """C^phi(c) of the tanh network for |c| <= q0, Chebyshev interpolant on [0, q0] (odd extension).

    ``potential(c, g)`` = V(c; q0) = -c^2/2 + g^2 [Phi(0) + int_0^c C^phi], Phi(0) = (E ln cosh x)^2."""

    def __init__(self, q0: float, degree: int = 96):
        self.q0 = float(q0)
        k = np.arange(degree + 1)
        nodes = 0.5 * self.q0 * (1.0 - np.cos(math.pi * k / degree))
        vals = np.array([tanh_c_phi(c, self.q0) for c in nodes])
        self.cheb = _cheb.Chebyshev.fit(nodes, vals, degree, domain=[0.0, self.q0])
        self.anti = self.cheb.integ(lbnd=0.0)
        self.phi0 = gauss_even(_log_cosh, self.q0) ** 2

    def __call__(self, c):
        c = np.asarray(c, dtype=np.float64)
        ac = np.clip(np.abs(c), 0.0, self.q0)
        return np.sign(c) * self.cheb(ac)

    def potential(self, c, g: float):
        c = np.asarray(c, dtype=np.float64)
        ac = np.clip(np.abs(c), 0.0, self.q0)
        return -0.5 * c * c + g * g * (self.phi0 + self.anti(ac))


# ---- large-g (Ising) limit (PRL; docs/models/clark2025.md#limits) --------------------------------

ISING_C0 = 2.0 * (1.0 - 2.0 / math.pi)
ISING_NU = 1.0 / (math.pi - 2.0)


def ising_single_site(tau_max: float = 100.0, dtau: float = 0.1) -> SingleSite:
    """Large-g limit as a single-site solution with g = 1: c_x = C-bar = C^x / g^2,
    c_phi = (2/pi) arcsin(C-bar / C-bar(0)), mean_slope = sqrt(nu) so that a12 = nu S^x_1 S^x_2."""
    n_tau = int(round(tau_max / dtau)) + 1
    tau = np.arange(n_tau) * dtau

    def kern(c):
        return TWO_PI * np.arcsin(np.clip(np.asarray(c) / ISING_C0, -1.0, 1.0))

    def rhs(_, y):
        return [y[1], y[0] - kern(y[0])]

    c = _integrate_c_x(rhs, ISING_C0, tau)
    return _site(1.0, ISING_C0, math.sqrt(ISING_NU), tau, c, kern(c), dtau, "sign")


def ising_limits(tau_max: float = 100.0, dtau: float = 0.1) -> dict:
    """Asymptotic PR^x and PR^phi for g -> inf (dashed lines of PRL Fig. 2a)."""
    ss = ising_single_site(tau_max, dtau)
    s = four_point_sums(ss)
    return {"pr_x": float(ss.c_x[0] ** 2 / s["J0"]), "pr_phi": float(ss.c_phi[0] ** 2 / s["I0"])}


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


def dimension_theory(g: float, tau_max: float = 100.0, dtau: float = 0.1, phi: str = "erf") -> DimensionTheory:
    """PRX 38 / I22 ingredients at g_eff = g (erf network; tanh with ``phi="tanh"``)."""
    ss = single_site(g, tau_max, dtau, phi)
    return DimensionTheory(g=float(g), c_phi0=float(ss.c_phi[0]), c_x0=float(ss.c_x[0]), sums=four_point_sums(ss))


# ---- PRL: four-point functions on the 2-D lag grid (docs/models/clark2025.md#four-point-functions)

PSI_PARTS = ("cavity", "direct", "reverberation")


def psi_frequency(ss: SingleSite) -> dict:
    """psi^phi, psi^x and the three parts of psi^phi on the full (w1, w2) grid (real arrays)."""
    g2 = ss.g**2
    s_x = 1.0 / (1.0 + 1j * ss.omega)
    sx12 = s_x[:, None] * s_x[None, :]
    a = g2 * ss.mean_slope**2 * sx12
    one_minus = 1.0 - a
    cp12 = ss.c_phi_w[:, None] * ss.c_phi_w[None, :]
    cx12 = ss.c_x_w[:, None] * ss.c_x_w[None, :]
    psi_phi = (1.0 / np.abs(one_minus) ** 2 - 1.0) * cp12
    U = g2 * sx12 / one_minus
    psi_x = np.abs(U) ** 2 * cp12 + 2.0 * (U * (ss.mean_slope**2 * cx12)).real
    return {
        "psi_phi": psi_phi,
        "psi_x": psi_x,
        "cavity": np.abs(a) ** 2 * (cp12 + psi_phi),
        "direct": 2.0 * a.real * cp12,
        "reverberation": 2.0 * (a * a / one_minus).real * cp12,
    }


def to_lag_domain(F: np.ndarray, dtau: float) -> np.ndarray:
    """Inverse 2-D DFT / dtau^2 (docs/models/clark2025.md#fourier-convention): F(w1, w2) -> F(tau1, tau2)
    on the periodic lag grid."""
    return np.fft.ifft2(F).real / dtau**2


def psi_grid(ss: SingleSite, max_lag: float, lag_step: float = 1.0, parts: bool = True) -> dict:
    """psi^phi(tau1, tau2), psi^x(tau1, tau2) (and, with ``parts``, the cavity/direct/reverberation
    parts of psi^phi) on the lags -max_lag..max_lag in steps of ``lag_step`` (a multiple of dtau), and
    along the diagonal tau1 = tau2 on every lag of the single-site grid up to max_lag.
    Returns arrays plus ``lags`` and ``diag_lags``."""
    stride = int(round(lag_step / ss.dtau))
    if stride < 1 or abs(stride * ss.dtau - lag_step) > 1e-9 * lag_step:
        raise ValueError(f"lag_step = {lag_step} must be a multiple of dtau = {ss.dtau}")
    k_max = int(round(max_lag / ss.dtau))
    if 2 * k_max >= ss.n // 2:
        raise ValueError(f"max_lag = {max_lag} needs tau_max > 2 max_lag (grid period {ss.n * ss.dtau})")
    idx = np.unique(np.r_[-np.arange(0, k_max + 1, stride), np.arange(0, k_max + 1, stride)])
    diag = np.arange(-k_max, k_max + 1)
    out = {"lags": idx * ss.dtau, "diag_lags": diag * ss.dtau}
    freq = psi_frequency(ss)
    names = ("psi_phi", "psi_x") + (PSI_PARTS if parts else ())
    for name in names:
        T = to_lag_domain(freq.pop(name), ss.dtau)
        out[name] = T[np.ix_(idx % ss.n, idx % ss.n)]
        out[f"{name}_diag"] = T[diag % ss.n, diag % ss.n]
    return out
