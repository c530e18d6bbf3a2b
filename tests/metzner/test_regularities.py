"""Regularity ensembles (docs/models/metzner2025.md#regularities) against their construction rules and
random-matrix theory (docs/models/metzner2025.md#random-matrix-laws).

Every random object comes from ``seeds.rng`` with a fixed key, so each test is deterministic; the
tolerances below are stated in standard errors (SE) or relative terms and hold with margin for these
seeds, while a wrong construction moves the statistic by many SE.
"""

import numpy as np
import pytest
from scipy import stats

from rnnstruct.metzner import ensembles, spectra
from rnnstruct.core import seeds
from rnnstruct.numerics import rmt, spectral

ROOT = 20250


def gen(*key):
    return seeds.rng(ROOT, ("test_regularities",) + key)


def base_and(N, density=1.0, *key):
    """Base factors and a generator positioned after them (regularity factors come next)."""
    g = gen(N, density, *key)
    return ensembles.draw_base_factors(N, density, g), g


def dale_W(N, w, b, m, rep=0, **kw):
    f, g = base_and(N, 1.0, "dale", rep)
    return ensembles.assemble_dale(f, ensembles.draw_dale_factors(N, g), w, b, m, **kw)


def hopfield_W(N, w, b, r, rep=0, mode="pairs"):
    f, g = base_and(N, 1.0, "hopfield", rep)
    base = ensembles.assemble_base(f, w, b)
    return base, ensembles.assemble_hopfield(base, ensembles.draw_hopfield_uniform(N, g), r, mode)


# ---- 1. control 0 is the base matrix, bit for bit ------------------------------------------


def _bits(a):
    return np.ascontiguousarray(a, dtype=np.float64).view(np.uint64)


@pytest.mark.parametrize("density, self_connections", [(1.0, True), (0.3, False)])
def test_control_zero_is_the_base_matrix_bit_for_bit(density, self_connections):
    """m = r = q = 0 reproduce assemble_base from the same factors exactly (uint64 view, so -0.0 counts)."""
    N, w, b = 60, 1.7, 0.35
    f, g = base_and(N, density, "zero")
    base = ensembles.assemble_base(f, w, b, density, "sign_prob", self_connections)
    dale = ensembles.draw_dale_factors(N, g)
    U = ensembles.draw_hopfield_uniform(N, g)
    mf = ensembles.draw_modular_factors(N, g)
    labels = ensembles.module_labels(N, 4)
    for mode in ensembles.DALE_MODES:
        for types in ensembles.DALE_TYPES:
            W, _ = ensembles.assemble_dale(f, dale, w, b, 0.0, density, mode, types, self_connections)
            assert np.array_equal(_bits(W), _bits(base)), (mode, types)
    for mode in ensembles.HOPFIELD_MODES:
        assert np.array_equal(_bits(ensembles.assemble_hopfield(base, U, 0.0, mode)), _bits(base)), mode
    for mode in ensembles.MODULAR_MODES:
        for sc in (True, False):
            W = ensembles.assemble_modular(base, labels, 0.0, mode, mf, self_connections=sc)
            assert np.array_equal(_bits(W), _bits(base)), mode
    # and a non-zero control really changes the matrix (so the checks above can fail)
    assert not np.array_equal(ensembles.assemble_dale(f, dale, w, b, 0.2, density)[0], base)
    assert not np.array_equal(ensembles.assemble_hopfield(base, U, 0.2), base)
    assert not np.array_equal(ensembles.assemble_modular(base, labels, 0.2, "C", mf), base)


# ---- 2. Dale -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ensembles.DALE_MODES)
@pytest.mark.parametrize("types", ensembles.DALE_TYPES)
def test_dale_m1_columns_single_signed(mode, types):
    """At m = 1 every nonzero entry of column j has the sign sigma_j; sigma is +1/-1 valued."""
    N, b = 120, 0.2
    W, sigma = dale_W(N, 1.3, b, 1.0, mode=mode, types=types)
    assert set(np.unique(sigma)) <= {-1.0, 1.0}
    nz = W != 0
    assert nz.all()  # d = 1
    assert np.all(np.sign(W) == sigma[None, :])
    # at m = 0.5 columns are mixed (the test above is not vacuous)
    W_half, _ = dale_W(N, 1.3, b, 0.5, mode=mode, types=types)
    assert np.any(np.sign(W_half) != sigma[None, :])


