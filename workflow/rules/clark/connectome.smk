# Clark et al. 2025 (PRX) Figs. 1 and 6: hemibrain connectome (clark.connectome.path) or, with path
# null, a labelled synthetic stand-in; one computing job (SVD, overlaps, eigenvalues of three matrices).


include: "common.smk"


# The data files are inputs when a path is configured, so new data rerun the job.


localrules:
    figure_clark_fig1,
    figure_clark_fig6,


rule clark_connectome:
    input:
        clark_connectome_files,
    output:
        "results/clark/connectome/connectome.nc",
    log:
        "logs/clark/connectome.log",
    benchmark:
        "results/benchmarks/clark_connectome.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    resources:
        mem_mb=CLUSTER_MEM_MB["clark_connectome"],
    params:
        **config_reads("clark_connectome"),
        code=script_code("clark/connectome.py"),
    script:
        "../../../scripts/clark/connectome.py"


rule figure_clark_fig1:
    input:
        conn="results/clark/connectome/connectome.nc",
    output:
        pdf="results/figures/clark/prx_fig1_connectome.pdf",
        png=report(
            "results/figures/clark/prx_fig1_connectome.png",
            caption="../../report/clark/prx_fig1_connectome.rst",
            category="Clark 2025",
            subcategory="Figures",
            labels={"figure": "PRX F01 connectome"},
        ),
    log:
        "logs/figures/clark_prx_fig1_connectome.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.clark.figures.connectome"),
        builder="rnnstruct.clark.figures.connectome.fig1_connectome",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule figure_clark_fig6:
    input:
        conn="results/clark/connectome/connectome.nc",
    output:
        pdf="results/figures/clark/prx_fig6_overlaps.pdf",
        png=report(
            "results/figures/clark/prx_fig6_overlaps.png",
            caption="../../report/clark/prx_fig6_overlaps.rst",
            category="Clark 2025",
            subcategory="Figures",
            labels={"figure": "PRX F06 connectome overlaps"},
        ),
    log:
        "logs/figures/clark_prx_fig6_overlaps.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.clark.figures.connectome"),
        builder="rnnstruct.clark.figures.connectome.fig6_overlaps",
        kwargs={},
    script:
        "../../../scripts/figure.py"
