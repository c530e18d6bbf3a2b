# Clark et al. 2025 (PRX) Figs. 1 and 6: hemibrain connectome (clark.connectome.path) or, with path
# null, a labelled synthetic stand-in; one computing job (SVD, overlaps, eigenvalues of three matrices).

import os

# Parameters and inputs are computed once at parse time (plain values, no functions: the lint forbids
# functions next to rules).  The data files are inputs when a path is configured, so new data rerun the job.
CLARK_CONNECTOME_PARAMS = {
    "seed": config["seed"],
    "clark": {"connectome": config["clark"]["connectome"]},
}
CLARK_CONNECTOME_FILES = (
    []
    if config["clark"]["connectome"]["path"] is None
    else [
        os.path.join(config["clark"]["connectome"]["path"], name)
        for name in config["clark"]["connectome"]["files"].values()
    ]
)

CLARK_FIGURES.extend(["prx_fig1_connectome", "prx_fig6_overlaps"])
CLARK_TARGETS.extend(["results/clark/connectome/connectome.nc"])
CLARK_BENCHMARKS["clark_connectome"] = ["results/benchmarks/clark_connectome.tsv"]
CLARK_NOTES_SECTIONS["connectome"] = "results/clark/connectome/connectome.nc"


localrules:
    figure_clark_fig1,
    figure_clark_fig6,


rule clark_connectome:
    input:
        CLARK_CONNECTOME_FILES,
    output:
        "results/clark/connectome/connectome.nc",
    log:
        "logs/clark/connectome.log",
    benchmark:
        "results/benchmarks/clark_connectome.tsv"
    conda:
        "../../envs/rnnstruct.yaml"
    resources:
        mem_mb=CLUSTER_MEM_MB["clark_connectome"],
    params:
        code=COMPUTE_HASH,
        p=CLARK_CONNECTOME_PARAMS,
    script:
        "../../scripts/clark_connectome.py"


rule figure_clark_fig1:
    input:
        conn="results/clark/connectome/connectome.nc",
    output:
        pdf="results/figures/clark/prx_fig1_connectome.pdf",
        png=report(
            "results/figures/clark/prx_fig1_connectome.png",
            caption="../report/clark_prx_fig1_connectome.rst",
            category="Clark 2025",
        ),
    log:
        "logs/figures/clark_prx_fig1_connectome.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=SOURCE_HASH,
        builder="clark_connectome.fig1_connectome",
        kwargs={},
    script:
        "../../scripts/figure.py"


rule figure_clark_fig6:
    input:
        conn="results/clark/connectome/connectome.nc",
    output:
        pdf="results/figures/clark/prx_fig6_overlaps.pdf",
        png=report(
            "results/figures/clark/prx_fig6_overlaps.png",
            caption="../report/clark_prx_fig6_overlaps.rst",
            category="Clark 2025",
        ),
    log:
        "logs/figures/clark_prx_fig6_overlaps.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=SOURCE_HASH,
        builder="clark_connectome.fig6_overlaps",
        kwargs={},
    script:
        "../../scripts/figure.py"