def test_dale_exact_types_count():
    """ "exact" gives exactly round(N(1+b)/2) E neurons; "bernoulli" a Binomial count (within 4 SE)."""
    N = 401
    u = gen("types").random(N)
    for b in (-0.7, 0.0, 0.13, 0.9):
        sigma = ensembles.dale_types(u, b, "exact")
        assert np.count_nonzero(sigma == 1.0) == round(N * (1 + b) / 2)
        assert np.count_nonzero(sigma == -1.0) == N - round(N * (1 + b) / 2)
        p = (1 + b) / 2
        nb = np.count_nonzero(ensembles.dale_types(u, b, "bernoulli") == 1.0)
        assert abs(nb - N * p) < 4 * np.sqrt(N * p * (1 - p))


@pytest.mark.parametrize("b", [0.0, 0.5])
def test_dale_marginal_preserved(b):
    """elements + bernoulli, m = 0.5: |W| is the base |W| exactly; P(W > 0) = (1+b)/2.

    The fraction of positive entries correlates within a column through sigma_j, so its SE is
    sqrt([m^2 (1-b^2)/4 + p(1-p)/N] / N); tolerance 4 SE.  A KS test of |W| against the base |W| is
    implied by (and weaker than) the element-wise equality.
    """
    N, w, m = 400, 1.2, 0.5
    f, g = base_and(N, 1.0, "marginal", b)
    base = ensembles.assemble_base(f, w, b)
    W, _ = ensembles.assemble_dale(f, ensembles.draw_dale_factors(N, g), w, b, m)
    assert np.array_equal(np.abs(W), np.abs(base))
    assert stats.ks_2samp(np.abs(W).ravel(), np.abs(base).ravel()).pvalue > 0.99
    p = (1 + b) / 2
    se = np.sqrt((m**2 * (1 - b**2) / 4 + p * (1 - p) / N) / N)
    assert abs(np.mean(W > 0) - p) < 4 * se
    # the signs did change: about m (1 - P(s = sigma)) of the elements flipped
    flipped = np.mean(np.sign(W) != np.sign(base))
    expected = m * 2 * p * (1 - p)
    assert abs(flipped - expected) < 0.02


# ---- 3. Hopfield -------------------------------------------------------------------------


@pytest.mark.parametrize("r", [0.25, 0.5, 1.0])
def test_hopfield_fraction_of_symmetric_pairs(r):
    """Fraction of pairs i < j with W_ij == W_ji within 4 binomial SE of r; r = 1 exactly symmetric."""
    N = 300
    base, W = hopfield_W(N, 1.0, 0.3, r)
    iu = np.triu_indices(N, 1)
    frac = np.mean(W[iu] == W.T[iu])
    n = iu[0].size
    assert abs(frac - r) <= 4 * np.sqrt(r * (1 - r) / n) + 1e-12
    assert np.array_equal(W[iu], base[iu])  # the upper triangle is the base's
    assert np.array_equal(np.diag(W), np.diag(base))
    if r == 1.0:
        assert np.array_equal(W, W.T)


def test_hopfield_pairs_selection_rule():
    """The pairs made symmetric are exactly {i < j : select_uniform[i, j] < r}, with the upper value copied."""
    N, r = 30, 0.4
    f, g = base_and(N, 1.0, "rule")
    base = ensembles.assemble_base(f, 1.0, 0.2)
    U = ensembles.draw_hopfield_uniform(N, g)
    W = ensembles.assemble_hopfield(base, U, r)
    expected = base.copy()
    for i in range(N):
        for j in range(i + 1, N):
            if U[i, j] < r:
                expected[j, i] = base[i, j]
    assert np.array_equal(W, expected)


