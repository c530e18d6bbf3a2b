"""Clark, Abbott & Litwin-Kumar 2023 (PRL) stage: tanh network with i.i.d. couplings J_ij ~ N(0, g^2/N).

* ``theory(params)``: tanh DMFT over a g grid (PR^phi, PR^x, PRL Fig. 2a lines), the large-g ("Ising")
  limits (dashed lines), psi^phi(tau1, tau2) and psi^x on the lag grid for the Fig. 3 heatmaps, the
  diagonal psi^phi(tau, tau), psi^RMS and the cavity/direct/reverberation parts (Fig. 5);
* ``simulate(params, g, reps)``: realisations ``reps`` at coupling g: naive and cross-block PR of x and
  phi from :func:`simulate.simulate_blocks`; where g is one of the Fig. 3 couplings also the stored
  activity's lagged four-point function psi^phi(tau1, tau2) (cross-half and plug-in estimators);
* ``eigenmodes(params)``: PRL Fig. 2b, eigenvalues of one J and the activity variance along each
  eigenmode, <|c_k|^2> with c(t) = V^-1 x(t) (unit-norm eigenvectors V) [RECON];
* ``merge(params, parts, eigen, theory)``: one file with per-realisation values, medians over
  realisations (PRL), the theory at the simulated points and the deviations used by the notes.

Seed keys ``("clark", "prl_iid", N, g, rep, stream)``, stream in {"coupling", "init", "psi_init"}:
a realisation is the same whatever job computes it; the eigenmode network uses rep = -1.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import xarray as xr

from rnnstruct.core import chunks, seeds
from rnnstruct.clark import connectivity, dmft, estimators, simulate
from rnnstruct.numerics import participation

REFERENCE = "Clark, Abbott & Litwin-Kumar 2023, Phys. Rev. Lett. 131:118401 (arXiv:2207.12373)"
META = {
    "theory": {
        "title": "Dimension of activity in random tanh networks: DMFT theory (PRL)",
        "summary": "PR^x, PR^phi vs g, large-g limits, psi(tau1, tau2) heatmaps and the Fig. 5 decomposition",
        "stage": "clark_prl_theory",
        "references": REFERENCE,
    },
    "sim": {
        "title": "Dimension of activity in random tanh networks: simulations (chunk)",
        "summary": "participation ratios and lagged four-point functions per realisation",
        "stage": "clark_prl_simulate",
        "references": REFERENCE,
    },
    "eigen": {
        "title": "Eigenvalues of an i.i.d. coupling matrix and activity variance along eigenmodes (PRL Fig. 2b)",
        "summary": "eigenvalues of J and <|c_k|^2>, c = V^-1 x",
        "stage": "clark_prl_eigenmodes",
        "references": REFERENCE,
    },
    "merged": {
        "title": "Dimension of activity in random tanh networks: simulations vs theory (PRL Figs. 2, 3)",
        "summary": "medians over realisations, theory at the simulated points, deviations",
        "stage": "clark_prl_merge",
        "references": REFERENCE,
    },
}
OBS = ("phi", "x")


def _key(N: int, g: float, rep: int) -> tuple:
    return ("clark", "prl_iid", int(N), float(g), int(rep))


def _lag_index(lags: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    idx = np.array([int(np.argmin(np.abs(lags - w))) for w in wanted])
    if np.max(np.abs(lags[idx] - wanted)) > 1e-9:
        raise ValueError(f"lags {wanted} are not on the theory lag grid")
    return idx


# ---- theory -------------------------------------------------------------------------------------


def theory(params: Mapping) -> xr.Dataset:
    th = params["clark"]["prl"]["theory"]
    g_vals = np.asarray(sorted(th["g"]), dtype=float)
    rows = [dmft.dimension_theory(g, th["tau_max"], th["dtau"], phi="tanh") for g in g_vals]
    lim = dmft.ising_limits(th["tau_max"], th["dtau"])
    psi_g = np.asarray(sorted(th["psi_g"]), dtype=float)
    L, D = float(th["heatmap_lag"]), float(th["diag_lag"])
    maps = {n: [] for n in ("psi_phi", "psi_x")}
    diag = {n: [] for n in ("psi_phi",) + dmft.PSI_PARTS}
    c_phi_tau, q0 = [], []
    for g in psi_g:
        ss = dmft.single_site(g, th["psi_tau_max"], th["psi_dtau"], phi="tanh")
        grid = dmft.psi_grid(ss, max(L, D), float(th["heatmap_step"]))
        keep = np.abs(grid["lags"]) <= L + 1e-9
        dkeep = np.abs(grid["diag_lags"]) <= D + 1e-9
        for n in maps:
            maps[n].append(grid[n][np.ix_(keep, keep)])
        for n in diag:
            diag[n].append(grid[f"{n}_diag"][dkeep])
        k = np.abs(np.round(grid["diag_lags"][dkeep] / ss.dtau)).astype(int)
        c_phi_tau.append(ss.c_phi[k])
        q0.append(ss.q0)
        lags, dlags = grid["lags"][keep], grid["diag_lags"][dkeep]
    psi_diag = np.array(diag["psi_phi"])
    ds = xr.Dataset(
        {
            "prl_pr_phi": ("g", [r.pr_phi_iid for r in rows]),
            "prl_pr_x": ("g", [r.pr_x_iid for r in rows]),
            "prl_c_phi0": ("g", [r.c_phi0 for r in rows]),
            "prl_c_x0": ("g", [r.c_x0 for r in rows]),
            "prl_pr_phi_ising": ((), lim["pr_phi"]),
            "prl_pr_x_ising": ((), lim["pr_x"]),
            "prl_psi_phi_map": (("psi_g", "tau1", "tau2"), np.array(maps["psi_phi"])),
            "prl_psi_x_map": (("psi_g", "tau1", "tau2"), np.array(maps["psi_x"])),
            "prl_psi_phi_diag": (("psi_g", "diag_lag"), psi_diag),
            "prl_psi_rms": (("psi_g", "diag_lag"), np.sqrt(np.clip(psi_diag, 0.0, None))),
            "prl_c_phi_tau": (("psi_g", "diag_lag"), np.array(c_phi_tau)),
            "prl_q0_psi": ("psi_g", q0),
            **{f"prl_psi_{p}_diag": (("psi_g", "diag_lag"), np.array(diag[p])) for p in dmft.PSI_PARTS},
        },
        coords={"g": g_vals, "psi_g": psi_g, "tau1": lags, "tau2": lags, "diag_lag": dlags},
    )
    return ds


# ---- simulations --------------------------------------------------------------------------------


def psi_from_activity(A: np.ndarray, max_lag: int) -> dict:
    """psi(tau1, tau2) = Psi - C(tau1) C(tau2) for lags -max_lag..max_lag from stored activity
    A (T, N, n_traj): plug-in Psi (:func:`estimators.four_point_lagged` of all samples) and the
    cross-half Psi = (1/2N) sum_ij [C1_ij(t1) C2_ij(t2) + C2_ij(t1) C1_ij(t2)] of the two halves of
    the recording [RECON], whose sampling noise does not inflate Psi (cf. the cross-block PR)."""
    A = np.asarray(A, dtype=np.float64)
    T, N = A.shape[0], A.shape[1]
    C = estimators.lagged_covariances(A, max_lag)
    c = np.einsum("kii->k", C) / N
    cc = c[:, None] * c[None, :]
    naive = estimators.four_point_lagged(C) - cc
    del C
    h = T // 2
    f1 = estimators.lagged_covariances(A[:h], max_lag).reshape(2 * max_lag + 1, -1)
    f2 = estimators.lagged_covariances(A[h:], max_lag).reshape(2 * max_lag + 1, -1)
    cross = 0.5 * (f1 @ f2.T + f2 @ f1.T) / N - cc
    return {"naive": naive, "crossblock": cross, "c": c}


def simulate_g(params: Mapping, g: float, reps: Sequence[int], N: int | None = None) -> xr.Dataset:
    """Realisations ``reps`` at coupling g and size N (default clark.prl.simulation.N); a size other
    than the default (finite-size scan) records only the participation ratios."""
    c = params["clark"]
    sp, ps = c["prl"]["simulation"], c["prl"]["psi"]
    N = int(sp["N"]) if N is None else int(N)
    dtype = np.float32 if sp["precision"] == "float32" else np.float64
    do_psi = N == int(sp["N"]) and float(g) in [float(x) for x in ps["g"]]
    L = int(ps["max_lag"])
    R = len(reps)
    data = {}
    for n in OBS:
        for kind in participation.ESTIMATORS:
            data[f"prl_pr_{n}_{kind}"] = np.empty(R)
            data[f"prl_pr_{n}_{kind}_se"] = np.empty(R)
        data[f"prl_c0_{n}"] = np.empty(R)
    if do_psi:
        for kind in participation.ESTIMATORS:
            data[f"prl_psi_sim_{kind}"] = np.empty((R, 2 * L + 1, 2 * L + 1))
        data["prl_c_sim"] = np.empty((R, 2 * L + 1))
    for i, rep in enumerate(reps):
        key = _key(N, g, rep)
        J = connectivity.iid_matrix(N, g, seeds.rng(params["seed"], key + ("coupling",)), dtype)
        X0 = seeds.rng(params["seed"], key + ("init",)).standard_normal((N, int(sp["n_traj"]))) * (sp["init_scale"] * g)
        stats = simulate.simulate_blocks(
            J,
            X0,
            phi="tanh",
            dt=sp["dt"],
            t_transient=sp["transient"],
            sample_every=sp["sample_every"],
            block_len=int(sp["block_len"]),
            n_blocks=int(sp["n_blocks"]),
            n_groups=int(sp["n_groups"]),
            dtype=dtype,
            backend=simulate.backend_of(c),
        )
        for n in OBS:
            st = stats[n]
            data[f"prl_c0_{n}"][i] = st.two_point[0]
            for kind in participation.ESTIMATORS:
                pr, se = participation.from_blocks(st.gram, st.block_trace, st.block_sqnorm, st.group_of_block, N, kind)
                data[f"prl_pr_{n}_{kind}"][i] = pr
                data[f"prl_pr_{n}_{kind}_se"][i] = se
        if do_psi:
            X1 = seeds.rng(params["seed"], key + ("psi_init",)).standard_normal((N, int(ps["n_traj"]))) * (sp["init_scale"] * g)
            _, P = simulate.record_activity(
                J, X1, int(ps["n_samples"]), phi="tanh", dt=sp["dt"], t_transient=sp["transient"], sample_every=1.0, dtype=dtype,
                backend=simulate.backend_of(c),
            )
            res = psi_from_activity(P, L)
            for kind in participation.ESTIMATORS:
                data[f"prl_psi_sim_{kind}"][i] = res[kind]
            data["prl_c_sim"][i] = res["c"]

    def dims(name):
        if name.startswith("prl_psi_sim"):
            return ("g_sim", "rep", "lag1", "lag2")
        if name == "prl_c_sim":
            return ("g_sim", "rep", "lag1")
        return ("g_sim", "rep")

    ds = xr.Dataset(
        {name: (dims(name), val[None]) for name, val in data.items()},
        coords={"g_sim": [float(g)], "rep": np.asarray(reps, dtype=int)},
    )
    ds["prl_n_sim"] = ((), N)
    if do_psi:
        ds = ds.assign_coords(lag1=np.arange(-L, L + 1, dtype=float), lag2=np.arange(-L, L + 1, dtype=float))
    return ds


def eigenmodes(params: Mapping) -> xr.Dataset:
    """PRL Fig. 2b: eigenvalues lambda_k of J and <|c_k|^2>, c(t) = V^-1 x(t) [RECON]."""
    c = params["clark"]["prl"]
    ep, sp = c["eigen"], c["simulation"]
    N, g = int(ep["N"]), float(ep["g"])
    dtype = np.float32 if sp["precision"] == "float32" else np.float64
    key = _key(N, g, -1)
    J = connectivity.iid_matrix(N, g, seeds.rng(params["seed"], key + ("coupling",)), np.float64)
    X0 = seeds.rng(params["seed"], key + ("init",)).standard_normal((N, int(ep["n_traj"]))) * (sp["init_scale"] * g)
    X, _ = simulate.record_activity(
        J.astype(dtype), X0, int(ep["n_samples"]), phi="tanh", dt=sp["dt"], t_transient=sp["transient"], dtype=dtype,
        backend=simulate.backend_of(params["clark"]),
    )
    lam, V = np.linalg.eig(J)
    V = V / np.linalg.norm(V, axis=0)
    x = np.asarray(X, dtype=np.float64).transpose(1, 0, 2).reshape(N, -1)
    coef = np.linalg.solve(V, x)
    var = np.mean(np.abs(coef) ** 2, axis=1)
    order = np.argsort(lam.real)
    return xr.Dataset(
        {
            "prl_eig_re": ("eigenmode", lam.real[order]),
            "prl_eig_im": ("eigenmode", lam.imag[order]),
            "prl_mode_variance": ("eigenmode", var[order]),
            "prl_eigen_g": ((), g),
        },
        coords={"eigenmode": np.arange(N)},
    )


# ---- merge --------------------------------------------------------------------------------------


def finite_size(params: Mapping, parts: Sequence[xr.Dataset], fs_parts: Sequence[xr.Dataset], th: xr.Dataset) -> xr.Dataset:
    """PR^phi, PR^x and psi^phi(0,0) = C^phi(0)^2 (1/PR^phi - 1) at g = clark.prl.finite_size.g versus N
    (medians over realisations); the profile's own N is taken from the main runs."""
    c = params["clark"]["prl"]
    fs, kind = c["finite_size"], c["simulation"]["pr_estimator"]
    g, N0, R = float(fs["g"]), int(c["simulation"]["N"]), int(fs["reps"])
    by_n: dict = {}
    for p in list(fs_parts) + [p for p in parts if float(p["g_sim"].values[0]) == g]:
        n = int(p["prl_n_sim"])
        by_n.setdefault(n, []).append(p.sel(g_sim=g).drop_vars([v for v in p.data_vars if "psi_sim" in v or v == "prl_c_sim"] + ["lag1", "lag2"], errors="ignore"))
    sizes = sorted(set(int(n) for n in fs["N"]) | {N0})
    out = {f"prl_fs_pr_{n}": [] for n in OBS}
    out["prl_fs_psi00"] = []
    out["prl_fs_pr_phi_sem"] = []
    for n in sizes:
        d = chunks.concat(by_n[n], "rep", compat="override").isel(rep=slice(0, R))
        for o in OBS:
            out[f"prl_fs_pr_{o}"].append(float(d[f"prl_pr_{o}_{kind}"].median("rep")))
        v = d[f"prl_pr_phi_{kind}"].values
        out["prl_fs_pr_phi_sem"].append(float(np.std(v, ddof=1) / np.sqrt(v.size)) if v.size > 1 else 0.0)
        psi00 = d["prl_c0_phi"] ** 2 * (1.0 / d[f"prl_pr_phi_{kind}"] - 1.0)
        out["prl_fs_psi00"].append(float(psi00.median("rep")))
    ds = xr.Dataset({k: ("fs_N", v) for k, v in out.items()}, coords={"fs_N": sizes})
    t = th.sel(g=g)
    for o in OBS:
        ds[f"prl_fs_pr_{o}_reldev"] = ds[f"prl_fs_pr_{o}"] / float(t[f"prl_pr_{o}"]) - 1.0
    c0 = float(t["prl_c_phi0"])
    psi_th = c0**2 * (1.0 / float(t["prl_pr_phi"]) - 1.0)
    ds["prl_fs_psi00_reldev"] = ds["prl_fs_psi00"] / psi_th - 1.0
    ds["prl_fs_g"] = ((), g)
    ds["prl_fs_reps"] = ((), R)
    return ds


