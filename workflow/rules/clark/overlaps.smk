# PRX Fig. 7 (right-left mode overlaps) and PRL Fig. 6 (partially symmetric couplings): sampled DMFT
# (rnnstruct.clark.sampled_dmft) and simulations, chunked by points.


include: "common.smk"


localrules:
    clark_overlaps_merge,
    figure_clark_prx_fig7_overlaps,
    figure_clark_prl_fig6_symmetric,


rule clark_overlaps_dmft:
    output:
        "results/clark/overlaps/dmft/{family}_c{c}.nc",
    log:
        "logs/clark/overlaps_dmft_{family}_c{c}.log",
    benchmark:
        "results/benchmarks/clark_overlaps_dmft_{family}_c{c}.tsv"
    wildcard_constraints:
        family="fig7|prl6|ref",
        c=r"[0-9]+",
    conda:
        "../../../envs/rnnstruct.yaml"
    resources:
        mem_mb=CLUSTER_MEM_MB["clark_overlaps_dmft"],
    params:
        **config_reads("clark_overlaps_dmft"),
        code=script_code("clark/overlaps_dmft.py"),
        per_job=clark_overlaps_per_job("dmft"),
    script:
        "../../../scripts/clark/overlaps_dmft.py"


rule clark_overlaps_sim:
    output:
        "results/clark/overlaps/sims/{family}_c{c}.nc",
    log:
        "logs/clark/overlaps_sim_{family}_c{c}.log",
    benchmark:
        "results/benchmarks/clark_overlaps_sim_{family}_c{c}.tsv"
    wildcard_constraints:
        family="fig7|prl6",
        c=r"[0-9]+",
    conda:
        "../../../envs/rnnstruct.yaml"
    resources:
        mem_mb=CLUSTER_MEM_MB["clark_overlaps_sim"],
    params:
        **config_reads("clark_overlaps_sim"),
        code=script_code("clark/overlaps_sim.py"),
        per_job=clark_overlaps_per_job("sim"),
    script:
        "../../../scripts/clark/overlaps_sim.py"


rule clark_overlaps_merge:
    input:
        unpack(clark_overlaps_inputs),
    output:
        "results/clark/overlaps/overlaps.nc",
    log:
        "logs/clark/overlaps_merge.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("clark_overlaps_merge"),
        code=script_code("clark/overlaps_merge.py"),
    script:
        "../../../scripts/clark/overlaps_merge.py"


rule figure_clark_prx_fig7_overlaps:
    input:
        ds="results/clark/overlaps/overlaps.nc",
    output:
        pdf="results/figures/clark/prx_fig7_overlaps.pdf",
        png=report(
            "results/figures/clark/prx_fig7_overlaps.png",
            caption="../../report/clark/prx_fig7_overlaps.rst",
            category="Clark 2025",
            subcategory="Figures",
            labels={"figure": "PRX F07 right-left overlaps"},
        ),
    log:
        "logs/figures/clark_prx_fig7_overlaps.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.clark.figures.overlaps"),
        builder="rnnstruct.clark.figures.overlaps.fig7_overlaps",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule figure_clark_prl_fig6_symmetric:
    input:
        ds="results/clark/overlaps/overlaps.nc",
    output:
        pdf="results/figures/clark/prl_fig6_symmetric.pdf",
        png=report(
            "results/figures/clark/prl_fig6_symmetric.png",
            caption="../../report/clark/prl_fig6_symmetric.rst",
            category="Clark 2025",
            subcategory="Figures",
            labels={"figure": "PRL F06 partially symmetric"},
        ),
    log:
        "logs/figures/clark_prl_fig6_symmetric.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.clark.figures.overlaps"),
        builder="rnnstruct.clark.figures.overlaps.fig6_symmetric",
        kwargs={},
    script:
        "../../../scripts/figure.py"
