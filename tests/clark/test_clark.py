"""Clark et al. 2025/2023 library: random-mode connectivity, simulation, estimators, DMFT theory."""

from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr

from rnnstruct.clark import connectivity as cn
from rnnstruct.clark import dmft, estimators, simulate
from rnnstruct.numerics import rmt
from rnnstruct.numerics import participation

STATS = ("gram", "block_trace", "block_sqnorm", "group_of_block")


def pr_of(stats, N, kind="crossblock"):
    return participation.from_blocks(**{k: getattr(stats, k) for k in STATS}, N=N, kind=kind)


# ---- connectivity ------------------------------------------------------------------------------


@pytest.mark.parametrize("E", [0.1, 0.3, 0.8, 1.0, 3.0, 10.0])
def test_exponential_spectrum_normalisation_and_effective_rank(E):
    N = 400
    spec = cn.exponential_spectrum(N, 6.0, E)
    assert spec.g_eff == pytest.approx(6.0, rel=1e-12)  # (1/N) sum D^2 = g_eff^2 exactly
    assert spec.eff_rank == pytest.approx(E, rel=5.0 / N)  # discrete vs continuum: O(1/M)
    if E >= 1:
        assert spec.alpha == pytest.approx(E) and np.all(spec.D == spec.D[0])
    else:
        assert spec.M == N and math.tanh(spec.beta) / spec.beta == pytest.approx(E, rel=1e-10)


def test_step_spectrum():
    spec = cn.step_spectrum(640, 3.0, 2**-3)
    assert spec.M == 80 and spec.eff_rank == pytest.approx(2**-3) and spec.g_eff == pytest.approx(3.0)


def test_rmm_matrix_does_not_depend_on_mode_chunk(monkeypatch):
    spec = cn.exponential_spectrum(50, 2.0, 2.0)
    J1 = cn.rmm_matrix(spec, np.random.default_rng(1), np.random.default_rng(2))
    monkeypatch.setattr(cn, "MODE_CHUNK", 7)
    J2 = cn.rmm_matrix(spec, np.random.default_rng(1), np.random.default_rng(2))
    np.testing.assert_allclose(J1, J2, rtol=1e-12, atol=1e-14)


def test_rmm_coupling_variance_is_g_eff_squared_over_N():
    N, g = 400, 3.0
    spec = cn.exponential_spectrum(N, g, 0.3)
    J = cn.rmm_matrix(spec, np.random.default_rng(3), np.random.default_rng(4))
    # Var(J_ij) = alpha r2 / N = g_eff^2 / N; the relative spread of the estimate is ~sqrt(2/(N^2 E))
    assert N * J.var() == pytest.approx(g * g, rel=0.05)


@pytest.mark.parametrize("alpha", [0.05, 0.2])
def test_rmm_singular_values_fill_the_appendix_c_support(alpha):
    N = 1000
    spec = cn.constant_spectrum(N, alpha)
    J = cn.rmm_matrix(spec, np.random.default_rng(5), np.random.default_rng(6))
    S = np.linalg.svd(J, compute_uv=False)[: spec.M]
    lo, hi = rmt.rmm_singular_value_edges(alpha)
    width = hi - lo
    assert S.min() > lo - 0.05 * width and S.max() < hi + 0.05 * width  # inside the support ...
    assert S.min() < lo + 0.1 * width and S.max() > hi - 0.1 * width  # ... and filling it to both edges
    emp = np.arange(1, S.size + 1) / S.size
    theo = rmt.rmm_singular_value_cdf(np.sort(S), alpha) / rmt.rmm_singular_value_mass(alpha)
    assert np.max(np.abs(emp - theo)) < 0.05  # Kolmogorov distance to the App. C density
    pr_s = np.sum(S**2) ** 2 / (N * np.sum(S**4))
    assert pr_s == pytest.approx(rmt.rmm_pr_singular(alpha, 1.0), rel=0.05)  # PRX 13


# ---- estimators --------------------------------------------------------------------------------


