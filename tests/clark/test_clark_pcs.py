"""Clark activity-trace group: PC timescales (PRX 27-28), FWHM, time x time matrix, stage and config."""

from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
import yaml

from conftest import semantic_errors
from rnnstruct.clark import connectivity, dmft, estimators, pcs, simulate
from rnnstruct.clark.stages import pcs as clark_pcs

ROOT = Path(__file__).resolve().parents[2]


def _params(name="test.yaml"):
    cfg = yaml.safe_load((ROOT / "config" / name).read_text())
    return {"seed": cfg["seed"], "clark": {"pcs": cfg["clark"]["pcs"]}}


@pytest.fixture(scope="module")
def activity():
    """Rates of a small chaotic i.i.d. network, (T, N, n_traj) = (300, 40, 3)."""
    rng = np.random.default_rng(11)
    J = connectivity.iid_matrix(40, 3.0, rng)
    _, rates = simulate.record_activity(J, rng.standard_normal((40, 3)) * 3.0, 300, t_transient=30.0, dtype=np.float64)
    return rates


# ---- identities of the sample estimates -----------------------------------------------------------


def test_weighted_pc_sums_equal_two_and_four_point_functions(activity):
    """(1/N) sum_k lambda_k C^{p_k}(tau) = C(tau), (1/N) sum_k lambda_k^2 C^{p_k}(tau) = Psi(tau, 0), checked
    against the independent lagged-covariance estimators of clark.estimators."""
    max_lag = 15
    res = pcs.pc_analysis(activity, max_lag)
    N = activity.shape[1]
    C = estimators.lagged_covariances(activity, max_lag)  # (2 max_lag + 1, N, N), same sample pairs
    c_direct = np.trace(C[max_lag:], axis1=1, axis2=2) / N
    psi_direct = estimators.four_point_lagged(C)[max_lag:, max_lag]  # Psi(tau, 0)
    scale_c, scale_psi = c_direct[0], psi_direct[0]
    assert np.max(np.abs(res["sum_c"] - c_direct)) < 1e-10 * scale_c
    assert np.max(np.abs(res["sum_psi"] - psi_direct)) < 1e-10 * scale_psi
    assert np.max(np.abs(res["c_tau"] - c_direct)) < 1e-12 * scale_c
    assert np.max(np.abs(res["psi_tau0"] - psi_direct)) < 1e-10 * scale_psi
    # the unit-variance normalisation: C^{p_k}(0) = 1 for every resolved PC
    ok = res["lam"] > 1e-8 * res["lam"][0]
    assert np.allclose(res["pc_autocorr"][0, ok], 1.0, atol=1e-9)


def test_pc_series_are_orthonormal_at_equal_time(activity):
    C0 = pcs.equal_time_covariance(activity)
    lam, V = pcs.eigenpairs(C0)
    assert np.all(np.diff(lam) <= 1e-12)  # descending
    k = 10
    P = pcs.pc_series(activity, lam[:k], V[:, :k])
    M = P.transpose(1, 0, 2).reshape(k, -1)
    assert np.allclose(M @ M.T / M.shape[1], np.eye(k), atol=1e-9)
    with pytest.raises(ValueError, match="lambda_k > 0"):
        pcs.pc_series(activity, np.r_[lam[:2], 0.0], V[:, :3])


def test_time_time_matrix(activity):
    A = activity[:50, :, 0]
    M = pcs.time_time_matrix(A)
    assert M.shape == (50, 50) and np.allclose(M, M.T)
    assert M[3, 7] == pytest.approx(np.mean(A[3] * A[7]), rel=1e-12)
    assert np.mean(np.diag(M)) == pytest.approx(np.mean(A**2), rel=1e-12)  # diagonal average = C(0) of the window
    with pytest.raises(ValueError, match="one trajectory"):
        pcs.time_time_matrix(activity)


def EXP(t):
    return np.exp(-t)