def test_hopfield_pairs_marginal_and_correlation():
    """r = 0.5, b = 0.4: the lower triangle is an i.i.d. sample of p(W) (one-sample KS vs the exact
    sign-times-half-normal CDF, p > 1e-3) and the centred pair correlation is r (5 SE of a Pearson
    coefficient, 1/sqrt(n_pairs)), for b != 0 as claimed in spectra.hopfield_predictions."""
    N, w, b, r = 400, 1.0, 0.4, 0.5
    _, W = hopfield_W(N, w, b, r, rep=1)
    s, p = w / np.sqrt(N), (1 + b) / 2

    def cdf(x):
        return np.where(
            x < 0, (1 - p) * 2 * stats.norm.cdf(x / s), (1 - p) + p * (2 * stats.norm.cdf(x / s) - 1)
        )

    il = np.tril_indices(N, -1)
    assert stats.kstest(W[il], cdf).pvalue > 1e-3
    iu = np.triu_indices(N, 1)
    corr = np.corrcoef(W[iu], W.T[iu])[0, 1]
    assert abs(corr - r) < 5 / np.sqrt(iu[0].size)
    assert spectra.hopfield_predictions(N, w, b, r)["tau"] == r


def test_hopfield_elliptic_law():
    """r = 0.5, b = 0, N = 400, 2 realisations: <Re^2> = a^2/4 and <Im^2> = c^2/4 (uniform ellipse,
    a = w(1+r), c = w(1-r)) within 5 %."""
    N, w, r = 400, 1.0, 0.5
    pred = spectra.hopfield_predictions(N, w, 0.0, r)
    ev = np.concatenate([np.linalg.eigvals(hopfield_W(N, w, 0.0, r, rep)[1]) for rep in range(2)])
    assert abs(np.mean(ev.real**2) / (pred["semi_major"] ** 2 / 4) - 1) < 0.05
    assert abs(np.mean(ev.imag**2) / (pred["semi_minor"] ** 2 / 4) - 1) < 0.05


def test_hopfield_r1_semicircle():
    """r = 1, b = 0, N = 400: real spectrum, <lambda^2> = w^2 within 5 %, max|lambda| = 2w within 8 %."""
    N, w = 400, 1.3
    _, W = hopfield_W(N, w, 0.0, 1.0, rep=2)
    ev = np.linalg.eigvals(W)
    assert np.max(np.abs(ev.imag)) < 1e-8 * w
    pred = spectra.hopfield_predictions(N, w, 0.0, 1.0)
    assert pred["semi_minor"] == 0.0
    assert abs(np.mean(ev.real**2) / w**2 - 1) < 0.05
    assert abs(np.max(np.abs(ev)) / pred["semi_major"] - 1) < 0.08


def test_hopfield_mixing_prediction():
    """Mixing form, r = 0.5, b = 0.4: pair correlation tau = (r+s)/(1+s), s = sqrt(2r(1-r)), within 5 SE;
    centred variance w_eff^2/N and outlier within 3 %; r = 1 exactly symmetric."""
    N, w, b, r = 400, 1.0, 0.4, 0.5
    base, W = hopfield_W(N, w, b, r, rep=3, mode="mixing")
    pred = spectra.hopfield_predictions(N, w, b, r, mode="mixing")
    iu = np.triu_indices(N, 1)
    assert abs(np.corrcoef(W[iu], W.T[iu])[0, 1] - pred["tau"]) < 5 / np.sqrt(iu[0].size)
    assert abs(pred["tau"] - r) > 0.2  # the mixing parameter is not the correlation
    assert abs(W[iu].var() * N / pred["w_eff"] ** 2 - 1) < 0.03
    ev = spectral.eigenvalues(W)
    out, _ = spectral.split_outlier(ev, pred["outlier"], pred["bulk_radius"])
    assert abs(out.real / pred["outlier"] - 1) < 0.03
    W1 = ensembles.assemble_hopfield(base, None, 1.0, "mixing")
    assert np.array_equal(W1, W1.T)


# ---- 4. Modularity -----------------------------------------------------------------------


def test_module_labels():
    labels = ensembles.module_labels(12, 3)
    assert labels.tolist() == [0] * 4 + [1] * 4 + [2] * 4
    assert np.issubdtype(labels.dtype, np.integer)
    with pytest.raises(ValueError, match=r"K=5.*N=12"):
        ensembles.module_labels(12, 5)


def modular_W(N, w, b, q, K, mode, rep=0, **kw):
    f, g = base_and(N, 1.0, "modular", rep)
    base = ensembles.assemble_base(f, w, b)
    mf = ensembles.draw_modular_factors(N, g)
    return base, ensembles.assemble_modular(base, ensembles.module_labels(N, K), q, mode, mf, **kw)


