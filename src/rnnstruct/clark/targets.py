"""Output files and job lists of the Clark stages as pure functions of the configuration.

One section per figure group (as :mod:`rnnstruct.clark.stages`): PRX Fig. 4 and 8 ("dimension"),
the larger-N check, gains (PRX Figs. 2, 5, 10), PRL (Figs. 2, 3, 5), connectome (PRX Figs. 1, 6),
pcs (PRX Figs. 3, 9, PRL Fig. 4) and overlaps (PRX Fig. 7, PRL Fig. 6).  Job lists validate the
wildcards the workflow hands back (``ValueError`` naming the job when it is not part of the config).
"""

from __future__ import annotations

import math
from typing import Mapping

from rnnstruct.core.grids import row_chunks

NOTES = "results/reproduction/clark2025.md"
#: theory versus simulation per figure, a table of the report
CLAIMS_TABLE = "results/clark/claims_table.csv"
CLAIMS_TABLE_HTML = "results/clark/claims_table.html"

#: config blocks each computing group reads: a group's stage parameters are only these blocks, so
#: changing one block reruns only the groups that read it
BLOCKS = {
    "dimension": ("phi", "backend", "theory", "simulation", "fig4", "svd"),
    "gains": ("phi", "backend", "theory", "simulation", "gains", "step", "fig2"),
    "overlaps": ("phi", "backend", "simulation", "overlaps"),
    "prl": ("backend", "prl"),
    "pcs": ("backend", "pcs"),
    "connectome": ("connectome",),
}

#: the group of each computing rule (its stage reads seed + the group's blocks)
RULE_GROUPS = {
    "clark_theory_dimension": "dimension",
    "clark_simulate_points": "dimension",
    "clark_simulations_merge": "dimension",
    "clark_singular_values": "dimension",
    "clark_gains_theory": "gains",
    "clark_gains_simulate": "gains",
    "clark_gains_merge": "gains",
    "clark_overlaps_dmft": "overlaps",
    "clark_overlaps_sim": "overlaps",
    "clark_overlaps_merge": "overlaps",
    "clark_prl_theory": "prl",
    "clark_prl_simulate": "prl",
    "clark_prl_finite_size": "prl",
    "clark_prl_eigenmodes": "prl",
    "clark_prl_merge": "prl",
    "clark_pcs_traces": "pcs",
    "clark_pcs_traces_merge": "pcs",
    "clark_pcs_timescales": "pcs",
    "clark_pcs_timescales_merge": "pcs",
    "clark_connectome": "connectome",
}
#: the config keys each rule's stage reads (rnnstruct.core.reads): seed and its group's blocks; the
#: larger-N check reads the dimension group and clark.large_n
READS = {rule: ("seed",) + tuple(f"clark.{b}" for b in BLOCKS[g]) for rule, g in RULE_GROUPS.items()}
READS["clark_large_n_points"] = READS["clark_simulate_points"] + ("clark.large_n",)
READS["clark_large_n_merge"] = READS["clark_large_n_points"]
LIFT = None

FIGURES = {
    "dimension": ("prx_fig4a_dimension", "prx_fig4b_psi", "prx_fig8_singular_values"),
    "gains": ("prx_fig5_gains", "prx_fig10_step", "prx_fig2_schematic"),
    "prl": ("prl_fig2_dimension", "prl_fig3_psi", "prl_fig5_decomposition"),
    "connectome": ("prx_fig1_connectome", "prx_fig6_overlaps"),
    "pcs": ("prx_fig3_covariance", "prx_fig9_pc_timescales", "prl_fig4_pc_timescales"),
    "overlaps": ("prx_fig7_overlaps", "prl_fig6_symmetric"),
}


def _c(config: Mapping) -> Mapping:
    return config["clark"]


def _invalid(what: str) -> ValueError:
    return ValueError(f"{what} is not a job of the current config")


def params(config: Mapping, group: str) -> dict:
    """Seed and the config blocks of ``group`` (recorded in every output file of the group)."""
    return {"seed": config["seed"], "clark": {k: _c(config)[k] for k in BLOCKS[group]}}