# ---- FWHM -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape, width",
    [
        (EXP, 2.0 * math.log(2.0)),
        (lambda t: 1.0 / np.cosh(t), 2.0 * math.acosh(2.0)),
    ],
)
@pytest.mark.parametrize("tau_c", [2.0, 7.5])
def test_fwhm_of_analytic_autocorrelations(shape, width, tau_c):
    fine = 0.001
    tau = np.arange(0, 10 * tau_c, fine)
    assert pcs.fwhm(3.0 * shape(tau / tau_c), fine) == pytest.approx(width * tau_c, rel=1e-5)
    coarse = np.arange(0, 10 * tau_c, 1.0)  # integer lags as in the simulations
    exact_on_grid = shape is EXP  # log-linear interpolation is exact for exponential decay
    rel = 1e-12 if exact_on_grid else 0.02
    assert pcs.fwhm(shape(coarse / tau_c), 1.0) == pytest.approx(width * tau_c, rel=rel)


def test_fwhm_vectorised_and_unresolved():
    tau = np.arange(0.0, 20.0)
    rows = np.stack([np.exp(-tau / 2.0), np.exp(-tau / 50.0), np.zeros_like(tau)])
    out = pcs.fwhm(rows)
    assert out.shape == (3,)
    assert out[0] == pytest.approx(2 * 2 * math.log(2), rel=0.03)
    assert np.isnan(out[1]) and np.isnan(out[2])  # never halves on the grid; zero variance


def test_log_fit_recovers_slope():
    N = np.array([100, 200, 500, 1000])
    slope, intercept, se = pcs.log_fit(N, 1.5 + 2.25 * np.log(N))
    assert slope == pytest.approx(2.25, rel=1e-12) and intercept == pytest.approx(1.5, rel=1e-10) and se < 1e-10


# ---- stage --------------------------------------------------------------------------------------------


def test_fig9_stage_identities_and_theory():
    """Fig. 9 data at N = 400, g = 6: the weighted sums equal the direct estimates exactly and the
    simulation follows the DMFT C^phi(tau) and (cross-half) Psi^phi(tau, 0) at small lags."""
    p = _params()
    f = p["clark"]["pcs"]["fig9"]
    f.update(N=400, n_samples=500, n_traj=4, pcs_shown=[1, 10, 100], t_trace=499, max_lag=30)
    p["clark"]["pcs"].update(transient=50.0, theory_tau_max=40.0, theory_dtau=0.1)
    ds = clark_pcs.traces(p, "fig9")
    assert np.max(np.abs(ds.pcs_fig9_sum_c - ds.pcs_fig9_c_phi_direct)) < 1e-10
    assert np.max(np.abs(ds.pcs_fig9_sum_psi - ds.pcs_fig9_psi_direct)) < 1e-10 * float(ds.pcs_fig9_psi_direct[0])
    assert ds.pcs_fig9_trace.shape == (3, 500)
    # unit variance (exactly 1 pooled over the 4 trajectories; one trajectory over the whole run: within 0.3)
    assert np.allclose(np.sqrt(np.mean(ds.pcs_fig9_trace.values**2, axis=1)), 1.0, atol=0.3)
    # theory at integer lags of the DMFT grid
    ss = dmft.single_site(6.0, 40.0, 0.1)
    assert np.allclose(ds.pcs_fig9_c_phi_theory, ss.c_phi[::10][:31], rtol=1e-12)
    c, th = ds.pcs_fig9_c_phi_direct.values, ds.pcs_fig9_c_phi_theory.values
    # finite N = 400 and T = 2000 samples: C^phi(tau) (self-averaging) to 0.03 absolute at tau <= 4;
    # Psi (i.e. 1/PR) fluctuates from network to network by O(N^-1/2) and has O(1/N) corrections: 20 %
    assert c[0] == pytest.approx(th[0], rel=0.03)
    assert np.max(np.abs(c[:5] - th[:5])) < 0.03
    psi_x, psi_th = ds.pcs_fig9_psi_crosshalf.values, ds.pcs_fig9_psi_theory.values
    assert abs(psi_x[0] / psi_th[0] - 1.0) < 0.2
    # noise bias: the plug-in exceeds the cross-half estimate at lag 0
    assert ds.pcs_fig9_psi_direct.values[0] > psi_x[0]
    # leading PC is slower than the single-unit autocorrelation (the point of PRX Fig. 9)
    assert ds.pcs_fig9_pc_fwhm.values[0] > pcs.fwhm(c)


