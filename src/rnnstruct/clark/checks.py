"""Consistency checks of the ``clark`` config section that a JSON schema cannot express
(pure: a schema-valid config with defaults filled in, messages naming the dotted key out)."""

from __future__ import annotations

from typing import Any, Mapping


def _clark_errors(c: Mapping) -> list[str]:
    out = []
    th, sim, f4 = c["theory"], c["simulation"], c["fig4"]
    if th["eff_rank_min"] >= th["eff_rank_max"]:
        out.append("config key 'clark.theory.eff_rank_min' must be < clark.theory.eff_rank_max")
    missing = sorted((set(f4["g_eff"]) | set(f4["b_g_eff"])) - set(th["g_eff"]))
    if missing:
        out.append(
            f"config key 'clark.theory.g_eff': must contain the simulated g_eff {missing} of clark.fig4"
        )
    if f4["inset_eff_rank"] and f4["inset_g_eff"] not in f4["g_eff"]:
        out.append(f"config key 'clark.fig4.inset_g_eff': {f4['inset_g_eff']} is not one of clark.fig4.g_eff")
    if sim["n_groups"] > sim["n_blocks"]:
        out.append(
            f"config key 'clark.simulation.n_groups': {sim['n_groups']} exceeds clark.simulation.n_blocks = {sim['n_blocks']}"
        )
    steps = sim["sample_every"] / sim["dt"]
    if abs(steps - round(steps)) > 1e-9 * steps:
        out.append(
            f"config key 'clark.simulation.sample_every': {sim['sample_every']} is not a multiple of clark.simulation.dt"
        )
    big = c.get("large_n", {})
    if big.get("enabled"):
        wanted = set(big["g_eff"]) | {pt[0] for pt in big["extra_points"]}
        missing = sorted(wanted - set(th["g_eff"]))
        if missing:
            out.append(
                f"config key 'clark.large_n.g_eff': g_eff {missing} not in clark.theory.g_eff {th['g_eff']}"
            )
    out += _clark_gains_errors(c)
    out += _connectome_errors(c.get("connectome"))
    return out


def _clark_gains_errors(c: Mapping) -> list[str]:
    out = []
    gp, sp = c.get("gains"), c.get("step")
    if gp:
        if gp["ratio_g_eff"] not in gp["g_eff"]:
            out.append(
                f"config key 'clark.gains.ratio_g_eff': {gp['ratio_g_eff']} is not one of clark.gains.g_eff {gp['g_eff']}"
            )
        if gp["pr_g_min"] >= 1.0:
            out.append("config key 'clark.gains.pr_g_min' must be < 1")
    if sp:
        if sp["spectrum_g_eff"] not in sp["g_eff"]:
            out.append(
                f"config key 'clark.step.spectrum_g_eff': {sp['spectrum_g_eff']} is not one of clark.step.g_eff {sp['g_eff']}"
            )
        too_small = [v for v in sp["log2_pr_d_sim"] if 2.0**v * sp["N"] < 1.0]
        if too_small:
            out.append(
                f"config key 'clark.step.log2_pr_d_sim': {too_small} leave no mode at N = {sp['N']} (need N 2^v >= 1)"
            )
        if sp["inset_g_min"] >= sp["inset_g_max"]:
            out.append("config key 'clark.step.inset_g_min' must be < clark.step.inset_g_max")
    return out


