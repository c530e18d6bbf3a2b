"""Clark et al. 2025, gain heterogeneity (PRX Fig. 5), step mode spectrum (Fig. 10) and the Fig. 2 inset.

* ``theory(params)``: closed-form PRs of PRX 46a/46b/J18 over (g_eff, alpha PR^D, PR^G); PRX 38/I22 over the
  step spectrum's PR^D (alpha = 1, so alpha PR^D = PR^D); K^phi/PR^phi_iid and K^x/PR^x_iid on a fine g grid
  (each g on its own onset-resolving FFT grid); C^phi(tau) and Psi^phi(tau, 0) on [-tau_window, tau_window].
* ``simulate_gain_tasks(params, tasks)``: exponential random-mode model with exponential neuron gains,
  dx/dt = -x + J diag(G) phi(x), observables G phi (unnormalised), phi (normalised) and G' phi (readout
  gains G' = a seeded random permutation of G); one task = one (g_eff, alpha PR^D, PR^G, realisation).
* ``simulate_step_tasks(params, tasks)``: step mode spectrum, PR^phi and PR^x and the eigenvalues of the
  equal-time covariances; one task = one (g_eff, PR^D, realisation).
* ``merge(params, gain_parts, step_parts, theory)``: one file over (g_eff, eff_rank, pr_g, rep) for Fig. 5 and
  (g_eff, pr_d, rep) for Fig. 10, with means, errors and the theory at the realised effective rank and PR^G.

Seed keys: ("clark", "rmm_gains", N, g_eff, eff_rank, pr_g, rep, stream), stream in {left, right, init,
readout}, and ("clark", "rmm_step", N, g_eff, pr_d, rep, stream), stream in {left, right, init}: a realisation
is the same whatever job computes it.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import xarray as xr

from rnnstruct.core import chunks, seeds
from rnnstruct.clark import connectivity, dmft, gains, simulate
from rnnstruct.numerics import participation

REFERENCE = "Clark, Marschall, van Meegen & Litwin-Kumar 2025, Phys. Rev. X 15:041019 (doi:10.1103/2jt7-c8cq)"
META = {
    "theory": {
        "title": "Gain heterogeneity, step spectrum and Fig. 2 inset: DMFT theory",
        "summary": "PRX 46a, 46b, J18 over (g_eff, alpha PR^D, PR^G); PRX 38/I22 for the step spectrum; K^a/PR^a_iid; "
        "C^phi(tau) and Psi^phi(tau, 0)",
        "stage": "clark_gains_theory",
        "references": REFERENCE,
    },
    "gain_tasks": {
        "title": "Random-mode model with neuron gains, simulations (chunk of tasks)",
        "summary": "PR of G phi, phi and G' phi per (g_eff, alpha PR^D, PR^G, realisation)",
        "stage": "clark_gains_simulate",
        "references": REFERENCE,
    },
    "step_tasks": {
        "title": "Random-mode model with a step mode spectrum, simulations (chunk of tasks)",
        "summary": "PR^phi, PR^x and covariance eigenvalues per (g_eff, PR^D, realisation)",
        "stage": "clark_step_simulate",
        "references": REFERENCE,
    },
    "merged": {
        "title": "Gain heterogeneity (PRX Fig. 5) and step spectrum (PRX Fig. 10): simulations and theory",
        "summary": "means and errors over realisations with the theory at the realised alpha PR^D and PR^G",
        "stage": "clark_gains_merge",
        "references": REFERENCE,
    },
}
GAIN_OBS = gains.OBSERVABLES
STEP_OBS = ("phi", "x")


def theory_g_values(c: Mapping) -> list[float]:
    """All g_eff at which the gains theory file tabulates the four-point sums."""
    return sorted(set(c["gains"]["g_eff"]) | set(c["step"]["g_eff"]) | {c["fig2"]["g_eff"]})


def pr_g_grid(gp: Mapping) -> np.ndarray:
    return np.linspace(gp["pr_g_min"], 1.0, gp["pr_g_num"])


def pr_d_grid(sp: Mapping) -> np.ndarray:
    return 2.0 ** np.linspace(sp["log2_pr_d_min"], 0.0, sp["pr_d_num"])


def theory(params: Mapping) -> xr.Dataset:
    c = params["clark"]
    th, gp, sp, f2 = c["theory"], c["gains"], c["step"], c["fig2"]
    g_vals = np.asarray(theory_g_values(c), dtype=float)
    rows = [dmft.dimension_theory(g, th["tau_max"], th["dtau"]) for g in g_vals]
    gt = [gains.GainTheory.from_dimension(r) for r in rows]
    E = np.asarray(gp["eff_rank"], dtype=float)
    PG = pr_g_grid(gp)
    PD = pr_d_grid(sp)
    prs = {k: np.array([t.pr(E[:, None], PG[None, :])[k] for t in gt]) for k in GAIN_OBS}
    g_in = np.geomspace(sp["inset_g_min"], sp["inset_g_max"], sp["inset_g_num"])
    ratios = gains.low_rank_ratios(g_in, n_tau=sp["inset_n_tau"])
    i2 = list(g_vals).index(f2["g_eff"])
    ss = dmft.single_site(f2["g_eff"], th["tau_max"], th["dtau"])
    tau2, cphi2 = gains.symmetric_window(ss.tau, ss.c_phi, f2["tau_window"])
    _, psi2 = gains.symmetric_window(ss.tau, rows[i2].psi_tau0(f2["eff_rank"]), f2["tau_window"])
    ds = xr.Dataset(
        {
            "c_phi0": ("g_eff", [r.c_phi0 for r in rows]),
            "c_x0": ("g_eff", [r.c_x0 for r in rows]),
            "psi_phi_i0": ("g_eff", [r.sums["I0"] for r in rows]),
            "psi_phi_i1": ("g_eff", [r.sums["I1"] for r in rows]),
            "psi_x_j0": ("g_eff", [r.sums["J0"] for r in rows]),
            "psi_x_j1": ("g_eff", [r.sums["J1"] for r in rows]),
            "pr_phi_iid": ("g_eff", [r.pr_phi_iid for r in rows]),
            "pr_x_iid": ("g_eff", [r.pr_x_iid for r in rows]),
            "k_phi": ("g_eff", [r.k_phi for r in rows]),
            "k_x": ("g_eff", [r.k_x for r in rows]),
            **{f"gain_pr_{k}_theory": (("g_eff", "eff_rank", "pr_g"), prs[k]) for k in GAIN_OBS},
            "step_pr_phi_theory": (("g_eff", "pr_d"), np.array([r.pr_phi(PD) for r in rows])),
            "step_pr_x_theory": (("g_eff", "pr_d"), np.array([r.pr_x(PD) for r in rows])),
            "k_phi_ratio": ("g_inset", ratios["k_phi_ratio"]),
            "k_x_ratio": ("g_inset", ratios["k_x_ratio"]),
            "inset_tau_max": ("g_inset", ratios["tau_max"]),
            "fig2_c_phi": ("tau", cphi2),
            "fig2_psi_phi_tau0": ("tau", psi2),
        },
        coords={"g_eff": g_vals, "eff_rank": E, "pr_g": PG, "pr_d": PD, "g_inset": g_in, "tau": tau2},
    )
    return ds


def _sim_kwargs(c: Mapping) -> dict:
    s = c["simulation"]
    return dict(
        phi=c["phi"],
        dt=s["dt"],
        t_transient=s["transient"],
        sample_every=s["sample_every"],
        block_len=int(s["block_len"]),
        n_blocks=int(s["n_blocks"]),
        n_groups=int(s["n_groups"]),
        dtype=np.float32 if s["precision"] == "float32" else np.float64,
        backend=simulate.backend_of(c),
    )


def _record(data: dict, prefix: str, i: int, name: str, st, N: int) -> None:
    for kind in participation.ESTIMATORS:
        pr, se = participation.from_blocks(st.gram, st.block_trace, st.block_sqnorm, st.group_of_block, N, kind)
        data[f"{prefix}_pr_{name}_{kind}"][i] = pr
        data[f"{prefix}_pr_{name}_{kind}_se"][i] = se
    data[f"{prefix}_c0_{name}"][i] = st.two_point[0]


def _alloc(prefix: str, names: Sequence[str], T: int) -> dict:
    data = {}
    for n in names:
        for kind in participation.ESTIMATORS:
            data[f"{prefix}_pr_{n}_{kind}"] = np.empty(T)
            data[f"{prefix}_pr_{n}_{kind}_se"] = np.empty(T)
        data[f"{prefix}_c0_{n}"] = np.empty(T)
    return data


def readout_gains(G: np.ndarray, rng: np.random.Generator, kind: str = "permutation") -> np.ndarray:
    """Readout gains G' with the distribution of G: a random permutation ([RECON] clark.gains.readout)."""
    if kind != "permutation":
        raise ValueError(f"clark.gains.readout must be 'permutation', got {kind!r}")
    return G[rng.permutation(G.size)]


