"""Sampled DMFT of a single site with self-coupling (PRX App. K/M, PRL Eq. 18).

Single-site process (non-Gaussian once R != 0):

    (1 + d/dt) x = eta(t) + int_{-inf}^{t} R(t - t') phi(x(t')) dt',   eta ~ GP(0, Q),

with a noise spectrum Q(w) and a causal self-coupling kernel R(w) that depend on the self-consistent
C^phi(w) and S^phi(w):

* structured right-left overlaps (PRX 47-50): Q = alpha <D^2 / |1 - D rho S|^2> C^phi,
  R = alpha <D rho / (1 - D rho S)>  (<.> = mean over modes), :class:`OverlapKernel`;
* partially symmetric i.i.d. couplings (PRX App. H, PRL): Q = g^2 C^phi, R = sigma S^phi,
  sigma = rho g^2, :class:`SymmetricKernel`.

Algorithm (PRX App. M; docs/models/clark2025.md#sampled-dmft) on a periodic grid of n = L/dtau points,
vectorised over paths:

1. warm start [RECON] (``warm_start``; False: the paper's seed): the Gaussian (R = 0) DMFT at the noise gain g^2 = Q/C^phi of rho = 0, solved
   deterministically (Gauss-Hermite C^phi(C^x) map iterated to a fixed point; closed form for erf),
   S^phi = <phi'>/(1 + i w) (the paper seeds C^phi = exp(-(tau/15)^2), S^phi = 0 and needs 300
   iterations; the warm start lets a few tens of iterations resolve the overlap correction);
2. each iteration: Q, R from the current C^phi, S^phi; n_paths Gaussian paths eta by spectral
   synthesis (periodic), split x = h * eta + y with h * eta done exactly in frequency space
   (h(w) = 1/(1 + i w)) and the feedback part y stepped by exponential Euler
   y_{k+1} = e^{-dtau} y_k + (1 - e^{-dtau}) dtau sum_{m=0}^{K} R_m phi_{k-m} with the kernel
   truncated at K dtau = kernel_cut, after a burn-in (the periodic eta wrapped around);
3. new C^phi(w) = dtau <|phi-hat|^2>/n; new S^phi(w) = C^{phi eta}(w)/Q(w) (Furutsu-Novikov), both
   with the control variate x_eta = h * eta whose spectra |x_eta-hat|^2 and x_eta-hat eta-hat^* have known
   means [RECON] (regression estimator per frequency; removes the sampling noise of the linear part),
   projected onto the lag window [-s_window_neg, kernel_cut] [RECON] (S^phi is causal; the short
   negative part keeps the Gibbs tail of the discrete 1/(1 + i w)) to cut sampling noise;
4. damped update C <- (1 - mix) C_old + mix C_new (same for S), final = mean of the last n_avg iterates.

"No condensed mode" (PRX Sec. VII): the margin min_{a,w} |1 - D_a rho_a S^phi(w)| (overlaps) or
min_w |1 - sigma |S^phi(w)|^2| (symmetric) is monitored every iteration; below ``margin_min`` (or on a
non-finite path) the point is flagged ``condensed`` and its four-point results are NaN.

Four-point functions in the PRX Fourier convention (products without complex conjugates
unless written): PRX 51 (:func:`psi_overlaps`; rho = 0 gives PRX 38) and PRX H19 = PRL 18
(:func:`psi_symmetric`; rho = 0 gives the i.i.d. formula); mode averages are separable in (w1, w2),
so each is one matrix product over modes.  PR = C^phi(0)^2 / Psi^phi(0, 0); psi^phi(tau, tau) =
Psi^phi(tau, tau) - C^phi(tau)^2 from the inverse 2-D DFT.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np

from rnnstruct.clark import dmft
from rnnstruct.numerics.phi import PHIS, phi_function
from rnnstruct.numerics.quadrature import gauss_hermite

_GH_X, _GH_W = gauss_hermite(48)  # E f(z), z ~ N(0, 1)
_GH_X_FINE, _GH_W_FINE = gauss_hermite(240)
_GH_TABLE = 257  # nodes of the tabulated Gauss-Hermite C^phi(c) map (non-erf nonlinearities)


# ---- Gaussian single site (warm start) ------------------------------------------------------------


def gauss_c_phi(phi: str, c, q0: float) -> np.ndarray:
    """C^phi = E[phi(x) phi(x')] for jointly Gaussian x, x' with variance q0 and covariance c (erf: closed
    form; otherwise 48 x 48 Gauss-Hermite nodes, ~0.2 % accurate for tanh at q0 ~ 5 -- it only seeds the
    sampled iterations, which do not use it)."""
    c = np.asarray(c, dtype=np.float64)
    if phi == "erf":
        return dmft.erf_c_phi(c, q0)
    f = phi_function(phi)
    if c.size > _GH_TABLE:
        # tabulate on |c| in [0, q0] and interpolate (the map is smooth in c)
        nodes = np.linspace(0.0, q0, _GH_TABLE)
        return np.sign(c) * np.interp(np.abs(c), nodes, gauss_c_phi(phi, nodes, q0))
    a = np.clip(np.abs(c), 0.0, q0)
    inner = np.sqrt(q0 - a)[:, None, None] * _GH_X[None, None, :] + np.sqrt(a)[:, None, None] * _GH_X[None, :, None]
    m = np.tensordot(f(inner), _GH_W, axes=([2], [0]))  # (n_c, n_z): E_y phi
    return np.sign(c) * ((m * m) @ _GH_W)


def gauss_mean_slope(phi: str, q0: float) -> float:
    """<phi'(x)>, x ~ N(0, q0)."""
    if phi == "erf":
        return dmft.erf_mean_slope(q0)
    if phi == "tanh":  # sech^2(sqrt(q0) z) has poles at distance pi/(2 sqrt(q0)): 48 nodes are 0.4 % off at q0 ~ 5
        return float(np.sum(_GH_W_FINE / np.cosh(math.sqrt(q0) * _GH_X_FINE) ** 2))
    raise ValueError(f"phi must be one of {PHIS}, got {phi!r}")


@dataclass(frozen=True)
class Grid:
    """Periodic grid of n = L/dtau points (n even); rfft frequencies ``w`` and full ``omega``."""

    L: float
    dtau: float

    @property
    def n(self) -> int:
        n = int(round(self.L / self.dtau))
        return n + (n % 2)

    @property
    def w(self) -> np.ndarray:
        return 2.0 * math.pi * np.fft.rfftfreq(self.n, self.dtau)

    @property
    def omega(self) -> np.ndarray:
        return 2.0 * math.pi * np.fft.fftfreq(self.n, self.dtau)

    @property
    def tau(self) -> np.ndarray:
        return np.arange(self.n) * self.dtau

    def to_freq(self, c_tau: np.ndarray) -> np.ndarray:
        """Even periodic C(tau_k) -> real half spectrum C(w) = dtau Re DFT."""
        return self.dtau * np.fft.rfft(c_tau).real

    def to_time(self, c_w: np.ndarray) -> np.ndarray:
        return np.fft.irfft(c_w, self.n) / self.dtau

    def full(self, half: np.ndarray) -> np.ndarray:
        """Half spectrum (rfft layout) -> full fftfreq layout, using F(-w) = F(w)^*."""
        n = self.n
        out = np.empty(n, dtype=np.result_type(half, np.complex128) if np.iscomplexobj(half) else np.float64)
        out[: n // 2 + 1] = half
        out[n // 2 + 1 :] = np.conj(half[1 : n // 2][::-1])
        return out


@functools.lru_cache(maxsize=64)
def gaussian_single_site(phi: str, g: float, grid: Grid, n_iter: int = 3000, tol: float = 1e-9) -> tuple:
    """Gaussian DMFT (R = 0, Q = g^2 C^phi) on the periodic grid: (C^phi(w) half spectrum, S^phi(w), q0).

    Fixed-point iteration C^x(w) = g^2 C^phi(w)/(1 + w^2), C^phi(tau) = C^phi(C^x(tau); C^x(0))
    (undamped), from C^x(tau) = g^2 exp(-(tau/3)^2) (+ periodic image).  For erf, the chaotic solution of
    :func:`dmft.single_site` is reproduced (tested)."""
    if g <= 1.0:
        raise ValueError(f"the chaotic DMFT solution needs g > 1, got {g}")
    t = grid.tau
    dist = np.minimum(t, grid.L - t)
    cx = g * g * np.exp(-((dist / 3.0) ** 2))
    w2 = grid.w**2
    for _ in range(n_iter):
        cphi = gauss_c_phi(phi, cx, float(cx[0]))
        new = grid.to_time(g * g * grid.to_freq(cphi) / (1.0 + w2))
        if np.max(np.abs(new - cx)) < tol * max(1.0, float(cx[0])):
            cx = new
            break
        cx = new
    else:
        raise ArithmeticError(f"Gaussian DMFT did not converge in {n_iter} iterations (phi = {phi}, g = {g})")
    q0 = float(cx[0])
    cphi = gauss_c_phi(phi, cx, q0)
    s = gauss_mean_slope(phi, q0) / (1.0 + 1j * grid.w)
    return grid.to_freq(cphi), s, q0


# ---- kernels --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverlapKernel:
    """Random-mode model with per-mode right-left overlaps: D_a, rho_a (mode sample), alpha = M/N."""

    D: np.ndarray
    rho: np.ndarray
    alpha: float

    @property
    def g2(self) -> float:
        """g_eff^2 = alpha <D^2> (the rho = 0 noise gain)."""
        return float(self.alpha * np.mean(self.D**2))

    @property
    def eff_rank(self) -> float:
        """alpha PR^D = alpha <D^2>^2 / <D^4> of the mode sample."""
        return float(self.alpha * np.mean(self.D**2) ** 2 / np.mean(self.D**4))

    @property
    def mean_d_rho(self) -> float:
        return float(np.mean(self.D * self.rho))

    def null(self) -> "OverlapKernel":
        """The same modes without overlaps (rho = 0): the Gaussian problem at the same g_eff."""
        return OverlapKernel(self.D, np.zeros_like(self.rho), self.alpha)

    def psi(self, c_w, s_w) -> np.ndarray:
        return psi_overlaps(c_w, s_w, self.D, self.rho, self.alpha)

    def __call__(self, c_w, s_w):
        den = 1.0 - (self.D * self.rho)[:, None] * s_w[None, :]
        q = self.alpha * np.mean((self.D**2)[:, None] / np.abs(den) ** 2, axis=0) * c_w
        r = self.alpha * np.mean((self.D * self.rho)[:, None] / den, axis=0)
        return q, r, float(np.min(np.abs(den)))


@dataclass(frozen=True)
class SymmetricKernel:
    """Partially symmetric i.i.d. couplings: Q = g^2 C^phi, R = sigma S^phi, sigma = rho g^2."""

    g: float
    rho: float

    @property
    def g2(self) -> float:
        return self.g**2

    @property
    def sigma(self) -> float:
        return self.rho * self.g**2

    def null(self) -> "SymmetricKernel":
        return SymmetricKernel(self.g, 0.0)

    def psi(self, c_w, s_w) -> np.ndarray:
        return psi_symmetric(c_w, s_w, self.g, self.rho)

    def __call__(self, c_w, s_w):
        return self.g2 * c_w, self.sigma * s_w, float(np.min(np.abs(1.0 - self.sigma * np.abs(s_w) ** 2)))


# ---- sampled DMFT ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """Numerical settings of the sampled DMFT (paper: n_paths 10^4, dtau 0.04, L 120, 300 iterations)."""

    n_paths: int = 1000
    L: float = 100.0
    dtau: float = 0.1
    n_iter: int = 30
    n_avg: int = 15
    mix: float = 0.8
    kernel_cut: float = 30.0
    s_window_neg: float = 2.0
    burn: float = 30.0
    margin_min: float = 0.02
    warm_start: bool = True

    @classmethod
    def from_mapping(cls, m) -> "Settings":
        return cls(**{k: type(getattr(cls, k))(m[k]) for k in cls.__dataclass_fields__ if k in m})

    def check(self) -> None:
        if not 1 <= self.n_avg <= self.n_iter:
            raise ValueError(f"need 1 <= n_avg <= n_iter, got n_avg = {self.n_avg}, n_iter = {self.n_iter}")
        if not 0.0 < self.mix <= 1.0:
            raise ValueError(f"mix must lie in (0, 1], got {self.mix}")
        if not 0.0 < self.kernel_cut < self.L / 2:
            raise ValueError(f"kernel_cut must lie in (0, L/2), got {self.kernel_cut} for L = {self.L}")


@dataclass
class SampledDMFT:
    """Result of :func:`sampled_dmft` (spectra in the full fftfreq layout of ``omega``)."""

    grid: Grid
    omega: np.ndarray
    c_w: np.ndarray
    s_w: np.ndarray
    c_tau: np.ndarray
    c0: float
    margin: float
    condensed: bool
    c0_history: np.ndarray = field(default_factory=lambda: np.zeros(0))
    margin_history: np.ndarray = field(default_factory=lambda: np.zeros(0))


def _step_feedback(x_eta: np.ndarray, taps: np.ndarray, f, dtau: float, burn_steps: int, block: int = 32) -> np.ndarray:
    """phi(x) for x = x_eta + y, y' = -y + dtau sum_{m=0}^{K} taps_m phi_{k-m} (exponential Euler), over a
    burn-in of ``burn_steps`` (x_eta wrapped periodically) and one period; returns phi (n, P).

    Blocked: for a block of steps the part of the kernel sum over earlier blocks is one matrix
    product (a Toeplitz slice of the taps times the stored history), only the in-block part is
    summed step by step."""
    n, P = x_eta.shape
    K = taps.size - 1
    block = max(1, min(block, K))
    xe = np.concatenate([x_eta[n - burn_steps :], x_eta]) if burn_steps else x_eta
    T = xe.shape[0]
    hist = np.zeros((T + K, P))  # row K + k holds phi at step k; phi = 0 before the start
    t = taps * dtau
    b_idx, j_idx = np.arange(block)[:, None], np.arange(K)[None, :]
    m = b_idx + K - j_idx  # lag from history row j (step k0 - K + j) to step k0 + b
    toeplitz = np.where(m <= K, t[np.minimum(m, K)], 0.0)
    decay, gain = math.exp(-dtau), 1.0 - math.exp(-dtau)
    y = np.zeros(P)
    for k0 in range(0, T, block):
        nb = min(block, T - k0)
        past = toeplitz[:nb] @ hist[k0 : k0 + K]
        for b in range(nb):
            k = k0 + b
            hist[K + k] = f(xe[k] + y)
            y = decay * y + gain * (past[b] + t[b::-1] @ hist[K + k0 : K + k + 1])
    return hist[K + T - n :]


def _control_variate(a: np.ndarray, b: np.ndarray, b_mean: np.ndarray) -> np.ndarray:
    """Mean over paths (axis 1) of ``a`` with the control variate ``b`` of known mean ``b_mean``:
    mean(a) - c (mean(b) - b_mean), c = cov(a, b)/var(b) per frequency (regression estimator, bias O(1/P))."""
    am, bm = a.mean(axis=1), b.mean(axis=1)
    db = b - bm[:, None]
    var = np.mean(np.abs(db) ** 2, axis=1)
    c = np.mean((a - am[:, None]) * np.conj(db), axis=1) / np.where(var > 0, var, 1.0)
    return am - c * (bm - b_mean)


def sampled_dmft(kernel, phi: str, settings: Settings, rng: np.random.Generator) -> SampledDMFT:
    """Solve the single-site process of ``kernel`` (:class:`OverlapKernel` or :class:`SymmetricKernel`)."""
    settings.check()
    st = settings
    f = phi_function(phi)
    grid = Grid(st.L, st.dtau)
    n, w = grid.n, grid.w
    if st.warm_start:
        c_w, s_w, _ = gaussian_single_site(phi, math.sqrt(kernel.g2), grid)
    else:  # the paper's seed: C^phi = exp(-(tau/15)^2) + 1e-4 delta, S^phi = 0
        dist = np.minimum(grid.tau, grid.L - grid.tau)
        c_w = grid.to_freq(np.exp(-((dist / 15.0) ** 2)) + 1e-4 * (grid.tau == 0))
        s_w = np.zeros(w.size, dtype=np.complex128)
    h = 1.0 / (1.0 + 1j * w)
    K = int(round(st.kernel_cut / st.dtau))
    lag = np.arange(n)
    window = (lag <= K) | (lag >= n - int(round(st.s_window_neg / st.dtau)))
    burn_steps = min(int(round(st.burn / st.dtau)), n)
    c0_hist, m_hist, avg_c, avg_s = [], [], [], []
    condensed = False
    for it in range(st.n_iter):
        q, r, margin = kernel(c_w, s_w)
        m_hist.append(margin)
        if not margin >= st.margin_min:
            condensed = True
            break
        q = np.clip(q, 0.0, None)
        noise = np.fft.rfft(rng.standard_normal((n, st.n_paths)), axis=0) * np.sqrt(q / st.dtau)[:, None]
        x_eta = np.fft.irfft(noise * h[:, None], n, axis=0)
        taps = (np.fft.irfft(r, n) / st.dtau)[: K + 1]
        if np.any(taps != 0.0):
            ph = _step_feedback(x_eta, taps, f, st.dtau, burn_steps)
        else:
            ph = f(x_eta)
        if not np.all(np.isfinite(ph)):
            condensed = True
            break
        Ph = np.fft.rfft(ph, axis=0)
        scale = st.dtau / n
        xh = noise * h[:, None]  # x_eta-hat: its spectra against eta are known exactly
        c_new = scale * _control_variate(np.abs(Ph) ** 2, np.abs(xh) ** 2, q * np.abs(h) ** 2 / scale)
        cross = scale * _control_variate(Ph * np.conj(noise), xh * np.conj(noise), h * q / scale)
        ok = q > 1e-12 * q.max()
        s_raw = np.where(ok, cross / np.where(ok, q, 1.0), s_w)
        s_t = np.fft.irfft(s_raw, n) * window
        s_new = np.fft.rfft(s_t)
        c_w = (1.0 - st.mix) * c_w + st.mix * c_new
        s_w = (1.0 - st.mix) * s_w + st.mix * s_new
        c0_hist.append(float(np.sum(grid.full(c_w)) / (n * st.dtau)))
        if it >= st.n_iter - st.n_avg:
            avg_c.append(c_w)
            avg_s.append(s_w)
    if condensed or not avg_c:
        nan = np.full(n, np.nan)
        return SampledDMFT(grid, grid.omega, nan, nan + 0j, nan, float("nan"), float(np.min(m_hist)), True,
                           np.asarray(c0_hist), np.asarray(m_hist))
    c_w = np.mean(avg_c, axis=0)
    s_w = np.mean(avg_s, axis=0)
    c_tau = grid.to_time(c_w)
    return SampledDMFT(grid, grid.omega, grid.full(c_w), grid.full(s_w), c_tau, float(c_tau[0]),
                       float(np.min(m_hist)), condensed, np.asarray(c0_hist), np.asarray(m_hist))


# ---- four-point functions -------------------------------------------------------------------------


def psi_overlaps(c_w, s_w, D, rho, alpha: float) -> np.ndarray:
    """Psi^phi(w1, w2) of PRX 51 on the full grid (real n x n array); mode averages over (D_a, rho_a)."""
    D = np.asarray(D, dtype=np.float64)
    rho = np.asarray(rho, dtype=np.float64)
    wt = alpha / D.size
    sig = s_w[None, :] / (1.0 - (D * rho)[:, None] * s_w[None, :])  # Sigma_a(w), (M, n)
    a2 = np.abs(sig) ** 2
    U = (sig * (wt * D**2)[:, None]).T @ sig
    V = (a2 * (wt * D**4)[:, None]).T @ a2
    W = (np.conj(sig) * (wt * D**2 * rho**2)[:, None]).T @ sig
    X12 = (sig * (wt * D**3 * rho)[:, None]).T @ a2
    X21 = X12.T
    num = V - 1.0 + 2.0 * ((1.0 + X12) * (1.0 + np.conj(X21)) / (1.0 - np.conj(W))).real
    c = np.asarray(c_w, dtype=np.float64)
    return num / np.abs(1.0 - U) ** 2 * np.outer(c, c)


def psi_symmetric(c_w, s_w, g: float, rho: float) -> np.ndarray:
    """Psi^phi(w1, w2) of PRX H19 = PRL 18 (partially symmetric couplings, sigma = rho g^2)."""
    sigma = rho * g * g
    s1s2 = np.outer(s_w, s_w)
    b = sigma * np.outer(np.conj(s_w), s_w)
    c = np.asarray(c_w, dtype=np.float64)
    return (1.0 - np.abs(b) ** 2) / (np.abs(1.0 - g * g * s1s2) ** 2 * np.abs(1.0 - b) ** 2) * np.outer(c, c)


def psi00(psi_w: np.ndarray, dtau: float) -> float:
    """Psi(0, 0) = sum_{k,l} Psi(w_k, w_l) / (n dtau)^2."""
    n = psi_w.shape[0]
    return float(np.sum(psi_w) / (n * dtau) ** 2)


def psi_diagonal(psi_w: np.ndarray, dtau: float) -> np.ndarray:
    """Psi(tau, tau) on the grid lags 0..n-1 (inverse 2-D DFT / dtau^2, diagonal)."""
    return np.diagonal(np.fft.ifft2(psi_w)).real / dtau**2


def mode_sample(g_eff: float, eff_rank: float, gamma: float, n_modes: int, beta_rho: float = 16.0):
    """(D, rho, alpha, u_flip) of the exponential spectrum with sigmoidal overlaps on n_modes modes
    (the spectrum of an n_modes-neuron network; the theory's mode average)."""
    from rnnstruct.clark.connectivity import exponential_spectrum, sigmoidal_overlaps

    spec = exponential_spectrum(n_modes, g_eff, eff_rank)
    rho, u = sigmoidal_overlaps(spec.D, n_modes, gamma, beta_rho)
    return spec.D, rho, spec.alpha, u

