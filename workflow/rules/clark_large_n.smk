# Larger-N check of PRX Fig. 4a (clark.large_n; switched on by the overlay config/clark_large_n.yaml):
# the Fig. 4a simulation stage, unchanged, at a larger N on a few points, merged into
# results/clark/simulations/dimension_rmm_large_n.nc and tabulated in docs/reproduction/clark2025.md.


def clark_large_n_params(wildcards=None):
    """clark_params() with the network size and realisations of the larger-N check."""
    p = clark_params()
    big = config["clark"]["large_n"]
    sim = {**p["clark"]["simulation"], "N": big["N"], "reps": big["reps"]}
    return {**p, "clark": {**p["clark"], "simulation": sim}}


def clark_large_n_points():
    """Sorted (g_eff, eff_rank) pairs of the larger-N check."""
    big = config["clark"]["large_n"]
    pts = {(float(g), float(e)) for g in big["g_eff"] for e in big["eff_rank"]}
    pts |= {(float(g), float(e)) for g, e in big["extra_points"]}
    return sorted(pts)


def clark_large_n_chunks():
    return row_chunks(
        config["clark"]["large_n"]["reps"], config["execution"]["clark_reps_per_job"]
    )


def clark_large_n_files(wildcards=None):
    return [
        f"results/clark/simulations/large_n/p{i}_r{a}_{b}.nc"
        for i in range(len(clark_large_n_points()))
        for a, b in clark_large_n_chunks()
    ]


def clark_large_n_point(wildcards):
    i, a, b = int(wildcards.pi), int(wildcards.r0), int(wildcards.r1)
    if i >= len(clark_large_n_points()) or (a, b) not in clark_large_n_chunks():
        raise WorkflowError(f"p{i}_r{a}_{b} is not a job of clark.large_n")
    g, e = clark_large_n_points()[i]
    return {"g_eff": g, "eff_rank": e, "reps": list(range(a, b))}


if config["clark"]["large_n"]["enabled"]:
    CLARK_TARGETS.append("results/clark/simulations/dimension_rmm_large_n.nc")
    CLARK_NOTES_SECTIONS["large_n"] = (
        "results/clark/simulations/dimension_rmm_large_n.nc"
    )
    CLARK_BENCHMARKS["clark_large_n_points"] = [
        f.replace(
            "results/clark/simulations/large_n/", "results/benchmarks/clark_large_n_"
        ).replace(".nc", ".tsv")
        for f in clark_large_n_files()
    ]


localrules:
    clark_large_n_merge,


rule clark_large_n_points:
    output:
        "results/clark/simulations/large_n/p{pi}_r{r0}_{r1}.nc",
    log:
        "logs/clark/large_n_p{pi}_r{r0}_{r1}.log",
    benchmark:
        "results/benchmarks/clark_large_n_p{pi}_r{r0}_{r1}.tsv"
    wildcard_constraints:
        pi=r"\d+",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=COMPUTE_HASH,
        p=clark_large_n_params,
        point=clark_large_n_point,
    script:
        "../../scripts/clark_simulate_points.py"


rule clark_large_n_merge:
    input:
        parts=clark_large_n_files,
        theory="results/clark/theory/dimension_rmm.nc",
    output:
        "results/clark/simulations/dimension_rmm_large_n.nc",
    log:
        "logs/clark/large_n_merge.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=COMPUTE_HASH,
        p=clark_large_n_params,
    script:
        "../../scripts/clark_simulations_merge.py"