def simulate_gain_tasks(params: Mapping, tasks: Sequence[Mapping]) -> xr.Dataset:
    """Tasks {g_eff, eff_rank, pr_g, rep} of PRX Fig. 5 (one network and one batch of trajectories each)."""
    c = params["clark"]
    gp = c["gains"]
    N = int(gp["N"])
    kw = _sim_kwargs(c)
    T = len(tasks)
    data = _alloc("gain", GAIN_OBS, T)
    e_real, pg_real = np.empty(T), np.empty(T)
    for i, t in enumerate(tasks):
        g, E, pg, rep = float(t["g_eff"]), float(t["eff_rank"]), float(t["pr_g"]), int(t["rep"])
        key = ("clark", "rmm_gains", N, g, E, pg, rep)
        spec = connectivity.exponential_spectrum(N, g, E)
        G = connectivity.exponential_gains(N, pg)
        Gp = readout_gains(G, seeds.rng(params["seed"], key + ("readout",)), gp["readout"])
        J = connectivity.rmm_matrix(spec, seeds.rng(params["seed"], key + ("left",)), seeds.rng(params["seed"], key + ("right",)))
        J = J * G[None, :]  # dx/dt = -x + J diag(G) phi(x)
        X0 = seeds.rng(params["seed"], key + ("init",)).standard_normal((N, int(c["simulation"]["n_traj"])))
        stats = simulate.simulate_blocks(J, X0 * (c["simulation"]["init_scale"] * g), readouts={"gphi": G, "gpphi": Gp}, **kw)
        for n in GAIN_OBS:
            _record(data, "gain", i, n, stats[n], N)
        e_real[i] = spec.eff_rank
        pg_real[i] = float(np.mean(G**2) ** 2 / np.mean(G**4))
    ds = xr.Dataset({k: ("task", v) for k, v in data.items()})
    ds["gain_eff_rank_realised"] = ("task", e_real)
    ds["gain_pr_g_realised"] = ("task", pg_real)
    return ds.assign_coords(
        g_eff=("task", [float(t["g_eff"]) for t in tasks]),
        eff_rank=("task", [float(t["eff_rank"]) for t in tasks]),
        pr_g=("task", [float(t["pr_g"]) for t in tasks]),
        rep=("task", [int(t["rep"]) for t in tasks]),
    )