# ---- PRX Fig. 4 (and Fig. 8) ----------------------------------------------------------------------


def sim_g(config: Mapping) -> list[float]:
    """Union of the simulated effective gains of PRX Fig. 4a and 4b (sorted)."""
    f4 = _c(config)["fig4"]
    return sorted(set(f4["g_eff"]) | set(f4["b_g_eff"]))


def eff_ranks(config: Mapping) -> list[float]:
    """Union of the simulated effective ranks of PRX Fig. 4a, its inset and Fig. 4b (sorted)."""
    f4 = _c(config)["fig4"]
    return sorted(set(f4["eff_rank"]) | set(f4["inset_eff_rank"]) | set(f4["b_eff_rank"]))


def rep_chunks(config: Mapping) -> list[tuple[int, int]]:
    return row_chunks(_c(config)["simulation"]["reps"], config["execution"]["clark_reps_per_job"])


def points(config: Mapping) -> list[tuple[int, int]]:
    """(g index, eff_rank index) into sim_g x eff_ranks of every simulated point."""
    f4 = _c(config)["fig4"]
    wanted = {(g, e) for g in f4["g_eff"] for e in f4["eff_rank"]}
    if f4["inset_g_eff"] in f4["g_eff"]:
        wanted |= {(f4["inset_g_eff"], e) for e in f4["inset_eff_rank"]}
    wanted |= {(g, e) for g in f4["b_g_eff"] for e in f4["b_eff_rank"]}
    gs, es = sim_g(config), eff_ranks(config)
    return sorted((gs.index(g), es.index(e)) for g, e in wanted)


def point_files(config: Mapping) -> list[str]:
    return [
        f"results/clark/simulations/points/g{gi}_e{ei}_r{a}_{b}.nc"
        for gi, ei in points(config)
        for a, b in rep_chunks(config)
    ]


def point(config: Mapping, gi: int, ei: int, r0: int, r1: int) -> dict:
    if (gi, ei) not in points(config) or (r0, r1) not in rep_chunks(config):
        raise _invalid(f"Clark simulation g{gi}_e{ei}_r{r0}_{r1}")
    return {
        "g_eff": float(sim_g(config)[gi]),
        "eff_rank": float(eff_ranks(config)[ei]),
        "reps": list(range(r0, r1)),
    }


# ---- larger-N check of PRX Fig. 4a ---------------------------------------------------------------


def large_n_enabled(config: Mapping) -> bool:
    return bool(_c(config)["large_n"]["enabled"])


def large_n_params(config: Mapping) -> dict:
    """The dimension group's parameters with the network size and realisations of clark.large_n."""
    p = params(config, "dimension")
    big = _c(config)["large_n"]
    sim = {**p["clark"]["simulation"], "N": big["N"], "reps": big["reps"]}
    return {**p, "clark": {**p["clark"], "simulation": sim}}


def large_n_points(config: Mapping) -> list[tuple[float, float]]:
    big = _c(config)["large_n"]
    pts = {(float(g), float(e)) for g in big["g_eff"] for e in big["eff_rank"]}
    pts |= {(float(g), float(e)) for g, e in big["extra_points"]}
    return sorted(pts)


def large_n_chunks(config: Mapping) -> list[tuple[int, int]]:
    return row_chunks(_c(config)["large_n"]["reps"], config["execution"]["clark_reps_per_job"])


def large_n_files(config: Mapping) -> list[str]:
    return [
        f"results/clark/simulations/large_n/p{i}_r{a}_{b}.nc"
        for i in range(len(large_n_points(config)))
        for a, b in large_n_chunks(config)
    ]


def large_n_point(config: Mapping, pi: int, r0: int, r1: int) -> dict:
    if pi >= len(large_n_points(config)) or (r0, r1) not in large_n_chunks(config):
        raise _invalid(f"clark.large_n p{pi}_r{r0}_{r1}")
    g, e = large_n_points(config)[pi]
    return {"g_eff": g, "eff_rank": e, "reps": list(range(r0, r1))}


# ---- gains group (PRX Figs. 2, 5, 10) ------------------------------------------------------------