def test_fig3_stage():
    p = _params()
    ds = clark_pcs.traces(p, "fig3")
    f = p["clark"]["pcs"]["fig3"]
    n, w = f["n_neurons_shown"], f["window"]
    assert ds.pcs_fig3_cov_neurons.shape == (n, n) and ds.pcs_fig3_cov_time.shape == (w, w)
    assert np.allclose(ds.pcs_fig3_cov_neurons, ds.pcs_fig3_cov_neurons.T)
    assert float(ds.pcs_fig3_diag_mean) == pytest.approx(float(ds.pcs_fig3_c_phi_sim[0]), rel=1e-12)
    with pytest.raises(ValueError, match="panel must be one of"):
        clark_pcs.traces(p, "fig5")


def test_timescales_deterministic_and_chunk_invariant():
    p = _params()
    both = clark_pcs.timescales(p, 10.0, 20, [0, 1])
    parts = [clark_pcs.timescales(p, 10.0, 20, [r]) for r in (0, 1)]
    joined = xr.concat(parts, dim="rep", data_vars="minimal", coords="minimal")
    xr.testing.assert_identical(both.drop_vars(["pcs_g", "pcs_N"]), joined.drop_vars(["pcs_g", "pcs_N"]))
    assert not np.allclose(both.pcs_pc_fwhm[0], both.pcs_pc_fwhm[1], equal_nan=True)  # independent realisations


def test_merge_timescales():
    p = _params()
    f = p["clark"]["pcs"]["prl_fig4"]
    points = sorted({(g, f["N"]) for g in f["g"]} | {(f["g_scan"], n) for n in f["N_scan"]})
    parts = [clark_pcs.timescales(p, g, n, [r]) for g, n in points for r in range(f["reps"])]
    ds = clark_pcs.merge_timescales(p, parts[::-1])  # order of the parts does not matter
    assert ds.pcs_a_pc_fwhm.shape == (len(f["g"]), f["reps"], f["N"])
    width = float(ds.pcs_fwhm_bin[1] - ds.pcs_fwhm_bin[0])
    assert np.allclose(ds.pcs_a_density.sum("pcs_fwhm_bin") * width, 1.0)
    assert ds.pcs_b_median.shape == (len(f["N_scan"]), len(f["lead_pcs"]))
    j = 0
    med = np.nanmedian(ds.pcs_b_lead_fwhm.values[:, :, j], axis=1)
    slope, _, _ = pcs.log_fit(f["N_scan"], med)
    assert float(ds.pcs_b_logslope[j]) == pytest.approx(slope, rel=1e-12)
    # the PRL Fig. 4a point at g_scan is the same realisation as the Fig. 4b point at N = prl_fig4.N
    i_b = f["N_scan"].index(f["N"])
    lead0 = np.asarray(f["lead_pcs"]) - 1
    np.testing.assert_array_equal(ds.pcs_b_lead_fwhm.values[i_b], ds.pcs_a_pc_fwhm.sel(pcs_g_a=f["g_scan"]).values[:, lead0])


# ---- config ---------------------------------------------------------------------------------------------


def _errors(mutate):
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    cfg = copy.deepcopy(cfg)
    mutate(cfg["clark"]["pcs"])
    return [e for e in semantic_errors(cfg) if "clark.pcs" in e]


def test_config_checks_name_the_key():
    assert _errors(lambda c: None) == []
    errs = _errors(lambda c: c["fig9"].update(pcs_shown=[1, 5000]))
    assert any("clark.pcs.fig9.pcs_shown" in e and "5000" in e for e in errs)
    errs = _errors(lambda c: c["prl_fig4"].update(lead_pcs=[1, 80]))
    assert any("clark.pcs.prl_fig4.lead_pcs" in e for e in errs)
    errs = _errors(lambda c: c["fig3"].update(window=10**6))
    assert any("clark.pcs.fig3.window" in e for e in errs)
    errs = _errors(lambda c: c.update(theory_dtau=0.3))
    assert any("clark.pcs.theory_dtau" in e for e in errs)
