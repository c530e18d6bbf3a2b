"""Gain heterogeneity and low-rank limits of the random-mode dimension (PRX Eqs. (46a), (46b), (J18);
docs/models/clark2025.md#gain-formulas).

With a12 = g_eff^2 S^phi_1 S^phi_2, E = alpha PR^D the effective rank of the modes, PR^G = q2^2 / q4 of the
neuron gains and q2 = 1, the three four-point functions of PRX Sec. VI are linear combinations of sums that
the dimension theory (:func:`rnnstruct.clark.dmft.four_point_sums`) already provides, in the discrete recipe
of docs/models/clark2025.md#fourier-convention (sums over (w1, w2) divided by (n dtau)^2):

    I0 = sum C^phi_12 / |1 - a12|^2,   I1 = sum |a12|^2 C^phi_12 / |1 - a12|^2,   sum C^phi_12 = C^phi(0)^2

(the last one exactly: the discrete inverse transform at tau = 0 of C(w_k) = dtau Re DFT[C] is C(0)).  With
h = 1/PR^G - 1 >= 0:

    unnormalised  Psi^Phi(0,0) / q2^2 = I0 / PR^G + I1 / E              = I0 + I1/E + h I0          (46a)
    normalised    Psi^phi(0,0)        = I0 + (1/PR^G + 1/E - 1) I1      = I0 + I1/E + h I1          (46b)
    readout gains Psi^{G'phi} / q2^2  = h (C^phi(0)^2 + I1) + I0 + I1/E = I0 + I1/E + h (C0^2 + I1) (J18)

and PR = C^phi(0)^2 / Psi(0,0) for each (the q2^2 cancels).  Hence PR^G = 1 makes the three equal, the
normalised one depends on (D, G) only through 1/E + 1/PR^G (D <-> G symmetry), and the ordering
normalised > readout > unnormalised holds wherever I1 < C0^2 + I1 < I0, i.e. wherever
sum C^phi_12 (Re a12 - |a12|^2) / |1 - a12|^2 > 0 (checked numerically in the tests).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnstruct.clark import dmft

OBSERVABLES = ("gphi", "phi", "gpphi")  # unnormalised G phi, normalised phi, readout gains G' phi


def psi00(c_phi0, i0, i1, eff_rank, pr_g) -> dict:
    """Psi(0,0) / q2^2 of the three observables (:data:`OBSERVABLES`) from C^phi(0), I0, I1 (module docstring);
    plain arithmetic, so it broadcasts over numpy arrays and xarray objects alike."""
    base = i0 + i1 / eff_rank
    h = 1.0 / pr_g - 1.0
    return {"gphi": base + h * i0, "phi": base + h * i1, "gpphi": base + h * (c_phi0**2 + i1)}


@dataclass(frozen=True)
class GainTheory:
    """C^phi(0) and the four-point sums I0, I1 at one g_eff: the PRs of PRX 46a, 46b and J18 in closed form."""

    g: float
    c_phi0: float
    i0: float
    i1: float

    @classmethod
    def from_dimension(cls, th: dmft.DimensionTheory) -> "GainTheory":
        return cls(g=th.g, c_phi0=th.c_phi0, i0=float(th.sums["I0"]), i1=float(th.sums["I1"]))

    def psi00(self, eff_rank, pr_g) -> dict:
        """Psi(0,0) / q2^2 of the three observables (``OBSERVABLES``), broadcast over eff_rank and pr_g."""
        e = np.asarray(eff_rank, dtype=np.float64)
        pg = np.asarray(pr_g, dtype=np.float64)
        if np.any(e <= 0) or np.any(pg <= 0) or np.any(pg > 1):
            raise ValueError("need effective rank > 0 and 0 < PR^G <= 1")
        return psi00(self.c_phi0, self.i0, self.i1, e, pg)

    def pr(self, eff_rank, pr_g) -> dict:
        """PR^{G phi}, PR^phi (normalised) and PR^{G' phi} at effective rank alpha PR^D and PR^G."""
        return {k: self.c_phi0**2 / v for k, v in self.psi00(eff_rank, pr_g).items()}

    @property
    def pr_iid(self) -> float:
        return self.c_phi0**2 / self.i0


def gain_theory(g: float, tau_max: float = 100.0, dtau: float = 0.1) -> GainTheory:
    """:class:`GainTheory` at g_eff = g from the erf DMFT (the single-site problem is the i.i.d. one at g_eff)."""
    return GainTheory.from_dimension(dmft.dimension_theory(g, tau_max, dtau))


def onset_grid(g: float, n_tau: int = 1000, tau_min: float = 100.0, width: float = 30.0) -> tuple[float, float]:
    """(tau_max, dtau) of a grid that resolves the slow decay near onset: C^x decays on ~sqrt(3)/(g - 1)
    (PRL; docs/models/clark2025.md#limits), so tau_max = max(tau_min, width/(g - 1)) with a fixed number of
    points n_tau."""
    if g <= 1.0:
        raise ValueError(f"need g > 1, got {g}")
    tau_max = max(tau_min, width / (g - 1.0))
    return tau_max, tau_max / n_tau


def low_rank_ratios(g_values, n_tau: int = 1000, tau_min: float = 100.0, width: float = 30.0) -> dict:
    """K^phi(g)/PR^phi_iid(g), K^x(g)/PR^x_iid(g) (and the parts) on a g grid (PRX Fig. 10a inset), each g
    on its own :func:`onset_grid`: the ratio converges on much coarser grids than PR_iid itself near onset."""
    out = {k: [] for k in ("k_phi", "k_x", "pr_phi_iid", "pr_x_iid", "tau_max", "dtau")}
    for g in np.asarray(g_values, dtype=np.float64):
        tau_max, dtau = onset_grid(float(g), n_tau, tau_min, width)
        th = dmft.dimension_theory(float(g), tau_max, dtau)
        for k, v in (("k_phi", th.k_phi), ("k_x", th.k_x), ("pr_phi_iid", th.pr_phi_iid), ("pr_x_iid", th.pr_x_iid)):
            out[k].append(v)
        out["tau_max"].append(tau_max)
        out["dtau"].append(dtau)
    out = {k: np.asarray(v) for k, v in out.items()}
    out["k_phi_ratio"] = out["k_phi"] / out["pr_phi_iid"]
    out["k_x_ratio"] = out["k_x"] / out["pr_x_iid"]
    return out


def symmetric_window(tau: np.ndarray, values: np.ndarray, tau_window: float) -> tuple[np.ndarray, np.ndarray]:
    """Mirror an even function given on tau >= 0 onto [-tau_window, tau_window] (C^phi(tau), Psi(tau, 0))."""
    keep = tau <= tau_window + 1e-9
    t, v = tau[keep], values[keep]
    return np.concatenate([-t[:0:-1], t]), np.concatenate([v[:0:-1], v])