def test_modular_A_q1_block_diagonal():
    """Mode A, q = 1: zero off-block, blocks unchanged; bulk rms radius w/sqrt(K) within 5 % (N = 400, K = 4)."""
    N, w, K = 400, 1.5, 4
    base, W = modular_W(N, w, 0.0, 1.0, K, "A")
    same = ensembles.module_labels(N, K)[:, None] == ensembles.module_labels(N, K)[None, :]
    assert np.all(W[~same] == 0) and np.array_equal(W[same], base[same])
    pred = spectra.modular_predictions(N, w, 0.0, 1.0, K)
    assert pred["bulk_radius"] == pytest.approx(w / np.sqrt(K))
    assert abs(spectral.bulk_radius_rms(np.linalg.eigvals(W)) / pred["bulk_radius"] - 1) < 0.05


@pytest.mark.parametrize("mode, q", [("A", 0.5), ("B", 0.5), ("B", 1.0)])
def test_modular_bulk_radius(mode, q):
    """b = 0, N = 400, K = 4: rms bulk radius within 5 % of the prediction (mode B: w for every q)."""
    N, w, K = 400, 1.2, 4
    _, W = modular_W(N, w, 0.0, q, K, mode, rep=1)
    pred = spectra.modular_predictions(N, w, 0.0, q, K, mode)
    if mode == "B":
        assert pred["bulk_radius"] == pytest.approx(w)
        assert np.mean(W**2) * N / w**2 == pytest.approx(1.0, rel=0.02)  # E[W^2] = w^2/N kept
    assert abs(spectral.bulk_radius_rms(np.linalg.eigvals(W)) / pred["bulk_radius"] - 1) < 0.05


def test_modular_outliers_b_nonzero():
    """Mode A, b = 0.5, q = 0.5, K = 4, N = 400: the main outlier within 3 % of
    b w sqrt(2N/pi)[1/K + (1-1/K)(1-q)], K-1 further real outliers within 15 % of b w sqrt(2N/pi) q/K
    (the block-mean eigenvalues), and the rest of the bulk within 5 % of w_eff sqrt(profile)."""
    N, w, b, q, K = 400, 1.0, 0.5, 0.5, 4
    _, W = modular_W(N, w, b, q, K, "A", rep=2)
    pred = spectra.modular_predictions(N, w, b, q, K)
    ev = spectral.eigenvalues(W)
    assert abs(ev[0].real / pred["outlier"] - 1) < 0.03 and abs(ev[0].imag) < 1e-9
    block = ev[1:K]
    assert np.all(np.abs(block.imag) < 1e-9)
    assert np.all(np.abs(block.real / pred["block_outlier"] - 1) < 0.15)
    assert np.abs(ev[K]) < pred["block_outlier"] * 0.85  # exactly K - 1 of them
    assert abs(spectral.bulk_radius_rms(ev[K:]) / pred["bulk_radius"] - 1) < 0.05


def test_modular_C_permutation():
    """Mode C, q = 0.5: sorted values unchanged; the n = round(q n_in) selected in-block slots hold
    exactly the n largest |W|; deterministic count checks (no tolerance)."""
    N, K, q = 100, 5, 0.5
    base, W = modular_W(N, 1.0, 0.2, q, K, "C", rep=3)
    assert np.array_equal(np.sort(W.ravel()), np.sort(base.ravel()))
    labels = ensembles.module_labels(N, K)
    same = labels[:, None] == labels[None, :]
    n_in = int(same.sum())
    n = round(q * n_in)
    top = np.sort(np.abs(base).ravel())[::-1][:n]
    # the in-block slots holding top-n values: at least n (exactly n unless ties at the cut)
    thresh = top[-1]
    assert np.count_nonzero(np.abs(W[same]) >= thresh) >= n
    # the top-n values now all sit in-block: sorted in-block |W| starts with the top n
    assert np.array_equal(np.sort(np.abs(W[same]))[::-1][:n], top)
    # the base matrix had far fewer top values in-block (about n/K): the test can fail
    assert np.count_nonzero(np.abs(base[same]) >= thresh) < 0.5 * n
    # the in-block slots chosen are those with the smallest slot_uniform
    f, g = base_and(N, 1.0, "modular", 3)
    slot = ensembles.draw_modular_factors(N, g).slot_uniform
    chosen = np.zeros((N, N), bool)
    idx = np.flatnonzero(same)
    chosen.flat[idx[np.argsort(slot.flat[idx], kind="stable")[:n]]] = True
    assert np.all(np.abs(W[chosen]) >= thresh)
    # q = 1: every in-block slot holds a top value; self_connections=False keeps a zero diagonal
    _, W1 = modular_W(N, 1.0, 0.2, 1.0, K, "C", rep=3)
    assert np.array_equal(np.sort(np.abs(W1[same])), np.sort(np.abs(base).ravel())[-n_in:])
    f0 = ensembles.draw_base_factors(N, 1.0, gen("C-diag"))
    b0 = ensembles.assemble_base(f0, 1.0, 0.2, self_connections=False)
    mf = ensembles.draw_modular_factors(N, gen("C-diag-f"))
    Wd = ensembles.assemble_modular(b0, labels, 1.0, "C", mf, self_connections=False)
    assert np.all(np.diag(Wd) == 0) and np.array_equal(np.sort(Wd.ravel()), np.sort(b0.ravel()))