def gains_tasks(config: Mapping) -> list[dict]:
    """(g_eff, alpha PR^D, PR^G, realisation) tasks of PRX Fig. 5, in a fixed order."""
    gp = _c(config)["gains"]
    return [
        {"g_eff": float(g), "eff_rank": float(e), "pr_g": float(p), "rep": r}
        for g in gp["g_eff"]
        for e in gp["eff_rank"]
        for p in gp["pr_g_sim"]
        for r in range(gp["reps"])
    ]


def step_tasks(config: Mapping) -> list[dict]:
    """(g_eff, PR^D, realisation) tasks of PRX Fig. 10, in a fixed order."""
    sp = _c(config)["step"]
    return [
        {"g_eff": float(g), "pr_d": float(2.0**v), "rep": r}
        for g in sp["g_eff"]
        for v in sp["log2_pr_d_sim"]
        for r in range(sp["reps"])
    ]


GAINS_KINDS = {"gains": gains_tasks, "step": step_tasks}


def gains_chunks(config: Mapping, kind: str) -> list[tuple[int, int]]:
    return row_chunks(len(GAINS_KINDS[kind](config)), config["execution"]["clark_gains_tasks_per_job"])


def gains_task_files(config: Mapping, kind: str) -> list[str]:
    return [f"results/clark/simulations/{kind}/t{a}_{b}.nc" for a, b in gains_chunks(config, kind)]


def gains_job(config: Mapping, kind: str, t0: int, t1: int) -> list[dict]:
    if (t0, t1) not in gains_chunks(config, kind):
        raise _invalid(f"Clark {kind}/t{t0}_{t1}")
    return GAINS_KINDS[kind](config)[t0:t1]


# ---- PRL group (Figs. 2, 3, 5) --------------------------------------------------------------------


def prl_g(config: Mapping) -> list[float]:
    return sorted(float(g) for g in _c(config)["prl"]["simulation"]["g"])


def prl_chunks(config: Mapping) -> list[tuple[int, int]]:
    return row_chunks(_c(config)["prl"]["simulation"]["reps"], config["execution"]["clark_prl_reps_per_job"])


def prl_part_files(config: Mapping) -> list[str]:
    return [
        f"results/clark/simulations/prl/g{gi}_r{a}_{b}.nc"
        for gi in range(len(prl_g(config)))
        for a, b in prl_chunks(config)
    ]


def prl_point(config: Mapping, gi: int, r0: int, r1: int) -> dict:
    if gi >= len(prl_g(config)) or (r0, r1) not in prl_chunks(config):
        raise _invalid(f"PRL simulation g{gi}_r{r0}_{r1}")
    return {"g": prl_g(config)[gi], "reps": list(range(r0, r1))}


def prl_fs_sizes(config: Mapping) -> list[int]:
    """Sizes of the finite-size scan other than the profile's N (that one comes from the main runs)."""
    n0 = _c(config)["prl"]["simulation"]["N"]
    return sorted(int(n) for n in _c(config)["prl"]["finite_size"]["N"] if int(n) != n0)


def prl_fs_chunks(config: Mapping) -> list[tuple[int, int]]:
    return row_chunks(_c(config)["prl"]["finite_size"]["reps"], config["execution"]["clark_prl_reps_per_job"])


def prl_fs_files(config: Mapping) -> list[str]:
    return [
        f"results/clark/simulations/prl/fs_n{ni}_r{a}_{b}.nc"
        for ni in range(len(prl_fs_sizes(config)))
        for a, b in prl_fs_chunks(config)
    ]


def prl_fs_point(config: Mapping, ni: int, r0: int, r1: int) -> dict:
    if ni >= len(prl_fs_sizes(config)) or (r0, r1) not in prl_fs_chunks(config):
        raise _invalid(f"PRL finite-size fs_n{ni}_r{r0}_{r1}")
    return {
        "g": float(_c(config)["prl"]["finite_size"]["g"]),
        "N": prl_fs_sizes(config)[ni],
        "reps": list(range(r0, r1)),
    }


# ---- connectome (PRX Figs. 1, 6) ------------------------------------------------------------------


