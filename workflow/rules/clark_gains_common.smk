# Input helpers and registry entries of the Clark "gains" group (functions only; included by
# workflow/rules/clark_gains.smk, which holds the rules: snakemake --lint wants rules and functions apart).


def clark_gains_tasks():
    """(g_eff, alpha PR^D, PR^G, realisation) tasks of PRX Fig. 5, in a fixed order."""
    gp = config["clark"]["gains"]
    return [
        {"g_eff": float(g), "eff_rank": float(e), "pr_g": float(p), "rep": r}
        for g in gp["g_eff"]
        for e in gp["eff_rank"]
        for p in gp["pr_g_sim"]
        for r in range(gp["reps"])
    ]


def clark_step_tasks():
    """(g_eff, PR^D, realisation) tasks of PRX Fig. 10, in a fixed order."""
    sp = config["clark"]["step"]
    return [
        {"g_eff": float(g), "pr_d": float(2.0**v), "rep": r}
        for g in sp["g_eff"]
        for v in sp["log2_pr_d_sim"]
        for r in range(sp["reps"])
    ]


CLARK_GAINS_KINDS = {"gains": clark_gains_tasks, "step": clark_step_tasks}


def clark_gains_chunks(kind):
    per_job = config["execution"]["clark_gains_tasks_per_job"]
    return row_chunks(len(CLARK_GAINS_KINDS[kind]()), per_job)


def clark_gains_task_files(kind):
    return [
        f"results/clark/simulations/{kind}/t{a}_{b}.nc"
        for a, b in clark_gains_chunks(kind)
    ]


def clark_gains_job(wildcards):
    a, b = int(wildcards.t0), int(wildcards.t1)
    if (a, b) not in clark_gains_chunks(wildcards.kind):
        raise WorkflowError(
            f"{wildcards.kind}/t{a}_{b} is not a Clark {wildcards.kind} job of the current config"
        )
    return CLARK_GAINS_KINDS[wildcards.kind]()[a:b]


CLARK_FIGURES.extend(["prx_fig5_gains", "prx_fig10_step", "prx_fig2_schematic"])
CLARK_TARGETS.extend(
    ["results/clark/theory/gains.nc", "results/clark/simulations/gains.nc"]
)
CLARK_BENCHMARKS["clark_gains_theory"] = ["results/benchmarks/clark_gains_theory.tsv"]
CLARK_BENCHMARKS["clark_gains_simulate"] = [
    f"results/benchmarks/clark_{kind}_t{a}_{b}.tsv"
    for kind in CLARK_GAINS_KINDS
    for a, b in clark_gains_chunks(kind)
]
CLARK_NOTES_SECTIONS["gains"] = "results/clark/simulations/gains.nc"
