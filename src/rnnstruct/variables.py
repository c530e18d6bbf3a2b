"""CF metadata of every variable and coordinate that rnnstruct writes, kept in one place.

Each entry: ``long_name``, ``units`` (UDUNITS; "1" for dimensionless and per-step exponents)
and ``comment`` (the formula or definition).  A variable that may legitimately hold NaN says what
NaN means in ``nan_meaning``; the writer refuses NaN anywhere else.  :func:`rnnstruct.io.write_dataset` fills these
attributes and refuses to write a variable that has none.
"""

from __future__ import annotations

from .dynamics import REGIME_CODES

_REGIME_MEANINGS = " ".join(sorted(REGIME_CODES, key=REGIME_CODES.get))

VARIABLES: dict[str, dict] = {
    # ---- coordinates -------------------------------------------------------------------
    "w": dict(long_name="connection strength (width of the weight distribution)", units="1",
              comment="W_ij = (w / sqrt(N d)) s_ij |xi_ij| a_ij; at b = 0 W_ij ~ N(0, w^2/N)"),
    "b": dict(long_name="excitatory/inhibitory balance", units="1",
              comment="sign s_ij = +1 with probability (1 + b)/2; b = -1 all inhibitory, +1 all excitatory"),
    "rep": dict(long_name="realisation index", units="1",
                comment="independent W, x(0) and tangent vector per index; seeds from SeedSequence(seed, key)"),
    "traj": dict(long_name="trajectory index", units="1", comment="independent initial states sharing one W"),
    "example": dict(long_name="example matrix index", units="1", comment="one (w, b, rep) per example"),
    "post": dict(long_name="postsynaptic neuron index i", units="1", comment="row of W; W_ij is the weight from j to i"),
    "pre": dict(long_name="presynaptic neuron index j", units="1", comment="column of W; column j holds neuron j's output weights"),
    "eig": dict(long_name="eigenvalue index", units="1", comment="sorted by decreasing modulus"),
    "w_theory": dict(long_name="connection strength of the theory curve", units="1", comment="g = w (b = 0)"),
    "example_w": dict(long_name="connection strength of the example", units="1", comment="w of the example matrix"),
    "example_b": dict(long_name="balance of the example", units="1", comment="b of the example matrix"),
    "example_rep": dict(long_name="realisation of the example", units="1", comment="rep of the example matrix"),
    # ---- ensemble ----------------------------------------------------------------------
    "W": dict(long_name="recurrent weight matrix W[post, pre]", units="1", comment="W_ij is the weight from j to i"),
    "eigval_re": dict(long_name="real part of eigenvalue of W", units="1", comment="Re lambda_k, numpy.linalg.eigvals"),
    "eigval_im": dict(long_name="imaginary part of eigenvalue of W", units="1", comment="Im lambda_k"),
    "mean": dict(long_name="realised mean weight", units="1", comment="mean_ij W_ij"),
    "var": dict(long_name="realised weight variance", units="1", comment="var_ij W_ij"),
    "bulk_radius": dict(long_name="realised bulk spectral radius (maximum)", units="1",
                        comment="max |lambda| over eigenvalues other than the outlier"),
    "bulk_radius_rms": dict(long_name="realised bulk spectral radius (second moment)", units="1",
                            comment="sqrt(2 <|lambda|^2>) over the bulk: the radius of a uniform disk with that moment"),
    "outlier_re": dict(long_name="real part of the realised outlier eigenvalue", units="1",
                       comment="eigenvalue closest to the predicted outlier when that lies outside the predicted bulk; NaN otherwise",
        nan_meaning="no outlier: the predicted outlier lies inside the predicted bulk"),
    "outlier_im": dict(long_name="imaginary part of the realised outlier eigenvalue", units="1", comment="see outlier_re",
        nan_meaning="no outlier: the predicted outlier lies inside the predicted bulk"),
    "mean_theory": dict(long_name="predicted mean weight", units="1", comment="b w sqrt(2 d / (pi N))"),
    "var_theory": dict(long_name="predicted weight variance", units="1",
                       comment="(w^2/N)(1 - 2 b^2 d/pi) (sign_prob); (w^2/N)(1 + 2 b^2 (1-d)/pi) (gaussian_mean)"),
    "bulk_radius_theory": dict(long_name="predicted bulk radius (circular law)", units="1", comment="sqrt(N var_theory)"),
    "outlier_theory": dict(long_name="predicted real outlier", units="1", comment="N mean_theory = b w sqrt(2 d N / pi)"),
    # ---- dynamics ----------------------------------------------------------------------
    "mean_abs": dict(long_name="saturation level A", units="1", comment="A = < |x_i(t)| >_{i,t} over the measurement window"),
    "sat_frac": dict(long_name="saturated fraction S", units="1",
                     comment="S = < 1[|x_i(t)| > theta_sat] >_{i,t}; theta_sat in attribute parameters"),
    "fluctuation": dict(long_name="fluctuation F", units="1", comment="F = < std_t x_i(t) >_i"),
    "corr1": dict(long_name="lag-1 correlation C1", units="1",
                  comment="C1 = < Pearson_t(x_i(t), x_i(t+1)) >_i; a neuron with zero std counts 1"),
    "global_mean": dict(long_name="time-averaged global mean activity", units="1", comment="< M(t) >_t, M(t) = < x_i(t) >_i"),
    "global_std": dict(long_name="temporal std of the global mean activity", units="1", comment="std_t M(t)"),
    "lyap_max": dict(long_name="largest Lyapunov exponent", units="1",
                     comment="(1/T) sum_t log ||v(t)||, v(t+1) = (1 - x(t+1)^2) (W v(t)) renormalised every step; per update step; -inf if W v = 0 exactly"),
    "period": dict(long_name="period of the attractor", units="1",
                   comment="smallest P <= max_period with ||x(T-j) - x(T-j-P)|| < period_tol for j = 0..P-1; 1 = fixed point; 0 = none found"),
    "regime": dict(long_name="dynamical regime", units="1",
                   comment="fixed point if F < tol (quiescent if A < tol else saturated); else chaotic if lyap_max > tol; else periodic if period > 0; else other",
                   flag_values=list(range(len(REGIME_CODES))), flag_meanings=_REGIME_MEANINGS),
    "spectral_radius": dict(long_name="spectral radius of W", units="1", comment="max_k |lambda_k(W)|"),
    "max_real_eig": dict(long_name="largest real part of an eigenvalue of W", units="1", comment="max_k Re lambda_k(W)"),
    # ---- mean-field validation ----------------------------------------------------------
    "lyap_max_traj": dict(long_name="largest Lyapunov exponent per trajectory", units="1", comment="as lyap_max, one value per initial state"),
    "pr_x": dict(long_name="participation ratio of the states over N", units="1",
                 comment="PR/N = (tr C)^2 / (N tr C^2), C = covariance of x; cross-block estimator sum_{k!=l} tr C_k tr C_l / (N sum_{k!=l} tr C_k C_l)",
        nan_meaning="no activity to measure (fixed point, F below fixed_point_tol)"),
    "pr_x_se": dict(long_name="jackknife standard error of pr_x", units="1", comment="leave-one-block-out jackknife",
        nan_meaning="no activity to measure (fixed point, F below fixed_point_tol)"),
    "pr_x_naive": dict(long_name="naive participation ratio of the states over N", units="1",
                       comment="(tr C)^2/(N tr C^2) from the pooled covariance (biased low at finite samples)",
        nan_meaning="no activity to measure (fixed point, F below fixed_point_tol)"),
    "pr_h": dict(long_name="participation ratio of the fields over N", units="1",
                 comment="as pr_x for h = W x, with C_h = W C W^T per block",
        nan_meaning="no activity to measure (fixed point, F below fixed_point_tol)"),
    "pr_h_se": dict(long_name="jackknife standard error of pr_h", units="1", comment="leave-one-block-out jackknife",
        nan_meaning="no activity to measure (fixed point, F below fixed_point_tol)"),
    "lyap_max_theory": dict(long_name="mean-field largest Lyapunov exponent", units="1",
                            comment="1/2 log(g^2 int Dz sech^4(sqrt(q) z)), q = g^2 int Dz tanh^2(sqrt(q) z); log g for g <= 1"),
    "pr_x_theory": dict(long_name="mean-field participation ratio of the states over N", units="1",
                        comment="1 - (g <phi'>)^4, <phi'> = int Dz sech^2(sqrt(q) z); NaN for g <= 1",
        nan_meaning="g <= 1: no chaotic state, the quiescent fixed point has no covariance"),
    "pr_h_theory": dict(long_name="mean-field participation ratio of the fields over N", units="1",
                        comment="(1 - r4)/(2 - r4), r4 = (g <phi'>)^4; NaN for g <= 1",
        nan_meaning="g <= 1: no chaotic state, the quiescent fixed point has no covariance"),
    "lyap_max_theory_at_w": dict(long_name="mean-field largest Lyapunov exponent at the simulated w", units="1",
                                 comment="as lyap_max_theory, evaluated at coordinate w"),
    "pr_x_theory_at_w": dict(long_name="mean-field participation ratio of the states at the simulated w", units="1",
                             comment="as pr_x_theory, evaluated at coordinate w",
                             nan_meaning="g <= 1: no chaotic state, the quiescent fixed point has no covariance"),
    "q_theory": dict(long_name="mean-field field variance q", units="1", comment="q = g^2 int Dz tanh^2(sqrt(q) z)"),
}


def attrs_for(name: str) -> dict:
    """CF attributes of a registered variable (KeyError names the variable if unknown)."""
    try:
        return dict(VARIABLES[name])
    except KeyError:
        raise KeyError(f"variable {name!r} has no entry in rnnstruct.variables.VARIABLES") from None