def connectome_files(config: Mapping) -> list[str]:
    """The hemibrain data files when a path is configured (inputs: new data rerun the job), else none."""
    cc = _c(config)["connectome"]
    if cc["path"] is None:
        return []
    return [f"{cc['path'].rstrip('/')}/{name}" for name in cc["files"].values()]


# ---- pcs group (PRX Figs. 3, 9; PRL Fig. 4) -------------------------------------------------------

PCS_PANELS = ("fig3", "fig9")


def pcs_points(config: Mapping) -> list[tuple[float, int]]:
    """(g, N) of every PRL Fig. 4 job: panel (a) over g at N, panel (b) over N at g_scan."""
    f = _c(config)["pcs"]["prl_fig4"]
    pts = [(float(g), int(f["N"])) for g in f["g"]]
    pts += [(float(f["g_scan"]), int(n)) for n in f["N_scan"]]
    return sorted(set(pts))


def pcs_chunks(config: Mapping) -> list[tuple[int, int]]:
    return row_chunks(_c(config)["pcs"]["prl_fig4"]["reps"], config["execution"]["clark_pcs_reps_per_job"])


def pcs_trace_files(config: Mapping) -> list[str]:
    return [f"results/clark/simulations/traces/{panel}.nc" for panel in PCS_PANELS]


def pcs_timescale_files(config: Mapping) -> list[str]:
    return [
        f"results/clark/simulations/pc_timescales/g{g:g}_N{n}_r{a}_{b}.nc"
        for g, n in pcs_points(config)
        for a, b in pcs_chunks(config)
    ]


def pcs_job(config: Mapping, g: float, N: int, r0: int, r1: int) -> dict:
    if (g, N) not in pcs_points(config) or (r0, r1) not in pcs_chunks(config):
        raise _invalid(f"PRL Fig. 4 g{g:g}_N{N}_r{r0}_{r1}")
    return {"g": g, "N": N, "reps": list(range(r0, r1))}


# ---- overlaps group (PRX Fig. 7, PRL Fig. 6) -------------------------------------------------------

OVERLAP_DMFT_FAMILIES = ("fig7", "prl6", "ref")
OVERLAP_SIM_FAMILIES = ("fig7", "prl6")


def overlap_dmft_points(config: Mapping, family: str) -> int:
    from rnnstruct.clark.stages.overlaps import dmft_points

    return len(dmft_points(params(config, "overlaps"), family))


def overlap_sim_items(config: Mapping, family: str) -> int:
    from rnnstruct.clark.stages.overlaps import sim_items

    return len(sim_items(params(config, "overlaps"), family))


def overlap_dmft_files(config: Mapping, family: str) -> list[str]:
    n = math.ceil(
        overlap_dmft_points(config, family) / config["execution"]["clark_overlaps_dmft_points_per_job"]
    )
    return [f"results/clark/overlaps/dmft/{family}_c{c}.nc" for c in range(n)]


def overlap_sim_files(config: Mapping, family: str) -> list[str]:
    n = math.ceil(
        overlap_sim_items(config, family) / config["execution"]["clark_overlaps_sim_points_per_job"]
    )
    return [f"results/clark/overlaps/sims/{family}_c{c}.nc" for c in range(n)]


# ---- everything -----------------------------------------------------------------------------------

#: NetCDF file each section of the generated notes reads (besides the PRX Fig. 4 and 8 files)
NOTES_SECTIONS = {
    "gains": "results/clark/simulations/gains.nc",
    "prl": "results/clark/simulations/prl_iid.nc",
    "connectome": "results/clark/connectome/connectome.nc",
    "pcs": "results/clark/simulations/traces_iid.nc",
    "pcs_prl": "results/clark/simulations/pc_timescales.nc",
    "overlaps": "results/clark/overlaps/overlaps.nc",
}
LARGE_N = "results/clark/simulations/dimension_rmm_large_n.nc"


def notes_sections(config: Mapping) -> dict[str, str]:
    sections = dict(NOTES_SECTIONS)
    if large_n_enabled(config):
        sections = {"large_n": LARGE_N, **sections}
    return sections


def figures(config: Mapping) -> list[str]:
    return [f"results/figures/clark/{name}" for names in FIGURES.values() for name in names]