def _clark_prl_errors(c: Mapping) -> list[str]:
    p = c.get("prl")
    if not p:
        return []
    out = []
    th, sim, psi = p["theory"], p["simulation"], p["psi"]
    missing = sorted(set(sim["g"]) - set(th["g"]))
    if missing:
        out.append(
            f"config key 'clark.prl.theory.g': must contain the simulated couplings {missing} of clark.prl.simulation.g"
        )
    missing = sorted(set(psi["g"]) - set(sim["g"]))
    if missing:
        out.append(
            f"config key 'clark.prl.psi.g': {missing} not in clark.prl.simulation.g (the psi runs reuse those networks)"
        )
    missing = sorted(set(psi["g"]) - set(th["psi_g"]))
    if missing:
        out.append(
            f"config key 'clark.prl.theory.psi_g': must contain the simulated heatmap couplings {missing} of clark.prl.psi.g"
        )
    if psi["max_lag"] > th["heatmap_lag"]:
        out.append(
            f"config key 'clark.prl.psi.max_lag': {psi['max_lag']} exceeds clark.prl.theory.heatmap_lag = {th['heatmap_lag']}"
        )
    if th["psi_tau_max"] <= 2.0 * max(th["heatmap_lag"], th["diag_lag"]):
        out.append("config key 'clark.prl.theory.psi_tau_max': must exceed 2 max(heatmap_lag, diag_lag)")
    for key in ("heatmap_step", "heatmap_lag", "diag_lag"):
        r = th[key] / th["psi_dtau"]
        if abs(r - round(r)) > 1e-9 * r:
            out.append(
                f"config key 'clark.prl.theory.{key}': {th[key]} is not a multiple of clark.prl.theory.psi_dtau"
            )
    if abs(th["heatmap_step"] - 1.0) > 1e-12:
        out.append(
            "config key 'clark.prl.theory.heatmap_step': must be 1 (the simulated maps are on integer lags)"
        )
    if sim["n_groups"] > sim["n_blocks"]:
        out.append(
            f"config key 'clark.prl.simulation.n_groups': {sim['n_groups']} exceeds clark.prl.simulation.n_blocks"
        )
    steps = sim["sample_every"] / sim["dt"]
    if abs(steps - round(steps)) > 1e-9 * steps or abs(round(1.0 / sim["dt"]) * sim["dt"] - 1.0) > 1e-9:
        out.append(
            "config key 'clark.prl.simulation.dt': sample_every and 1 (the psi sampling) must be multiples of dt"
        )
    fs = p["finite_size"]
    if fs["g"] not in sim["g"]:
        out.append(f"config key 'clark.prl.finite_size.g': {fs['g']} is not one of clark.prl.simulation.g")
    if fs["reps"] > sim["reps"]:
        out.append(
            f"config key 'clark.prl.finite_size.reps': {fs['reps']} exceeds clark.prl.simulation.reps = {sim['reps']}"
        )
    if 2 * psi["max_lag"] + 2 > psi["n_samples"]:
        out.append(
            f"config key 'clark.prl.psi.n_samples': {psi['n_samples']} too short for max_lag = {psi['max_lag']} in two halves"
        )
    return out


def _connectome_errors(cc: Mapping | None) -> list[str]:
    """The data directory and its three files must exist (relative paths: to the working directory)."""
    from pathlib import Path

    if not cc or cc.get("path") is None:
        return []
    from rnnstruct.clark.connectome import DEFAULT_FILES

    root = Path(cc["path"])
    if not root.is_dir():
        return [
            f"config key 'clark.connectome.path': directory {str(root)!r} does not exist (set it to the folder with "
            "the hemibrain CSVs, or null for the synthetic stand-in)"
        ]
    return [
        f"config key 'clark.connectome.files.{key}': file {str(root / name)!r} does not exist"
        for key, name in {**DEFAULT_FILES, **cc.get("files", {})}.items()
        if not (root / name).is_file()
    ]


