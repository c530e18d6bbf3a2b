"""Weight-matrix ensembles.  W[post, pre]: W_ij is the weight from neuron j to neuron i.

Base ensemble of Metzner et al. 2025 (``docs/models/metzner2025.md#base-ensemble``, a [RECON] construction)::

    W_ij = (w / sqrt(N d)) * s_ij * |xi_ij| * a_ij
    xi_ij ~ N(0, 1);  s_ij = +1 with probability (1 + b)/2, else -1;  a_ij ~ Bernoulli(d)

``balance_mode="gaussian_mean"`` is the alternative: the same mask, magnitudes and
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


# ---------------------------------------------------------------------------------------------
# Regularity ensembles (``docs/models/metzner2025.md#regularities``, [RECON] constructions).
#
# Each regularity is a pure function of (parameters, random factors).  The factors are drawn once
# per realisation and shared by every value of the control parameter (common random numbers), so
# sweeping m, r or q changes one realisation continuously; control 0 returns exactly (bit for bit)
# the base matrix built from the same base factors.
# ---------------------------------------------------------------------------------------------

DALE_MODES = ("elements", "columns")
DALE_TYPES = ("bernoulli", "exact")
HOPFIELD_MODES = ("pairs", "mixing")
MODULAR_MODES = ("A", "B", "C")


def _check_control(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number in [0, 1], got {name}={value!r}")
    if not np.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must lie in [0, 1], got {name}={value!r}")


def _check_choice(name: str, value: str, allowed: tuple) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {name}={value!r}")


def _check_square(name: str, a: np.ndarray, N: int | None = None) -> None:
    if a.ndim != 2 or a.shape[0] != a.shape[1] or (N is not None and a.shape[0] != N):
        want = "square" if N is None else f"shape ({N}, {N})"
        raise ValueError(f"{name} must be {want}, got shape {a.shape}")


# ---- Dale monopolarity -------------------------------------------------------------------------


@dataclass(frozen=True)
class DaleFactors:
    """Random factors of the Dale regularity, drawn once per realisation and shared by all m.

    ``type_uniform`` (N,)    neuron types, see :func:`dale_types`;
    ``select_uniform`` (N, N) mode "elements": element (i, j) takes its column's sign iff < m;
    ``column_uniform`` (N,)  mode "columns": column j is made fully monopolar iff < m.
    """

    type_uniform: np.ndarray
    select_uniform: np.ndarray
    column_uniform: np.ndarray


def draw_dale_factors(N: int, gen: np.random.Generator) -> DaleFactors:
    """Draw the Dale factors from ``gen`` in the fixed order type, select, column (all U[0, 1))."""
    type_uniform = gen.random(N)
    select_uniform = gen.random((N, N))
    column_uniform = gen.random(N)
    return DaleFactors(
        type_uniform=type_uniform, select_uniform=select_uniform, column_uniform=column_uniform
    )


def dale_types(type_uniform: np.ndarray, b: float, types: str = "bernoulli") -> np.ndarray:
    """Neuron types sigma_j = +1 (excitatory) or -1 (inhibitory), float array of shape (N,).

    * ``"bernoulli"``: sigma_j = +1 iff type_uniform_j < (1 + b)/2 (the base-sign threshold), so
      the number of E neurons is Binomial(N, (1 + b)/2);
    * ``"exact"``: the n_E = round(N (1 + b)/2) neurons with the smallest type_uniform are E
      (Python/NumPy ``round``, i.e. halves to even; ties in type_uniform by index).
    """
    _check_choice("dale_types", types, DALE_TYPES)
    if not np.isfinite(b) or not -1.0 <= b <= 1.0:
        raise ValueError(f"b must lie in [-1, 1], got b={b!r}")
    u = np.asarray(type_uniform, dtype=np.float64)
    if types == "bernoulli":
        return np.where(u < (1.0 + b) / 2.0, 1.0, -1.0)
    n_exc = int(round(u.size * (1.0 + b) / 2.0))
    sigma = -np.ones(u.size)
    sigma[np.argsort(u, kind="stable")[:n_exc]] = 1.0
    return sigma


def assemble_dale(
    base: BaseFactors,
    dale: DaleFactors,
    w: float,
    b: float,
    m: float,
    density: float = 1.0,
    mode: str = "elements",
    types: str = "bernoulli",
    self_connections: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Dale-monopolar matrix (docs/models/metzner2025.md#dale-monopolarity) and the neuron types: returns
    ``(W, sigma)``.

    ::

        W_ij = (w / sqrt(N d)) * S_ij * |xi_ij| * a_ij
        S_ij = sigma_j   if element/column selected,  else  s_ij (the base sign, BaseFactors.signs(b))

    * ``mode="elements"`` (default): element (i, j) is selected iff select_uniform_ij < m, i.e. it
      takes its column's sign with probability m, independently per element;
    * ``mode="columns"``: column j is selected as a whole iff column_uniform_j < m.

    Column j holds neuron j's output weights (W[post, pre]), so sigma_j is the type of neuron j.
    m = 0 is the base matrix, bit for bit (``assemble_base(base, w, b, density, "sign_prob",
    self_connections)``); m = 1 is fully Dale, W = (w/sqrt(N d)) (|Xi| o A) diag(sigma).  With
    Bernoulli types every element's sign is +1 with probability (1 + b)/2 for every m, and |W| does
    not depend on m, so the marginal p(W_ij) is unchanged.

    Dale is defined through the signs, so it always uses the base ensemble's ``"sign_prob"``
    construction (the ``"gaussian_mean"`` balance mode has no per-element sign to make monopolar).
    """
    magnitude = base.magnitude
    N = magnitude.shape[0]
    _check_base_params(N, w, b, density, "sign_prob")
    _check_control("m", m)
    _check_choice("dale_mode", mode, DALE_MODES)
    _check_choice("dale_types", types, DALE_TYPES)
    if dale.type_uniform.shape != (N,) or dale.column_uniform.shape != (N,):
        raise ValueError(f"Dale factors must have type/column uniforms of shape ({N},)")
    _check_square("select_uniform", dale.select_uniform, N)

    sigma = dale_types(dale.type_uniform, b, types)
    if mode == "elements":
        selected = dale.select_uniform < m
    else:
        selected = np.broadcast_to(dale.column_uniform < m, (N, N))
    S = np.where(selected, sigma[None, :], base.signs(b))
    # same operations, in the same order, as assemble_base: bit-identical at m = 0
    scale = w / np.sqrt(N * density)
    W = scale * (S * magnitude) * base.mask
    if not self_connections:
        np.fill_diagonal(W, 0.0)
    return W, sigma