def simulate_step_tasks(params: Mapping, tasks: Sequence[Mapping]) -> xr.Dataset:
    """Tasks {g_eff, pr_d, rep} of PRX Fig. 10 (step spectrum, alpha = 1) with covariance eigenvalues."""
    c = params["clark"]
    N = int(c["step"]["N"])
    kw = _sim_kwargs(c)
    T = len(tasks)
    data = _alloc("step", STEP_OBS, T)
    spectra = {n: np.empty((T, N)) for n in STEP_OBS}
    e_real = np.empty(T)
    for i, t in enumerate(tasks):
        g, pd, rep = float(t["g_eff"]), float(t["pr_d"]), int(t["rep"])
        key = ("clark", "rmm_step", N, g, pd, rep)
        spec = connectivity.step_spectrum(N, g, pd)
        J = connectivity.rmm_matrix(spec, seeds.rng(params["seed"], key + ("left",)), seeds.rng(params["seed"], key + ("right",)))
        X0 = seeds.rng(params["seed"], key + ("init",)).standard_normal((N, int(c["simulation"]["n_traj"])))
        stats = simulate.simulate_blocks(J, X0 * (c["simulation"]["init_scale"] * g), keep_spectrum=True, **kw)
        for n in STEP_OBS:
            _record(data, "step", i, n, stats[n], N)
            spectra[n][i] = stats[n].spectrum
        e_real[i] = spec.eff_rank
    ds = xr.Dataset({k: ("task", v) for k, v in data.items()})
    for n in STEP_OBS:
        ds[f"step_spectrum_{n}"] = (("task", "pc_index"), spectra[n])
    ds["step_eff_rank_realised"] = ("task", e_real)
    return ds.assign_coords(
        g_eff=("task", [float(t["g_eff"]) for t in tasks]),
        pr_d=("task", [float(t["pr_d"]) for t in tasks]),
        rep=("task", [int(t["rep"]) for t in tasks]),
        pc_index=np.arange(1, N + 1),
    )


