"""Spectral and weight analysis of trained recurrent matrices (docs/models/jarne2024.md#measures), numpy
float64.

* ``r_out``: the (n_dominant + 1)-th largest eigenvalue modulus (the n_dominant = 6 largest are treated
  as dominant outliers, as coded by the authors); ``r_in``: the smallest modulus.
* Robust radii [RECON]: moduli above median + k * MAD (k = 5) are outliers; the outer radius is the
  q_out (95th) and the inner radius the q_in (5th) percentile of the remaining moduli.
* Henrici departure from normality H = sqrt(||W||_F^2 - sum |lambda|^2) / ||W||_F.
* Weight statistics of the recurrent matrix: mean, SD, skewness, excess kurtosis, fraction of exact zeros;
  largest eigenvalue of the symmetric part (W + W^T)/2, rank, oscillation frequency of the leading
  complex eigenvalue outside the unit circle (coded and exact formula).
"""

from __future__ import annotations

from typing import Mapping

import numpy as np


def thresholded(W: np.ndarray, zero_threshold: float = 1e-4) -> np.ndarray:
    """Entries with |w| < zero_threshold set to exactly 0 (as in the authors' code)."""
    W = np.asarray(W, dtype=np.float64)
    return np.where(np.abs(W) < zero_threshold, 0.0, W)


def eigenvalues(W: np.ndarray) -> np.ndarray:
    """Eigenvalues sorted by decreasing modulus (ties: by real part, then imaginary part)."""
    lam = np.linalg.eigvals(np.asarray(W, dtype=np.float64))
    return lam[np.lexsort((-lam.imag, -lam.real, -np.abs(lam)))]


def r_out(moduli: np.ndarray, n_dominant: int = 6) -> float:
    """(n_dominant + 1)-th largest modulus."""
    m = np.sort(np.abs(moduli))[::-1]
    if n_dominant >= m.size:
        raise ValueError(f"n_dominant = {n_dominant} leaves no eigenvalue of {m.size}")
    return float(m[n_dominant])


def r_in(moduli: np.ndarray) -> float:
    return float(np.min(np.abs(moduli)))


def robust_radii(moduli: np.ndarray, mad_k: float = 5.0, q_out: float = 95.0, q_in: float = 5.0) -> dict:
    """Percentile radii after removing outliers |lambda| > median + mad_k * MAD."""
    m = np.abs(np.asarray(moduli, dtype=np.float64))
    med = np.median(m)
    mad = np.median(np.abs(m - med))
    keep = m <= med + mad_k * mad
    return {
        "r_out_pct": float(np.percentile(m[keep], q_out)),
        "r_in_pct": float(np.percentile(m[keep], q_in)),
        "n_outliers": int((~keep).sum()),
    }


def henrici(W: np.ndarray, lam: np.ndarray | None = None) -> float:
    """Henrici departure from normality, normalised by ||W||_F (0 for normal matrices)."""
    W = np.asarray(W, dtype=np.float64)
    lam = np.linalg.eigvals(W) if lam is None else lam
    fro2 = float(np.sum(W**2))
    if fro2 == 0.0:
        return 0.0
    return float(np.sqrt(max(fro2 - float(np.sum(np.abs(lam) ** 2)), 0.0) / fro2))


def weight_stats(W: np.ndarray) -> dict:
    w = np.asarray(W, dtype=np.float64).ravel()
    mu, sd = float(w.mean()), float(w.std())
    z = (w - mu) / sd if sd > 0 else np.zeros_like(w)
    return {
        "w_mean": mu,
        "w_std": sd,
        "w_skew": float(np.mean(z**3)),
        "w_kurtosis": float(np.mean(z**4) - 3.0),
        "zero_frac": float(np.mean(w == 0.0)),
    }


def oscillation_frequency(lam: np.ndarray, dt_ms: float = 1.0) -> tuple[float, float]:
    """Frequency (Hz) of the largest-modulus complex eigenvalue with |lambda| > 1: as coded by
    the authors, 1000 |Im| / (2 pi Re dt), and exact, 1000 |arg lambda| / (2 pi dt).  NaN if there is none."""
    lam = np.asarray(lam)
    sel = lam[(np.abs(lam) > 1.0) & (np.abs(lam.imag) > 1e-12)]
    if sel.size == 0:
        return float("nan"), float("nan")
    z = sel[np.argmax(np.abs(sel))]
    return float(1000.0 * abs(z.imag) / (2 * np.pi * z.real * dt_ms)), float(1000.0 * abs(np.angle(z)) / (2 * np.pi * dt_ms))


def matrix_summary(W: np.ndarray, p: Mapping) -> dict:
    """Every per-matrix measure of the spectra file for one recurrent matrix."""
    Wt = thresholded(W, p["zero_threshold"])
    lam = eigenvalues(Wt)
    mod = np.abs(lam)
    out = {
        "r_out": r_out(mod, p["n_dominant"]),
        "r_in": r_in(mod),
        **robust_radii(mod, p["mad_k"], p["q_out"], p["q_in"]),
        "spectral_radius": float(mod.max()),
        "henrici": henrici(Wt, lam),
        "sym_max": float(np.linalg.eigvalsh(0.5 * (Wt + Wt.T)).max()),
        "rank": float(np.linalg.matrix_rank(Wt)),
        **dict(zip(("osc_freq_coded", "osc_freq_exact"), oscillation_frequency(lam))),
        **weight_stats(Wt),
    }
    return out, lam


def success(y_pred: np.ndarray, y_target: np.ndarray, task: str, kind: np.ndarray, p: Mapping) -> tuple[float, bool]:
    """Test MSE and the success flag [RECON, docs/models/jarne2024.md#success-criterion]: MSE < mse_max and,
    for every trial type, the output averaged over the last ``window`` steps within ``tol`` of the target
    (Flip-Flop: the output averaged over each response window within ``tol`` of its target, for every
    trial)."""
    from rnnstruct.jarne.tasks import flipflop_windows

    y_pred = np.asarray(y_pred, dtype=np.float64)[..., 0]
    y_target = np.asarray(y_target, dtype=np.float64)[..., 0]
    mse = float(np.mean((y_pred - y_target) ** 2))
    ok = mse < p["mse_max"]
    if task == "ff":
        for start, stop in flipflop_windows():
            err = np.abs(y_pred[:, start:stop].mean(1) - y_target[:, start:stop].mean(1))
            ok = ok and bool(np.all(err < p["tol"]))
    else:
        w = int(p["window"])
        for k in np.unique(kind):
            sel = kind == k
            err = abs(y_pred[sel, -w:].mean() - y_target[sel, -w:].mean())
            ok = ok and bool(err < p["tol"])
    return mse, bool(ok)