# ---- 5. Dale spectrum --------------------------------------------------------------------


@pytest.mark.parametrize("mode", ensembles.DALE_MODES)
@pytest.mark.parametrize("types", ensembles.DALE_TYPES)
def test_dale_predictions_limits(mode, types):
    """Exact limits of dale_predictions: m = 0 is the base ensemble, m = 1 gives w sqrt(1 - 2d/pi) for any
    b, and bulk_radius_rms equals bulk_radius whenever all columns have the same variance."""
    N, w, d = 400, 1.3, 0.6
    for b in (-0.4, 0.0, 0.7):
        base = spectra.base_predictions(N, w, b, d)
        p0 = spectra.dale_predictions(N, w, b, 0.0, d, types, mode)
        assert p0["bulk_radius"] == pytest.approx(base["bulk_radius"])
        assert p0["bulk_radius_rms"] == pytest.approx(base["bulk_radius"])
        assert p0["mean"] == pytest.approx(base["mean"]) and p0["var"] == pytest.approx(base["var"])
        assert p0["outlier"] == pytest.approx(base["outlier"]) and p0["outlier_sd"] == 0
        p1 = spectra.dale_predictions(N, w, b, 1.0, d, types, mode)
        assert p1["bulk_radius"] == pytest.approx(w * np.sqrt(1 - 2 * d / np.pi))
        assert p1["bulk_radius_rms"] == pytest.approx(p1["bulk_radius"])
    half = spectra.dale_predictions(N, w, 0.0, 0.5, d, types, mode)
    if mode == "elements":
        assert half["bulk_radius_rms"] == pytest.approx(half["bulk_radius"])
    else:  # selected and unselected columns differ in variance
        assert half["bulk_radius_rms"] < 0.995 * half["bulk_radius"]


@pytest.mark.parametrize("m", [1.0, 0.5])
def test_dale_bulk_radius(m):
    """Exact types, b = 0, N = 400, 2 realisations: rms bulk radius within 5 % of
    w sqrt(1 - (2/pi) m^2) (m = 1: w sqrt(1 - 2/pi)); the base value w lies far outside that band."""
    N, w = 400, 1.4
    pred = spectra.dale_predictions(N, w, 0.0, m, types="exact")
    assert pred["bulk_radius"] == pytest.approx(w * np.sqrt(1 - 2 * m**2 / np.pi))
    assert pred["bulk_radius_rms"] == pytest.approx(pred["bulk_radius"])
    radii = []
    for rep in range(2):
        W, _ = dale_W(N, w, 0.0, m, rep, types="exact")
        _, bulk = spectral.split_outlier(spectral.eigenvalues(W), pred["outlier"], pred["bulk_radius"])
        radii.append(spectral.bulk_radius_rms(bulk))
    assert abs(np.mean(radii) / pred["bulk_radius"] - 1) < 0.05