def _unstack(params: Mapping, parts: Sequence[xr.Dataset], index: list[str]) -> xr.Dataset:
    ds = chunks.concat(parts, "task", keys=index, params=params, data_vars="all", coords="different", join="outer")
    return ds.set_index(task=index).unstack("task").sortby(index)


def _mean_err(vals: xr.DataArray) -> tuple[xr.DataArray, xr.DataArray]:
    n = vals.count("rep")
    mean = vals.mean("rep")
    err = (vals.std("rep", ddof=1) / np.sqrt(n)).where(n > 1, 0.0).where(n > 0)
    return mean, err


def _ratio_jackknife(num: xr.DataArray, den: xr.DataArray) -> tuple[xr.DataArray, xr.DataArray]:
    """Ratio of the means over realisations and its delete-one-realisation jackknife error."""
    ratio = num.mean("rep") / den.mean("rep")
    n = num.count("rep")
    loo = (num.sum("rep") - num) / (n - 1) / ((den.sum("rep") - den) / (n - 1))
    err = np.sqrt((n - 1) / n * ((loo - loo.mean("rep")) ** 2).sum("rep", min_count=1))
    return ratio, err.where(n > 1, 0.0).where(n > 0)


def merge(params: Mapping, gain_parts: Sequence[xr.Dataset], step_parts: Sequence[xr.Dataset], theory_ds: xr.Dataset) -> xr.Dataset:
    c = params["clark"]
    kind = c["simulation"]["pr_estimator"]
    gd = _unstack(params, gain_parts, ["g_eff", "eff_rank", "pr_g", "rep"])
    for name in ("gain_eff_rank_realised", "gain_pr_g_realised"):
        gd[name] = gd[name].mean("rep")
    for n in GAIN_OBS:
        gd[f"gain_pr_{n}"], gd[f"gain_pr_{n}_err"] = _mean_err(gd[f"gain_pr_{n}_{kind}"])
    sums = theory_ds.sel(g_eff=gd["g_eff"])
    simulated = gd["gain_eff_rank_realised"].notnull()
    psi = gains.psi00(
        sums["c_phi0"], sums["psi_phi_i0"], sums["psi_phi_i1"], gd["gain_eff_rank_realised"], gd["gain_pr_g_realised"]
    )
    for n in GAIN_OBS:
        gd[f"gain_pr_{n}_theory"] = (sums["c_phi0"] ** 2 / psi[n]).where(simulated)
    for n in ("gphi", "gpphi"):
        gd[f"gain_ratio_{n}"], gd[f"gain_ratio_{n}_err"] = _ratio_jackknife(gd[f"gain_pr_{n}_{kind}"], gd[f"gain_pr_phi_{kind}"])
        gd[f"gain_ratio_{n}_theory"] = gd[f"gain_pr_{n}_theory"] / gd["gain_pr_phi_theory"]

    sd = _unstack(params, step_parts, ["g_eff", "pr_d", "rep"])
    sd["step_eff_rank_realised"] = sd["step_eff_rank_realised"].mean("rep")
    for n in STEP_OBS:
        sd[f"step_pr_{n}"], sd[f"step_pr_{n}_err"] = _mean_err(sd[f"step_pr_{n}_{kind}"])
    ssum = theory_ds.sel(g_eff=sd["g_eff"])
    E = sd["step_eff_rank_realised"]
    sd["step_pr_phi_theory"] = ssum["c_phi0"] ** 2 / (ssum["psi_phi_i0"] + ssum["psi_phi_i1"] / E)
    sd["step_pr_x_theory"] = ssum["c_x0"] ** 2 / (ssum["psi_x_j0"] + ssum["psi_x_j1"] / E)
    sd["step_pr_phi_lowrank"] = ssum["k_phi"] * E
    sd["step_pr_x_lowrank"] = ssum["k_x"] * E
    g_spec = float(c["step"]["spectrum_g_eff"])
    for n in STEP_OBS:
        spec = sd[f"step_spectrum_{n}"].sel(g_eff=g_spec)
        sd = sd.drop_vars(f"step_spectrum_{n}")
        sd[f"step_spectrum_{n}"] = spec.drop_vars("g_eff")
    ds = xr.merge([gd, sd], join="outer", combine_attrs="drop")
    ds["gain_simulated"] = ds["gain_eff_rank_realised"].notnull().astype(np.int8)
    ds["step_simulated"] = ds["step_eff_rank_realised"].notnull().astype(np.int8)
    for n in STEP_OBS:
        ds[f"step_spectrum_{n}"] = ds[f"step_spectrum_{n}"].transpose("pr_d", "rep", "pc_index")
    return ds