# ---- Hopfield reciprocity ----------------------------------------------------------------------


def draw_hopfield_uniform(N: int, gen: np.random.Generator) -> np.ndarray:
    """(N, N) U[0, 1) numbers; entry (i, j) with i < j selects the unordered pair {i, j}."""
    return gen.random((N, N))


def assemble_hopfield(
    W_base: np.ndarray, select_uniform: np.ndarray, r: float, mode: str = "pairs"
) -> np.ndarray:
    """Reciprocal (partly symmetric) matrix from a base matrix
    (docs/models/metzner2025.md#hopfield-reciprocity); returns a new array.

    * ``mode="pairs"`` (default, [PRIOR] Krauss 2019 "symmetry"): for every i < j with
      select_uniform[i, j] < r the upper value is copied into the lower triangle,
      W[j, i] = W[i, j].  Each pair is selected with probability r, so r is the expected fraction of
      symmetric pairs; every entry keeps the base marginal p(W); the diagonal is untouched; r = 1
      gives a symmetric matrix.  The centred parts of W_ij and W_ji have correlation exactly r for
      every b (copied pairs are identical, the others independent), so the elliptic law
      (docs/models/metzner2025.md#random-matrix-laws) applies with tau = r.
    * ``mode="mixing"``: a continuous form, with A = W_base,
      W = sqrt(1 - r) A + sqrt(r) (A + A^T)/sqrt(2).  This changes the marginal: the centred
      element variance is multiplied by 1 + sqrt(2 r (1 - r)) and the mean by
      sqrt(1 - r) + sqrt(2 r); the pair correlation is (r + sqrt(2r(1-r)))/(1 + sqrt(2r(1-r)))
      (not r; see :func:`rnnstruct.metzner.spectra.hopfield_predictions`).  ``select_uniform`` is unused.

    r = 0 returns a copy of ``W_base`` (bit for bit) in both modes.
    """
    _check_control("r", r)
    _check_choice("hopfield_mode", mode, HOPFIELD_MODES)
    A = np.asarray(W_base, dtype=np.float64)
    _check_square("W_base", A)
    N = A.shape[0]
    if r == 0:
        return A.copy()
    if mode == "pairs":
        U = np.asarray(select_uniform)
        _check_square("select_uniform", U, N)
        W = A.copy()
        i, j = np.triu_indices(N, k=1)
        chosen = U[i, j] < r
        i, j = i[chosen], j[chosen]
        W[j, i] = W[i, j]
        return W
    return np.sqrt(1.0 - r) * A + np.sqrt(r) * ((A + A.T) / np.sqrt(2.0))


