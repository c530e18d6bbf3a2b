"""PRL (Clark, Abbott & Litwin-Kumar 2023) group: tanh DMFT, four-point functions on the lag grid,
Fig. 5 decomposition, large-g limits, and the PRL stage (theory / simulation / merge)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rnnstruct.clark import dmft


@pytest.fixture(scope="module")
def tanh5():
    return dmft.single_site(5.0, 60.0, 0.2, phi="tanh")


def _mc_c_phi(c, q0, n=2_000_000, seed=0):
    rng = np.random.default_rng(seed)
    z, y1, y2 = rng.standard_normal((3, n))
    a, b = math.sqrt(q0 - c), math.sqrt(c)
    return float(np.mean(np.tanh(a * y1 + b * z) * np.tanh(a * y2 + b * z))), 1.0 / math.sqrt(n)


@pytest.mark.parametrize("q0,c", [(1.0, 0.5), (30.0, 29.0), (300.0, 299.0), (300.0, 50.0)])
def test_tanh_c_phi_matches_monte_carlo(q0, c):
    # plain Gauss-Hermite is off by 3 % at q0 = 300; the split quadrature must agree with MC to 5 SE
    est, se = _mc_c_phi(c, q0)
    assert dmft.tanh_c_phi(c, q0) == pytest.approx(est, abs=5 * se)
    assert dmft.tanh_c_phi(-c, q0) == -dmft.tanh_c_phi(c, q0)


@pytest.mark.parametrize("g", [1.5, 3.0, 10.0, 20.0])
def test_tanh_q0_solves_its_energy_condition(g):
    q0 = dmft.tanh_q0(g)
    kern = dmft.TanhKernel(q0)
    # 1-D form of the condition and the potential built from the tabulated C^phi (Price's theorem) agree
    assert abs(dmft.tanh_energy_gap(q0, g)) < 1e-9 * q0 * q0
    assert kern.potential(q0, g) == pytest.approx(kern.potential(0.0, g), abs=1e-7 * q0 * q0)
    # dV/dc = -c + g^2 C^phi(c) vanishes nowhere inside (0, q0) with the wrong sign: V(c) > V(0)... no
    # trapped motion: the particle starting at q0 reaches 0 only at tau -> inf, so V(c) < V(q0) inside
    c = np.linspace(0.05, 0.95, 19) * q0
    assert np.all(kern.potential(c, g) < kern.potential(q0, g))


@pytest.mark.parametrize("eps", [0.02, 0.05])
def test_near_onset_variance_is_epsilon(eps):
    # PRL: C^x(0) ~ eps = g - 1 (leading order; the correction is O(eps^2), so q0/eps - 1 = O(eps))
    q0 = dmft.tanh_q0(1.0 + eps)
    assert q0 / eps == pytest.approx(1.0, abs=2.0 * eps)


def test_near_onset_shape_is_sech():
    eps = 0.1
    ss = dmft.single_site(1.0 + eps, 200.0, 0.2, phi="tanh")
    pred = ss.q0 * 1.0 / np.cosh(eps * ss.tau / math.sqrt(3.0))
    sel = ss.tau < 60
    assert np.max(np.abs(ss.c_x[sel] - pred[sel])) < 0.15 * ss.q0


def test_tanh_spectrum_self_consistency(tanh5):
    # C^x(w) = g^2 C^phi(w) / (1 + w^2) (docs/models/clark2025.md#single-site-dmft) on the discrete grid, low
    # frequencies
    ss = tanh5
    low = np.abs(ss.omega) < 3.0
    lhs, rhs = ss.c_x_w[low], ss.g**2 * ss.c_phi_w[low] / (1.0 + ss.omega[low] ** 2)
    assert np.max(np.abs(lhs - rhs)) < 2e-3 * np.max(np.abs(rhs))


def test_erf_path_is_unchanged():
    a = dmft.single_site(4.0, 60.0, 0.2)
    b = dmft.single_site(4.0, 60.0, 0.2, phi="erf")
    assert a.phi == "erf" and np.array_equal(a.c_x, b.c_x)
    assert a.q0 == dmft.erf_q0(4.0) and a.mean_slope == dmft.erf_mean_slope(a.q0)
    with pytest.raises(ValueError, match="phi must be one of"):
        dmft.single_site(4.0, phi="relu")


def test_decomposition_sums_to_psi_and_pr_consistency(tanh5):
    grid = dmft.psi_grid(tanh5, 10.0, 1.0)
    total = sum(grid[p] for p in dmft.PSI_PARTS)
    assert np.max(np.abs(total - grid["psi_phi"])) < 1e-10 * np.max(np.abs(grid["psi_phi"]))
    diag = sum(grid[f"{p}_diag"] for p in dmft.PSI_PARTS)
    assert np.allclose(diag, grid["psi_phi_diag"], rtol=0, atol=1e-10 * grid["psi_phi_diag"].max())
    # PR = C(0)^2 / Psi(0,0) = C(0)^2 / (C(0)^2 + psi(0,0)) with psi from the inverse 2-D DFT
    th = dmft.DimensionTheory(5.0, float(tanh5.c_phi[0]), float(tanh5.c_x[0]), dmft.four_point_sums(tanh5))
    k = int(np.argmin(np.abs(grid["lags"])))
    c0p, c0x = tanh5.c_phi[0], tanh5.c_x[0]
    assert th.pr_phi_iid == pytest.approx(c0p**2 / (c0p**2 + grid["psi_phi"][k, k]), rel=1e-10)
    assert th.pr_x_iid == pytest.approx(c0x**2 / (c0x**2 + grid["psi_x"][k, k]), rel=1e-10)
    # symmetry psi(t1, t2) = psi(t2, t1) = psi(-t1, -t2); the diagonal carries the slow timescale
    P = grid["psi_phi"]
    assert np.allclose(P, P.T, atol=1e-12 * P.max()) and np.allclose(P, P[::-1, ::-1], atol=1e-12 * P.max())
    assert P[k + 5, k + 5] > P[k + 5, k - 5]


def test_psi_x_matches_prl_c1(tanh5):
    ss = tanh5
    f = dmft.psi_frequency(ss)
    X = (1 + 1j * ss.omega)[:, None] * (1 + 1j * ss.omega)[None, :]
    nu = ss.g**2 * ss.mean_slope**2
    cx12 = ss.c_x_w[:, None] * ss.c_x_w[None, :]
    # PRL C1 uses C^x = g^2 |S^x|^2 C^phi, which holds on the grid to the DMFT accuracy
    c1 = ((2 * np.abs(X) ** 2 - nu**2) / np.abs(X - nu) ** 2 - 1.0) * cx12
    assert np.max(np.abs(c1 - f["psi_x"])) < 5e-3 * np.max(np.abs(f["psi_x"]))


def test_large_g_pr_approaches_the_ising_limit():
    lim = dmft.ising_limits(60.0, 0.1)
    assert dmft.ISING_NU == pytest.approx(1.0 / (math.pi - 2.0))
    prev = None
    for g in (10.0, 40.0, 160.0):
        th = dmft.dimension_theory(g, 60.0, 0.1, phi="tanh")
        dev = abs(th.pr_phi_iid / lim["pr_phi"] - 1.0) + abs(th.pr_x_iid / lim["pr_x"] - 1.0)
        assert prev is None or dev < prev
        prev = dev
    assert prev < 0.03
    # erf has the same limit (both tend to sign(x))
    th = dmft.dimension_theory(160.0, 60.0, 0.1)
    assert th.pr_phi_iid == pytest.approx(lim["pr_phi"], rel=0.03)


# ---- stage -------------------------------------------------------------------------------------

import copy  # noqa: E402

import yaml  # noqa: E402

from rnnstruct.clark import checks as clark_checks  # noqa: E402
from rnnstruct.clark.stages import prl as clark_prl  # noqa: E402

TEST_PRL = yaml.safe_load(open("config/test.yaml"))["clark"]["prl"]


def _params(**sim):
    prl = copy.deepcopy(TEST_PRL)
    prl["simulation"].update(sim)
    return {"seed": 7, "clark": {"prl": prl}}


def test_cross_half_psi_is_unbiased_for_white_noise():
    # independent white-noise units: C_ij(tau) = delta_ij delta_tau0, so psi = 0 on every lag pair;
    # the plug-in Psi carries the sampling noise sum_ij Var(C_ij) ~ N / T, the cross-half one does not
    rng = np.random.default_rng(3)
    N, T = 60, 400
    naive, cross = [], []
    for _ in range(20):
        r = clark_prl.psi_from_activity(rng.standard_normal((T, N, 1)), 2)
        naive.append(r["naive"])
        cross.append(r["crossblock"])
    naive, cross = np.mean(naive, axis=0), np.mean(cross, axis=0)
    assert naive[2, 2] == pytest.approx(N / T, rel=0.2)  # bias of the plug-in at lag (0, 0)
    assert abs(cross[2, 2]) < 0.15 * N / T
    assert np.allclose(cross, cross.T) and np.allclose(naive, naive.T)


def test_simulation_chunks_and_merge_do_not_depend_on_job_layout():
    p = _params()
    th = clark_prl.theory(p)
    eig = clark_prl.eigenmodes(p)
    g = TEST_PRL["simulation"]["g"]
    whole = [clark_prl.simulate_g(p, x, [0, 1]) for x in g]
    split = [clark_prl.simulate_g(p, x, [r]) for x in g for r in (0, 1)]
    fs = TEST_PRL["finite_size"]
    n_other = [n for n in fs["N"] if n != TEST_PRL["simulation"]["N"]]
    fs_whole = [clark_prl.simulate_g(p, fs["g"], [0, 1], N=n) for n in n_other]
    fs_split = [clark_prl.simulate_g(p, fs["g"], [r], N=n) for n in n_other for r in (0, 1)]
    a, b = clark_prl.merge(p, whole, eig, th, fs_whole), clark_prl.merge(p, split, eig, th, fs_split)
    # the profile's own N in the finite-size scan is the main run at that coupling
    n0 = TEST_PRL["simulation"]["N"]
    assert float(a["prl_fs_pr_phi"].sel(fs_N=n0)) == float(a["prl_pr_phi_median"].sel(g_sim=fs["g"]))
    assert "prl_psi_sim_crossblock" not in fs_whole[0]  # other sizes: participation ratios only
    for name in a.data_vars:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)
    assert np.all(a["prl_pr_phi_theory"].values == th["prl_pr_phi"].sel(g=g).values)
    # the recorded phi-variance and the PR estimates are physical
    assert np.all((a["prl_pr_phi_median"] > 0) & (a["prl_pr_phi_median"] <= 1))
    assert np.isfinite(a["prl_psi_rel_rms_dev"]).all()
    # eigenmodes: unit-norm eigenvectors, variance positive, bulk radius ~ g
    assert np.all(eig["prl_mode_variance"] > 0)
    assert np.max(np.hypot(eig["prl_eig_re"], eig["prl_eig_im"])) < 1.6 * float(eig["prl_eigen_g"])


def test_theory_file_identities():
    th = clark_prl.theory(_params())
    parts = sum(th[f"prl_psi_{p}_diag"] for p in dmft.PSI_PARTS)
    np.testing.assert_allclose(parts, th["prl_psi_phi_diag"], atol=1e-10)
    k = int(np.argmin(np.abs(th["tau1"].values)))
    for g in th["psi_g"].values:
        ss = dmft.single_site(g, TEST_PRL["theory"]["psi_tau_max"], TEST_PRL["theory"]["psi_dtau"], phi="tanh")
        c0 = ss.c_phi[0]
        pr = c0**2 / (c0**2 + float(th["prl_psi_phi_map"].sel(psi_g=g)[k, k]))
        assert pr == pytest.approx(float(th["prl_pr_phi"].sel(g=g)), rel=2e-3)  # different tau grids
    assert 0 < float(th["prl_pr_x_ising"]) < float(th["prl_pr_phi_ising"]) < 1


def test_prl_config_errors_name_the_key():
    cfg = yaml.safe_load(open("config/test.yaml"))
    assert clark_checks._clark_prl_errors(cfg["clark"]) == []
    bad = copy.deepcopy(cfg["clark"])
    bad["prl"]["simulation"]["g"] = [3.0, 7.0]
    bad["prl"]["psi"]["g"] = [4.0]
    bad["prl"]["theory"]["psi_tau_max"] = 5.0
    errs = "\n".join(clark_checks._clark_prl_errors(bad))
    for key in ("clark.prl.theory.g", "clark.prl.psi.g", "clark.prl.theory.psi_tau_max"):
        assert key in errs