def test_crossblock_estimator_is_unbiased_where_the_naive_one_is_not():
    """Gaussian samples with a known covariance: short blocks (T = 40 < N = 60) inflate ||C-hat||^2."""
    N, T, B, reps = 60, 40, 8, 300
    lam = np.exp(-np.arange(N) / 8.0)
    true_pr = lam.sum() ** 2 / (N * np.sum(lam**2))
    rng = np.random.default_rng(11)
    naive, cross = [], []
    for _ in range(reps):
        x = rng.standard_normal((B, T, N)) * np.sqrt(lam)
        st = estimators.block_statistics(x, n_groups=4)
        naive.append(participation.from_blocks(**st, N=N, kind="naive")[0])
        cross.append(participation.from_blocks(**st, N=N, kind="crossblock")[0])
    naive, cross = np.array(naive), np.array(cross)
    se_c = cross.std(ddof=1) / np.sqrt(reps)
    se_n = naive.std(ddof=1) / np.sqrt(reps)
    assert abs(cross.mean() - true_pr) < max(4 * se_c, 0.01 * true_pr)
    assert true_pr - naive.mean() > 10 * se_n  # naive: biased low
    # the ratio of a U-statistic pair keeps an O(1/n^2) bias only; the naive bias is O(N/n)
    assert abs(cross.mean() - true_pr) < 0.2 * (true_pr - naive.mean())


def test_jackknife_error_matches_the_spread_of_repeats():
    N, T, B, reps = 30, 60, 10, 200
    lam = np.exp(-np.arange(N) / 5.0)
    rng = np.random.default_rng(12)
    ests, ses = [], []
    for _ in range(reps):
        st = estimators.block_statistics(rng.standard_normal((B, T, N)) * np.sqrt(lam), n_groups=10)
        e, se = participation.from_blocks(**st, N=N, kind="crossblock")
        ests.append(e)
        ses.append(se)
    ratio = np.mean(ses) / np.std(ests, ddof=1)
    assert 0.75 < ratio < 1.35


def test_estimators_reject_bad_input():
    st = estimators.block_statistics(np.ones((1, 5, 3)), n_groups=1)
    with pytest.raises(ValueError):
        participation.from_blocks(**st, N=3, kind="crossblock")
    with pytest.raises(ValueError):
        participation.from_blocks(**st, N=3, kind="bogus")


# ---- simulation --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sim_g3():
    """i.i.d. and random-mode (alpha PR^D = 1) networks at g_eff = 3, N = 500, 16 trajectories."""
    N, g = 500, 3.0
    out = {}
    for name in ("iid", "rmm"):
        if name == "iid":
            J = cn.iid_matrix(N, g, np.random.default_rng(21))
        else:
            spec = cn.exponential_spectrum(N, g, 1.0)
            J = cn.rmm_matrix(spec, np.random.default_rng(22), np.random.default_rng(23))
        X0 = np.random.default_rng(24).standard_normal((N, 16)) * g
        out[name] = simulate.simulate_blocks(
            J, X0, t_transient=40, block_len=25, n_blocks=8, n_groups=4, max_lag=6, psi_max_lag=6, keep_spectrum=True
        )
    return N, g, out


def test_pr_equals_c0_squared_over_psi00_on_simulated_data(sim_g3):
    N, _, out = sim_g3
    for st in out["rmm"].values():
        c0, psi00 = estimators.two_point_and_four_point(st.gram, st.block_trace, st.samples_per_block, N)
        assert st.two_point[0] == pytest.approx(c0, rel=1e-10)  # C(0) from the lag accumulator
        naive = pr_of(st, N, "naive")[0]
        assert c0**2 / psi00 == pytest.approx(naive, rel=1e-10)
        lam = st.spectrum  # eigenvalues of the pooled covariance
        assert lam.sum() ** 2 / (N * np.sum(lam**2)) == pytest.approx(naive, rel=1e-8)