def data(config: Mapping) -> list[str]:
    out = [
        "results/clark/theory/dimension_rmm.nc",
        "results/clark/simulations/dimension_rmm.nc",
        "results/clark/simulations/singular_values.nc",
    ]
    if large_n_enabled(config):
        out.append(LARGE_N)
    out += ["results/clark/theory/gains.nc", "results/clark/simulations/gains.nc"]
    out += [
        "results/clark/theory/prl_tanh.nc",
        "results/clark/simulations/prl_eigenmodes.nc",
        "results/clark/simulations/prl_iid.nc",
    ]
    out += ["results/clark/connectome/connectome.nc"]
    out += ["results/clark/simulations/traces_iid.nc", "results/clark/simulations/pc_timescales.nc"]
    return out + ["results/clark/overlaps/overlaps.nc"]


def notes(config: Mapping) -> list[str]:
    return [NOTES]


def tables(config: Mapping) -> list[str]:
    """Report tables (CSV, and HTML for viewing in the report)."""
    return [CLAIMS_TABLE, CLAIMS_TABLE_HTML]


def claims_table_inputs(config: Mapping) -> dict[str, str]:
    """Keyword -> NetCDF file of :func:`rnnstruct.clark.tables.claims_table`."""
    out = {
        "dimension": "results/clark/simulations/dimension_rmm.nc",
        "gains": NOTES_SECTIONS["gains"],
        "prl": NOTES_SECTIONS["prl"],
        "overlaps": NOTES_SECTIONS["overlaps"],
    }
    if large_n_enabled(config):
        out["large_n"] = LARGE_N
    return out


def _bench(files: list[str], folder: str, prefix: str) -> list[str]:
    return [f.replace(folder, f"results/benchmarks/{prefix}").replace(".nc", ".tsv") for f in files]


def benchmarks(config: Mapping) -> dict[str, list[str]]:
    out = {
        "clark_theory_dimension": ["results/benchmarks/clark_theory_dimension.tsv"],
        "clark_singular_values": ["results/benchmarks/clark_singular_values.tsv"],
        "clark_simulate_points": _bench(
            point_files(config), "results/clark/simulations/points/", "clark_points_"
        ),
    }
    if large_n_enabled(config):
        out["clark_large_n_points"] = _bench(
            large_n_files(config), "results/clark/simulations/large_n/", "clark_large_n_"
        )
    out["clark_gains_theory"] = ["results/benchmarks/clark_gains_theory.tsv"]
    out["clark_gains_simulate"] = [
        f"results/benchmarks/clark_{kind}_t{a}_{b}.tsv"
        for kind in GAINS_KINDS
        for a, b in gains_chunks(config, kind)
    ]
    out["clark_prl_theory"] = ["results/benchmarks/clark_prl_theory.tsv"]
    out["clark_prl_eigenmodes"] = ["results/benchmarks/clark_prl_eigenmodes.tsv"]
    out["clark_prl_simulate"] = _bench(prl_part_files(config), "results/clark/simulations/prl/", "clark_prl_")
    out["clark_prl_finite_size"] = _bench(
        prl_fs_files(config), "results/clark/simulations/prl/", "clark_prl_"
    )
    out["clark_connectome"] = ["results/benchmarks/clark_connectome.tsv"]
    out["clark_pcs_traces"] = [f"results/benchmarks/clark_pcs_traces_{p}.tsv" for p in PCS_PANELS]
    out["clark_pcs_timescales"] = _bench(
        pcs_timescale_files(config), "results/clark/simulations/pc_timescales/", "clark_pcs_timescales_"
    )
    out["clark_overlaps_dmft"] = [
        f
        for fam in OVERLAP_DMFT_FAMILIES
        for f in _bench(
            overlap_dmft_files(config, fam), "results/clark/overlaps/dmft/", "clark_overlaps_dmft_"
        )
    ]
    out["clark_overlaps_sim"] = [
        f
        for fam in OVERLAP_SIM_FAMILIES
        for f in _bench(overlap_sim_files(config, fam), "results/clark/overlaps/sims/", "clark_overlaps_sim_")
    ]
    return out
