# Larger-N check of PRX Fig. 4a (clark.large_n; switched on by the overlay config/overlays/clark_large_n.yaml):
# the Fig. 4a simulation stage, unchanged, at a larger N on a few points, merged into
# results/clark/simulations/dimension_rmm_large_n.nc and tabulated in the generated Clark notes.


include: "common.smk"


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
        "../../../envs/rnnstruct.yaml"
    resources:
        mem_mb=CLUSTER_MEM_MB["clark_large_n_points"],
    params:
        **config_reads("clark_large_n_points", build=clark_targets.large_n_params),
        code=script_code("clark/simulate_points.py"),
        point=clark_large_n_point,
    script:
        "../../../scripts/clark/simulate_points.py"


rule clark_large_n_merge:
    input:
        parts=clark_large_n_files,
        theory="results/clark/theory/dimension_rmm.nc",
    output:
        "results/clark/simulations/dimension_rmm_large_n.nc",
    log:
        "logs/clark/large_n_merge.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("clark_large_n_merge", build=clark_targets.large_n_params),
        code=script_code("clark/simulations_merge.py"),
    script:
        "../../../scripts/clark/simulations_merge.py"