def test_rmm_two_point_function_equals_the_iid_one_at_g_eff(sim_g3):
    """PRX 36-37: the random-mode network's single-neuron C^phi(tau) is the i.i.d. one at g = g_eff.  One matrix
    each at N = 500 (16 trajectories x 200 samples): C^phi(tau) of the two within 3 %, 6 %, 15 % at lags 0, 1, 2,
    twice the matrix-to-matrix spread of C(tau) at N = 400 (1.1 %, 2.6 %, 6 %; the ensemble test below checks the
    DMFT lag by lag); C^x(0) of one matrix within 8 % of q0."""
    _, g, out = sim_g3
    rmm, iid = out["rmm"]["phi"].two_point[:3], out["iid"]["phi"].two_point[:3]
    assert np.all(np.abs(rmm / iid - 1.0) < [0.03, 0.06, 0.15]), rmm / iid - 1.0  # measured -1.2 %, 0.5 %, 4.4 %
    assert out["rmm"]["x"].two_point[0] == pytest.approx(dmft.single_site(g).q0, rel=0.08)  # measured -6.8 %


ENSEMBLE = dict(N=400, g=3.0, R=32, n_traj=16, t_transient=30.0, block_len=8, n_blocks=8, lags=4)


@pytest.fixture(scope="module", params=["erf", "tanh"])
def iid_ensemble(request):
    """R = 32 i.i.d. networks (N = 400, g = 3) of PRX (erf) or PRL (tanh) type, 16 trajectories x 64 sample times
    each, JAX backend: per matrix PR^phi, PR^x (cross-block), C^phi(tau) and Psi^phi(tau, 0)/Psi(0, 0), tau <= 4.
    Measured (both phi): single-matrix PRs scatter by 31-34 % (matrix-to-matrix disorder: the same matrix from
    different initial states scatters by 11 %), so the mean of 32 has an SE of ~6 %."""
    phi, e = request.param, ENSEMBLE
    N, g, L = e["N"], e["g"], e["lags"]
    rows = []
    for r in range(e["R"]):
        J = cn.iid_matrix(N, g, np.random.default_rng(1000 + r))
        X0 = np.random.default_rng(2000 + r).standard_normal((N, e["n_traj"])) * g
        st = simulate.simulate_blocks(J, X0, phi=phi, t_transient=e["t_transient"], block_len=e["block_len"], n_blocks=e["n_blocks"],
                                      n_groups=4, max_lag=L, psi_max_lag=L, backend="jax")
        rows.append(np.concatenate([[pr_of(st["phi"], N)[0], pr_of(st["x"], N)[0]], st["phi"].two_point,
                                    st["phi"].psi_tau0 / st["phi"].psi_tau0[0]]))
    rows = np.array(rows)
    th = dmft.dimension_theory(g, phi=phi)
    ss = dmft.single_site(g, phi=phi)
    lags = np.arange(L + 1)
    return {
        "phi": phi,
        "mean": rows.mean(axis=0),
        "se": rows.std(axis=0, ddof=1) / np.sqrt(rows.shape[0]),
        "pr_theory": np.array([th.pr_phi_iid, th.pr_x_iid]),
        "c_theory": np.interp(lags, ss.tau, ss.c_phi),
        "psibar_theory": np.interp(lags, ss.tau, th.psi_tau0(1e12) / th.psi_tau0(1e12)[0]) if phi == "erf" else None,
        "L": L,
    }


def test_simulated_pr_matches_dmft_at_moderate_N(iid_ensemble):
    """PR^phi and PR^x of i.i.d. erf (PRX) and tanh (PRL, its Fig. 2a) networks against the DMFT: the mean over
    32 matrices within 3 standard errors (SE ~6 %, i.e. a tolerance of ~18 %; measured deviations: erf +1 %
    and +3 %, tanh +0.5 % and +2.5 %, with SE 7.7 % over 16 matrices).  The test keeps its power: SE < 9 %."""
    e = iid_ensemble
    mean, se, th = e["mean"][:2], e["se"][:2], e["pr_theory"]
    assert np.all(se < 0.09 * th), se / th
    assert np.all(np.abs(mean - th) <= 3 * se), (e["phi"], mean / th - 1, se / th)