def merge(
    params: Mapping, parts: Sequence[xr.Dataset], eigen: xr.Dataset, th: xr.Dataset, fs_parts: Sequence[xr.Dataset] = ()
) -> xr.Dataset:
    c = params["clark"]["prl"]
    kind = c["simulation"]["pr_estimator"]
    chunks.check_provenance(fs_parts, params)
    fs = finite_size(params, parts, fs_parts, th)
    parts = [p.drop_vars("prl_n_sim") for p in parts]
    sim = c["simulation"]
    expected = {"g_sim": sorted(float(g) for g in sim["g"]), "rep": list(range(int(sim["reps"])))}
    ds = chunks.combine(parts, ("g_sim", "rep"), expected=expected, join="outer", params=params, same_variables=False)
    g_sim = ds["g_sim"].values
    for n in OBS:
        vals = ds[f"prl_pr_{n}_{kind}"]
        ds[f"prl_pr_{n}_median"] = vals.median("rep")
        q = vals.quantile([0.25, 0.75], dim="rep")
        ds[f"prl_pr_{n}_q25"] = q.sel(quantile=0.25, drop=True)
        ds[f"prl_pr_{n}_q75"] = q.sel(quantile=0.75, drop=True)
        ds[f"prl_pr_{n}_theory"] = ("g_sim", th[f"prl_pr_{n}"].sel(g=g_sim).values)
        ds[f"prl_pr_{n}_dev"] = ds[f"prl_pr_{n}_median"] - ds[f"prl_pr_{n}_theory"]
        ds[f"prl_pr_{n}_reldev"] = ds[f"prl_pr_{n}_dev"] / ds[f"prl_pr_{n}_theory"]
        n_rep = ds.sizes["rep"]
        ds[f"prl_pr_{n}_sem"] = vals.std("rep", ddof=1) / np.sqrt(n_rep) if n_rep > 1 else 0.0 * vals.mean("rep")
    ds = ds.drop_vars("quantile", errors="ignore")
    if "prl_psi_sim_crossblock" in ds:
        psi_kind = c["psi"]["estimator"]
        sim = ds[f"prl_psi_sim_{psi_kind}"].dropna("g_sim", how="all")
        gp = sim["g_sim"].values
        med = sim.median("rep")
        lags = ds["lag1"].values
        i = _lag_index(th["tau1"].values, lags)
        theo = th["prl_psi_phi_map"].sel(psi_g=gp).values[:, i][:, :, i]
        ds = ds.assign_coords(psi_g_sim=gp)
        ds["prl_psi_sim_median"] = (("psi_g_sim", "lag1", "lag2"), med.values)
        ds["prl_psi_theory"] = (("psi_g_sim", "lag1", "lag2"), theo)
        diff = med.values - theo
        ds["prl_psi_rel_rms_dev"] = ("psi_g_sim", np.sqrt(np.sum(diff**2, axis=(1, 2)) / np.sum(theo**2, axis=(1, 2))))
        k = int(np.argmin(np.abs(lags)))
        ds["prl_psi00_sim"] = ("psi_g_sim", med.values[:, k, k])
        ds["prl_psi00_theory"] = ("psi_g_sim", theo[:, k, k])
        per_rep = sim.values[:, :, k, k]
        ds["prl_psi00_sem"] = ("psi_g_sim", np.std(per_rep, axis=1, ddof=1) / np.sqrt(per_rep.shape[1]) if per_rep.shape[1] > 1 else 0.0 * per_rep[:, 0])
        ds["prl_psi_rms_sim"] = (("psi_g_sim", "lag1"), np.sqrt(np.clip(np.diagonal(med.values, axis1=1, axis2=2), 0.0, None)))
        ds = ds.drop_vars([v for v in ds.data_vars if v.startswith("prl_psi_sim_") and v != "prl_psi_sim_median"])
        ds = ds.drop_vars("prl_c_sim", errors="ignore")
    ds["prl_pr_phi_ising"] = th["prl_pr_phi_ising"]
    ds["prl_pr_x_ising"] = th["prl_pr_x_ising"]
    for name in ("prl_eig_re", "prl_eig_im", "prl_mode_variance", "prl_eigen_g"):
        ds[name] = eigen[name]
    return xr.merge([ds, fs], combine_attrs="drop")