# ---- Modularity --------------------------------------------------------------------------------


def module_labels(N: int, K: int) -> np.ndarray:
    """Module of each neuron: K contiguous, equal modules of N/K neurons, labels 0..K-1 (int)."""
    for name, value in (("N", N), ("K", K)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {name}={value!r}")
    if N % K != 0:
        raise ValueError(f"the number of modules K={K} must divide N={N} (equal modules)")
    return np.arange(N) // (N // K)


@dataclass(frozen=True)
class ModularFactors:
    """Random factors of modularity mode C: ``slot_uniform`` (N, N) orders the in-block slots."""

    slot_uniform: np.ndarray


def draw_modular_factors(N: int, gen: np.random.Generator) -> ModularFactors:
    """Draw the mode-C factors (one (N, N) array of U[0, 1) numbers)."""
    return ModularFactors(slot_uniform=gen.random((N, N)))


def assemble_modular(
    W_base: np.ndarray,
    labels: np.ndarray,
    q: float,
    mode: str = "A",
    factors: ModularFactors | None = None,
    self_connections: bool = True,
) -> np.ndarray:
    """Modular matrix from a base matrix (docs/models/metzner2025.md#modularity); returns a new array.

    same_ij = 1 iff labels_i == labels_j (the diagonal blocks); K = number of distinct labels.

    * ``"A"`` (default): W_ij <- W_ij * (1 if same_ij else 1 - q); blocks unchanged, background
      attenuated; q = 1 gives K independent sub-networks.
    * ``"B"``: mode A, then W <- c W with c = [1/K + (1 - 1/K)(1 - q)^2]^(-1/2), which keeps the
      mean squared element w^2/N (for equal modules).
    * ``"C"``: p(W)-preserving permutation.  n = round(q n_in) with n_in the number of in-block
      slots; S = the n in-block slots with the smallest ``factors.slot_uniform``; L = positions of
      the n largest |W| of the whole matrix (order of ``argsort(-|W|, kind="stable")``).  Values in
      S and L stay; the slots of S \\ L (by increasing slot_uniform) and the positions of L \\ S (by
      decreasing |W|) are paired and their values swapped.  Afterwards S holds exactly the n
      largest-|W| values, and the multiset of values is unchanged.  ``self_connections=False``
      leaves the diagonal out of both S and L (n_in then counts off-diagonal in-block slots), so a
      zero diagonal stays zero; with the default the diagonal slots take part.

    q = 0 returns a copy of ``W_base`` (bit for bit) in every mode.  ``factors`` is required for
    mode C and ignored otherwise.
    """
    _check_control("q", q)
    _check_choice("modular_mode", mode, MODULAR_MODES)
    A = np.asarray(W_base, dtype=np.float64)
    _check_square("W_base", A)
    N = A.shape[0]
    labels = np.asarray(labels)
    if labels.shape != (N,):
        raise ValueError(f"labels must have shape ({N},), got {labels.shape}")
    if mode == "C" and factors is None:
        raise ValueError("factors must be given for modular_mode 'C' (draw_modular_factors)")
    if q == 0:
        return A.copy()
    same = labels[:, None] == labels[None, :]
    if mode in ("A", "B"):
        W = A * np.where(same, 1.0, 1.0 - q)
        if mode == "B":
            K = np.unique(labels).size
            W = W * (1.0 / K + (1.0 - 1.0 / K) * (1.0 - q) ** 2) ** -0.5
        return W

    slot = np.asarray(factors.slot_uniform)
    _check_square("slot_uniform", slot, N)
    eligible = np.ones((N, N), dtype=bool)
    if not self_connections:
        np.fill_diagonal(eligible, False)
    in_block = np.flatnonzero(same & eligible)
    n = int(round(q * in_block.size))
    flat = A.ravel().copy()
    S = in_block[np.argsort(slot.ravel()[in_block], kind="stable")[:n]]
    candidates = np.flatnonzero(eligible)
    L = candidates[np.argsort(-np.abs(flat[candidates]), kind="stable")[:n]]
    s_only = S[~np.isin(S, L)]
    l_only = L[~np.isin(L, S)]
    flat[s_only], flat[l_only] = flat[l_only], flat[s_only].copy()
    return flat.reshape(N, N)