def test_two_point_function_and_psi_tau0_follow_the_dmft_lag_by_lag(iid_ensemble):
    """C^phi(tau) at lags 0..4 (sampled every time unit) within 3 SE of the DMFT (SE 0.3 %, 0.7 %, 1.6 %, 2.8 %,
    4.6 % of C at lags 0..4 over 16 matrices: a sample taken one RK4 step late shifts C(2) by 2.5 %, 1.6 SE);
    normalised Psi^phi(tau, 0) (erf, PRX Fig. 4b) within 3 SE at lags 1..4 (SE 0.3-2.3 %)."""
    e, L = iid_ensemble, iid_ensemble["L"]
    c, c_se = e["mean"][2 : 3 + L], e["se"][2 : 3 + L]
    assert np.all(np.abs(c - e["c_theory"]) <= 3 * c_se + 1e-3), (c, e["c_theory"], c_se)
    if e["psibar_theory"] is not None:
        p, p_se = e["mean"][3 + L :], e["se"][3 + L :]
        assert np.all(np.abs(p[1:] - e["psibar_theory"][1:]) <= 3 * p_se[1:] + 1e-3), (p, e["psibar_theory"], p_se)


def test_random_mode_network_has_the_lower_dimension(sim_g3):
    """At alpha PR^D = 1 the random-mode network's PR^phi lies below the i.i.d. one at the same g_eff (theory
    ratio 0.56; one matrix each at N = 500)."""
    _, _, out = sim_g3
    assert pr_of(out["rmm"]["phi"], 500)[0] < pr_of(out["iid"]["phi"], 500)[0]


def test_simulation_is_deterministic_and_rejects_bad_sampling():
    J = cn.iid_matrix(40, 2.0, np.random.default_rng(1))
    X0 = np.random.default_rng(2).standard_normal((40, 3))
    a = simulate.simulate_blocks(J, X0, t_transient=5, block_len=5, n_blocks=4, n_groups=2)
    b = simulate.simulate_blocks(J, X0, t_transient=5, block_len=5, n_blocks=4, n_groups=2)
    np.testing.assert_array_equal(a["phi"].gram, b["phi"].gram)
    with pytest.raises(ValueError):
        simulate.simulate_blocks(J, X0, dt=0.05, sample_every=0.07, block_len=2, n_blocks=2, n_groups=1)


# ---- DMFT --------------------------------------------------------------------------------------


@pytest.mark.parametrize("g", [1.5, 3.0, 10.0])
def test_q0_solves_the_energy_condition(g):
    q0 = dmft.erf_q0(g)
    assert q0 > 0
    assert dmft.erf_potential(q0, q0, g) == pytest.approx(dmft.erf_potential(0.0, q0, g), abs=1e-9 * g * g)


def test_large_g_limit_of_the_slope():
    # nu = g^2 <phi'>^2 -> 1/(pi - 2) (large-g limit, docs/models/clark2025.md#limits)
    q0 = dmft.erf_q0(200.0)
    assert 200.0**2 * dmft.erf_mean_slope(q0) ** 2 == pytest.approx(1.0 / (math.pi - 2.0), rel=0.01)


def test_spectrum_inverts_to_the_time_domain_and_grid_converges():
    ss = dmft.single_site(4.0)
    assert ss.c_phi_w.sum() / (ss.n * ss.dtau) == pytest.approx(ss.c_phi[0], rel=1e-10)
    a, b = dmft.dimension_theory(4.0, 100, 0.1), dmft.dimension_theory(4.0, 150, 0.05)
    for E in (0.1, 1.0, 10.0):
        assert a.pr_phi(E) == pytest.approx(b.pr_phi(E), rel=1e-6)
        assert a.pr_x(E) == pytest.approx(b.pr_x(E), rel=1e-6)


def test_dimension_formula_limits_and_monotonicity():
    th = dmft.dimension_theory(6.0)
    E = np.geomspace(0.01, 1e6, 50)
    assert np.all(np.diff(th.pr_phi(E)) > 0) and np.all(np.diff(th.pr_x(E)) > 0)
    assert th.pr_phi(1e12) == pytest.approx(th.pr_phi_iid, rel=1e-9)  # alpha PR^D -> inf: i.i.d.
    assert th.pr_phi(1e-6) / 1e-6 == pytest.approx(th.k_phi, rel=1e-4)  # low-rank limit K^phi E
    assert th.pr_x(1e-6) / 1e-6 == pytest.approx(th.k_x, rel=1e-4)
    lo, hi = dmft.dimension_theory(3.0), dmft.dimension_theory(10.0)
    assert lo.pr_phi(0.5) < th.pr_phi(0.5) < hi.pr_phi(0.5)  # PR rises with g_eff (PRX Fig. 4a)
    assert 1.0 < lo.k_phi / lo.pr_phi_iid < th.k_phi / th.pr_phi_iid  # K/PR_iid increases with g


