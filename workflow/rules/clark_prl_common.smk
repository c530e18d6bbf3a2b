# Input helpers of the PRL group (workflow/rules/clark_prl.smk); functions only (snakemake --lint
# wants rules and functions in separate files).


def clark_prl_g():
    return sorted(float(g) for g in config["clark"]["prl"]["simulation"]["g"])


def clark_prl_chunks():
    reps = config["clark"]["prl"]["simulation"]["reps"]
    return row_chunks(reps, config["execution"]["clark_prl_reps_per_job"])


def clark_prl_part_files(wildcards=None):
    return [
        f"results/clark/simulations/prl/g{gi}_r{a}_{b}.nc"
        for gi in range(len(clark_prl_g()))
        for a, b in clark_prl_chunks()
    ]


def clark_prl_point(wildcards):
    gi, a, b = int(wildcards.gi), int(wildcards.r0), int(wildcards.r1)
    if gi >= len(clark_prl_g()) or (a, b) not in clark_prl_chunks():
        raise WorkflowError(
            f"g{gi}_r{a}_{b} is not a PRL simulation job of the current config"
        )
    return {"g": clark_prl_g()[gi], "reps": list(range(a, b))}