def test_dale_columns_nonuniform_bulk():
    """columns mode, b = 0.5, m = 0.5, exact types, N = 400, unequal column variances.

    The column selection is itself random (the outlier's SD from it is ~4 %), so the test conditions on
    the realisation: with t_j = sigma_j (selected) or b, the outlier is w sqrt(2/(pi N)) sum_j t_j (within
    3 %) and the rms bulk radius is the R-diagonal value from the realised column variances
    1 - (2/pi) t_j^2 (within 1.5 %); the expected prediction (bulk_radius_rms, ~2.7 % below the outer
    edge bulk_radius) agrees with the conditional one to within its sampling spread (3 %).
    """
    N, w, b, m = 400, 1.0, 0.5, 0.5
    pred = spectra.dale_predictions(N, w, b, m, types="exact", mode="columns")
    assert pred["bulk_radius_rms"] < 0.985 * pred["bulk_radius"]
    f, g = base_and(N, 1.0, "dale", 4)
    dale = ensembles.draw_dale_factors(N, g)
    W, sigma = ensembles.assemble_dale(f, dale, w, b, m, types="exact", mode="columns")
    t = np.where(dale.column_uniform < m, sigma, b)
    outlier = w * np.sqrt(2 / (np.pi * N)) * t.sum()
    levels, counts = np.unique(1 - (2 / np.pi) * t**2, return_counts=True)
    rms = w * np.sqrt(2 * rmt.column_profile_second_moment(levels, counts / N))
    out, bulk = spectral.split_outlier(spectral.eigenvalues(W), outlier, pred["bulk_radius"])
    assert abs(out.real / outlier - 1) < 0.03
    assert abs(spectral.bulk_radius_rms(bulk) / rms - 1) < 0.015
    assert abs(rms / pred["bulk_radius_rms"] - 1) < 0.03


# ---- 6. Determinism and common random numbers ----------------------------------------------


def test_determinism_and_common_random_numbers():
    """Same generators give identical matrices; across m the elements changed from base form nested sets
    (elements mode), across r the symmetric pairs are nested, across q (mode C) the top-value slots are nested.
    """
    N, w, b = 80, 1.0, 0.1
    assert np.array_equal(dale_W(N, w, b, 0.4)[0], dale_W(N, w, b, 0.4)[0])
    assert np.array_equal(hopfield_W(N, w, b, 0.4)[1], hopfield_W(N, w, b, 0.4)[1])
    assert np.array_equal(modular_W(N, w, b, 0.4, 4, "C")[1], modular_W(N, w, b, 0.4, 4, "C")[1])
    assert not np.array_equal(dale_W(N, w, b, 0.4)[0], dale_W(N, w, b, 0.4, rep=1)[0])

    base = dale_W(N, w, b, 0.0)[0]
    changed = [dale_W(N, w, b, m)[0] != base for m in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)]
    for lo, hi in zip(changed, changed[1:]):
        assert np.all(hi[lo]) and hi.sum() > lo.sum()
    iu = np.triu_indices(N, 1)
    sym = [(lambda W: W[iu] == W.T[iu])(hopfield_W(N, w, b, r)[1]) for r in (0.1, 0.3, 0.7)]
    for lo, hi in zip(sym, sym[1:]):
        assert np.all(hi[lo]) and hi.sum() > lo.sum()


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda f, d, W, U: ensembles.assemble_dale(f, d, 1.0, 0.0, 1.5), "m"),
        (lambda f, d, W, U: ensembles.assemble_dale(f, d, 1.0, 0.0, 0.5, mode="rows"), "dale_mode"),
        (lambda f, d, W, U: ensembles.assemble_dale(f, d, 1.0, 0.0, 0.5, types="x"), "dale_types"),
        (lambda f, d, W, U: ensembles.assemble_hopfield(W, U, -0.1), "r"),
        (lambda f, d, W, U: ensembles.assemble_hopfield(W, U, 0.5, "copy"), "hopfield_mode"),
        (lambda f, d, W, U: ensembles.assemble_modular(W, ensembles.module_labels(20, 4), 2.0), "q"),
        (
            lambda f, d, W, U: ensembles.assemble_modular(W, ensembles.module_labels(20, 4), 0.5, "D"),
            "modular_mode",
        ),
        (
            lambda f, d, W, U: ensembles.assemble_modular(W, ensembles.module_labels(20, 4), 0.5, "C"),
            "factors",
        ),
    ],
)
def test_bad_controls_and_modes_name_the_parameter(call, name):
    f, g = base_and(20, 1.0, "bad")
    d, U = ensembles.draw_dale_factors(20, g), ensembles.draw_hopfield_uniform(20, g)
    with pytest.raises(ValueError, match=rf"^{name} must\b"):  # the message starts with the parameter
        call(f, d, ensembles.assemble_base(f, 1.0, 0.0), U)