def test_buffered_covariance_updates_do_not_change_the_statistics(monkeypatch):
    J = cn.iid_matrix(60, 3.0, np.random.default_rng(1))
    X0 = np.random.default_rng(2).standard_normal((60, 3)) * 3
    kw = dict(t_transient=5, block_len=7, n_blocks=4, n_groups=2, max_lag=2, psi_max_lag=2)
    a = simulate.simulate_blocks(J, X0, **kw)
    monkeypatch.setattr(simulate, "FLUSH_COLUMNS", 1)
    b = simulate.simulate_blocks(J, X0, **kw)
    for n in ("x", "phi"):
        np.testing.assert_allclose(a[n].gram, b[n].gram, rtol=1e-12)
        np.testing.assert_allclose(a[n].block_sqnorm, b[n].block_sqnorm, rtol=1e-12)
        np.testing.assert_array_equal(a[n].psi_tau0, b[n].psi_tau0)


def test_psi_tau0_theory_starts_at_psi00_and_decays():
    th = dmft.dimension_theory(6.0)
    for E in (0.3, 1.0, 10.0):
        assert th.psi_tau0(E)[0] == pytest.approx(th.sums["I0"] + th.sums["I1"] / E, rel=1e-10)
        assert th.c_phi0**2 / th.psi_tau0(E)[0] == pytest.approx(th.pr_phi(E), rel=1e-10)
    psi = th.psi_tau0(1.0)
    assert abs(psi[-1]) < 1e-3 * psi[0] and np.all(np.diff(psi[: int(5 / 0.1)]) < 0)


def test_cross_block_psi_tau0_is_consistent_with_the_plug_in_at_lag_zero(sim_g3):
    """Cross-block Psi(0, 0) (pilot from group 0, later groups only) against the plug-in Psi(0, 0) of the same
    run: the two differ by the pilot's sampling noise and the plug-in's noise bias only (< 25 %)."""
    N, _, out = sim_g3
    for name in ("iid", "rmm"):
        st = out[name]["phi"]
        _, psi00 = estimators.two_point_and_four_point(st.gram, st.block_trace, st.samples_per_block, N)
        assert st.psi_tau0[0] == pytest.approx(psi00, rel=0.25)


def test_merge_does_not_depend_on_how_realisations_are_chunked():
    from rnnstruct.clark.stages import dimension as stage

    params = {
        "seed": 3,
        "clark": {
            "phi": "erf",
            "theory": {"g_eff": [3.0], "eff_rank_min": 0.05, "eff_rank_max": 10.0, "eff_rank_num": 5, "tau_max": 30.0, "dtau": 0.2},
            "simulation": {
                "N": 20, "dt": 0.05, "sample_every": 1.0, "transient": 2.0, "block_len": 3, "n_blocks": 4, "n_groups": 2,
                "n_traj": 2, "reps": 3, "init_scale": 1.0, "precision": "float32", "pr_estimator": "crossblock", "psi_max_lag": 2,
            },
        },
    }
    theory = stage.theory_dimension(params)
    whole = [stage.simulate_points(params, 3.0, e, [0, 1, 2]) for e in (0.5, 2.0)]
    split = [stage.simulate_points(params, 3.0, e, r) for e in (0.5, 2.0) for r in ([0], [1, 2])]
    a = stage.merge_simulations(params, whole, theory)
    b = stage.merge_simulations(params, split, theory)
    xr.testing.assert_identical(a, b)
    assert a["eff_rank_realised"].dims == ("g_eff", "eff_rank")


# ---- structured connectivity primitives and stored-activity estimators ---------------------------


