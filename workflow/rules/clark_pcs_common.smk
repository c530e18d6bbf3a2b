# Input helpers and registrations of the Clark "pcs" group (functions live apart from the rules,
# snakemake --lint); included by clark_pcs.smk.


def clark_pcs_params(wildcards=None):
    """Parameters of this group only (changing other Clark keys does not rerun these jobs)."""
    return {"seed": config["seed"], "clark": {"pcs": config["clark"]["pcs"]}}


def clark_pcs_points():
    """(g, N) of every PRL Fig. 4 job: panel (a) over g at N, panel (b) over N at g_scan."""
    f = config["clark"]["pcs"]["prl_fig4"]
    pts = [(float(g), int(f["N"])) for g in f["g"]]
    pts += [(float(f["g_scan"]), int(n)) for n in f["N_scan"]]
    return sorted(set(pts))


def clark_pcs_chunks():
    reps = config["clark"]["pcs"]["prl_fig4"]["reps"]
    return row_chunks(reps, config["execution"]["clark_pcs_reps_per_job"])


def clark_pcs_timescale_files(wildcards=None):
    return [
        f"results/clark/simulations/pc_timescales/g{g:g}_N{n}_r{a}_{b}.nc"
        for g, n in clark_pcs_points()
        for a, b in clark_pcs_chunks()
    ]


def clark_pcs_job(wildcards):
    g, n = float(wildcards.g), int(wildcards.N)
    a, b = int(wildcards.r0), int(wildcards.r1)
    if (g, n) not in clark_pcs_points() or (a, b) not in clark_pcs_chunks():
        raise ValueError(
            f"g{wildcards.g}_N{n}_r{a}_{b} is not a PRL Fig. 4 job of the current config"
        )
    return {"g": g, "N": n, "reps": list(range(a, b))}


CLARK_FIGURES.extend(
    ["prx_fig3_covariance", "prx_fig9_pc_timescales", "prl_fig4_pc_timescales"]
)
CLARK_TARGETS.extend(
    [
        "results/clark/simulations/traces_iid.nc",
        "results/clark/simulations/pc_timescales.nc",
    ]
)
CLARK_BENCHMARKS["clark_pcs_traces"] = [
    f"results/benchmarks/clark_pcs_traces_{p}.tsv" for p in ("fig3", "fig9")
]
CLARK_BENCHMARKS["clark_pcs_timescales"] = [
    f"results/benchmarks/clark_pcs_timescales_g{g:g}_N{n}_r{a}_{b}.tsv"
    for g, n in clark_pcs_points()
    for a, b in clark_pcs_chunks()
]
CLARK_NOTES_SECTIONS["pcs"] = "results/clark/simulations/traces_iid.nc"
CLARK_NOTES_SECTIONS["pcs_prl"] = "results/clark/simulations/pc_timescales.nc"
