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


def clark_prl_fs_sizes():
    """Sizes of the finite-size scan other than the profile's N (that one comes from the main runs)."""
    fs = config["clark"]["prl"]["finite_size"]
    n0 = config["clark"]["prl"]["simulation"]["N"]
    return sorted(int(n) for n in fs["N"] if int(n) != n0)


def clark_prl_fs_chunks():
    reps = config["clark"]["prl"]["finite_size"]["reps"]
    return row_chunks(reps, config["execution"]["clark_prl_reps_per_job"])


def clark_prl_fs_files(wildcards=None):
    return [
        f"results/clark/simulations/prl/fs_n{ni}_r{a}_{b}.nc"
        for ni in range(len(clark_prl_fs_sizes()))
        for a, b in clark_prl_fs_chunks()
    ]


def clark_prl_fs_point(wildcards):
    ni, a, b = int(wildcards.ni), int(wildcards.r0), int(wildcards.r1)
    if ni >= len(clark_prl_fs_sizes()) or (a, b) not in clark_prl_fs_chunks():
        raise WorkflowError(
            f"fs_n{ni}_r{a}_{b} is not a PRL finite-size job of the current config"
        )
    return {
        "g": float(config["clark"]["prl"]["finite_size"]["g"]),
        "N": clark_prl_fs_sizes()[ni],
        "reps": list(range(a, b)),
    }