@pytest.mark.parametrize("gamma", [-0.6, 0.3, 0.6])
def test_sigmoidal_overlaps_have_zero_mean_autapse_and_realise_rho(gamma):
    N = 400
    spec = cn.exponential_spectrum(N, 3.0, 0.5)
    rho, u = cn.sigmoidal_overlaps(spec.D, N, gamma)
    assert abs(np.sum(spec.D * rho)) < 1e-9 * np.sum(spec.D)
    assert 0.0 < u < spec.alpha and np.max(np.abs(rho)) <= abs(gamma)
    # l_a . r_a = rho_a + O(N^-1/2): draw the factors the way rmm_overlap_matrix does (one mode at a time)
    rng = np.random.default_rng(0)
    X1, X2, Y = (rng.standard_normal((3000, N)) / np.sqrt(N) for _ in range(3))
    r = gamma
    L = np.sqrt(1 - abs(r)) * X1 + np.sqrt(abs(r)) * Y
    R = np.sqrt(1 - abs(r)) * X2 + np.sign(r) * np.sqrt(abs(r)) * Y
    assert np.mean(np.sum(L * R, axis=1)) == pytest.approx(r, abs=4.0 / np.sqrt(N * 3000) + 1e-3)


def test_overlap_matrix_reduces_to_rmm_and_raises_mean_reciprocity():
    N = 300
    spec = cn.exponential_spectrum(N, 3.0, 0.5)
    gens = lambda: [np.random.default_rng(s) for s in (1, 2, 3)]  # noqa: E731
    J0 = cn.rmm_matrix(spec, *gens()[:2])
    assert np.array_equal(J0, cn.rmm_overlap_matrix(spec, np.zeros(spec.M), *gens()))
    # constant overlap rho: <N J_ij J_ji> = alpha <(D rho)^2> to leading order
    J = cn.rmm_overlap_matrix(spec, np.full(spec.M, 0.5), *gens())
    off = ~np.eye(N, dtype=bool)
    expected = np.sum((spec.D * 0.5) ** 2) / N
    assert N * np.mean((J * J.T)[off]) == pytest.approx(expected, rel=0.1)
    with pytest.raises(ValueError, match="one entry per mode"):
        cn.rmm_overlap_matrix(spec, np.zeros(3), *gens())


def test_partially_symmetric_coupling_moments():
    N, g, rho = 600, 2.0, 0.4
    J = cn.partially_symmetric_matrix(N, g, rho, np.random.default_rng(5))
    off = ~np.eye(N, dtype=bool)
    assert N * np.var(J[off]) == pytest.approx(g * g, rel=0.02)
    assert N * np.mean((J * J.T)[off]) == pytest.approx(rho * g * g, rel=0.05)
    with pytest.raises(ValueError, match="rho must lie"):
        cn.partially_symmetric_matrix(N, g, 1.5, np.random.default_rng(5))


@pytest.mark.parametrize("pr_g", [0.1, 0.5, 1.0])
def test_exponential_gains_normalised_with_target_participation(pr_g):
    G = cn.exponential_gains(20000, pr_g)
    assert np.mean(G**2) == pytest.approx(1.0, rel=1e-12)
    assert np.mean(G**2) ** 2 / np.mean(G**4) == pytest.approx(pr_g, rel=2e-3)


def test_lagged_four_point_identities():
    rng = np.random.default_rng(7)
    J = cn.iid_matrix(80, 2.5, rng)
    x, p = simulate.record_activity(J, rng.standard_normal((80, 3)), 200, t_transient=30.0)
    assert p.shape == (200, 80, 3) and np.allclose(p, simulate.phi_function("erf")(x), atol=1e-6)
    C = estimators.lagged_covariances(p, 4)
    assert np.allclose(C[4 - 2], C[4 + 2].T)
    P = estimators.four_point_lagged(C)
    assert np.allclose(P, P.T)
    c0 = np.trace(C[4]) / 80
    lam = np.linalg.eigvalsh(C[4])
    pr = lam.sum() ** 2 / (80 * np.sum(lam**2))
    assert pr == pytest.approx(c0**2 / P[4, 4], rel=1e-10)  # PR = C(0)^2 / Psi(0, 0)
    with pytest.raises(ValueError, match="max_lag"):
        estimators.lagged_covariances(p, 200)
