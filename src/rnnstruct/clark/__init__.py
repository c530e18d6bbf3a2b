"""Clark et al. 2025 (PRX) + 2023 (PRL): random-mode model, dimension of activity, DMFT theory.

Pure library (arrays and parameters in, arrays or xarray out; no workflow code):

* :mod:`.connectivity`: mode-strength spectra (exponential, step, constant) normalised to g_eff,
  effective rank alpha PR^D, random-mode matrices J = L diag(D) R^T formed in mode chunks, i.i.d. J;
* :mod:`.simulate`: batched RK4 of dx/dt = -x + J phi(x) (many trajectories per matrix, one GEMM per
  stage), streaming block covariance with per-group sums, two-point functions C(tau);
* :mod:`.estimators`: participation ratio from block sufficient statistics, naive and cross-block
  (unbiased) estimators, delete-one-group jackknife errors;
* :mod:`.dmft`: single-site DMFT of the erf network by the potential method, the discrete FFT recipe
  and the four-point sums that give PR^phi, PR^x of the random-mode model (PRX 38, I22) for any
  effective rank, the i.i.d. limit and the low-rank constant K^a(g).
"""