def _clark_pcs_errors(pp: Mapping) -> list[str]:
    """Windows and indices of clark.pcs that must fit the network size and recording length."""
    out: list[str] = []
    if not pp:
        return out
    steps = 1.0 / pp["dt"]
    if abs(steps - round(steps)) > 1e-9 * steps:
        out.append(f"config key 'clark.pcs.dt': {pp['dt']} must divide the sampling interval 1")
    f3, f9, f4 = pp["fig3"], pp["fig9"], pp["prl_fig4"]
    if f3["n_neurons_shown"] > f3["N"]:
        out.append(
            f"config key 'clark.pcs.fig3.n_neurons_shown': {f3['n_neurons_shown']} exceeds clark.pcs.fig3.N = {f3['N']}"
        )
    if f3["window"] > f3["n_samples"]:
        out.append(
            f"config key 'clark.pcs.fig3.window': {f3['window']} exceeds clark.pcs.fig3.n_samples = {f3['n_samples']}"
        )
    for key, f in (("fig3", f3), ("fig9", f9)):
        if f["max_lag"] >= f["n_samples"]:
            out.append(
                f"config key 'clark.pcs.{key}.max_lag': {f['max_lag']} must be < clark.pcs.{key}.n_samples"
            )
        if f["max_lag"] > pp["theory_tau_max"]:
            out.append(
                f"config key 'clark.pcs.{key}.max_lag': {f['max_lag']} exceeds clark.pcs.theory_tau_max"
            )
    ratio = 1.0 / pp["theory_dtau"]
    if abs(ratio - round(ratio)) > 1e-9 * ratio:
        out.append(
            f"config key 'clark.pcs.theory_dtau': {pp['theory_dtau']} must divide 1 (integer lags on the grid)"
        )
    bad = [k for k in f9["pcs_shown"] if k > f9["N"]]
    if bad:
        out.append(f"config key 'clark.pcs.fig9.pcs_shown': {bad} exceed clark.pcs.fig9.N = {f9['N']}")
    if f9["t_trace"] >= f9["n_samples"]:
        out.append(f"config key 'clark.pcs.fig9.t_trace': {f9['t_trace']} must be < clark.pcs.fig9.n_samples")
    if f4["max_lag"] >= f4["n_samples"]:
        out.append(
            f"config key 'clark.pcs.prl_fig4.max_lag': {f4['max_lag']} must be < clark.pcs.prl_fig4.n_samples"
        )
    bad = [k for k in f4["lead_pcs"] if k > min(f4["N_scan"])]
    if bad:
        out.append(
            f"config key 'clark.pcs.prl_fig4.lead_pcs': {bad} exceed the smallest clark.pcs.prl_fig4.N_scan"
        )
    if len(set(f4["N_scan"])) != len(f4["N_scan"]) or len(set(f4["g"])) != len(f4["g"]):
        out.append("config key 'clark.pcs.prl_fig4.N_scan' / 'clark.pcs.prl_fig4.g': values must be distinct")
    return out


def _clark_overlaps_errors(c: Mapping) -> list[str]:
    out = []
    ov = c.get("overlaps")
    if not ov:
        return out
    for name in ("dmft", "reference.dmft"):
        d = ov["dmft"] if name == "dmft" else ov["reference"]["dmft"]
        if d["n_avg"] > d["n_iter"]:
            out.append(
                f"config key 'clark.overlaps.{name}.n_avg': {d['n_avg']} exceeds n_iter = {d['n_iter']}"
            )
        if not d["kernel_cut"] < d["L"] / 2:
            out.append(
                f"config key 'clark.overlaps.{name}.kernel_cut': {d['kernel_cut']} must be < L/2 = {d['L'] / 2}"
            )
    f7, p6 = ov["fig7"], ov["prl6"]
    for key, sub, full in (
        ("fig7.sim_g_eff", f7["sim_g_eff"], f7["g_eff"]),
        ("fig7.sim_gamma", f7["sim_gamma"], f7["gamma_theory"]),
        ("prl6.sim_g", p6["sim_g"], p6["g"]),
        ("prl6.sim_rho", p6["sim_rho"], p6["rho_theory"]),
    ):
        missing = sorted(set(sub) - set(full))
        if missing:
            out.append(
                f"config key 'clark.overlaps.{key}': {missing} must also be theory points (clark.overlaps.{key.split('.')[0]})"
            )
    if f7["sim"]["n_groups"] > f7["sim"]["n_blocks"]:
        out.append(
            f"config key 'clark.overlaps.fig7.sim.n_groups': {f7['sim']['n_groups']} exceeds n_blocks = {f7['sim']['n_blocks']}"
        )
    if p6["L"] < 2 * p6["psi_tau_max"]:
        out.append(
            f"config key 'clark.overlaps.prl6.L': {p6['L']} must be >= 2 * psi_tau_max = {2 * p6['psi_tau_max']}"
        )
    if p6["sim"]["max_lag"] >= p6["sim"]["n_samples"]:
        out.append(
            f"config key 'clark.overlaps.prl6.sim.max_lag': {p6['sim']['max_lag']} must be < n_samples = {p6['sim']['n_samples']}"
        )
    return out


def errors(config: Mapping[str, Any]) -> list[str]:
    """Every inconsistency of the ``clark`` section, one message per problem."""
    c = config.get("clark")
    if not c:
        return []
    return (
        _clark_errors(c)
        + _clark_prl_errors(c)
        + _clark_pcs_errors(c.get("pcs") or {})
        + _clark_overlaps_errors(c)
    )
