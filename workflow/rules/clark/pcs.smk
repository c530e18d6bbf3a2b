# Clark et al. group "pcs": activity-trace analyses of i.i.d. networks from stored activity:
# PRX Fig. 3 (covariance heatmaps, g = 2.25), PRX Fig. 9 (principal-component timescales, g = 6),
# PRL Fig. 4 (FWHM timescales of the PCs, tanh, vs g and N).  Library: rnnstruct.clark.pcs; stage:
# rnnstruct.clark.stages.pcs.


include: "common.smk"


localrules:
    clark_pcs_traces_merge,
    clark_pcs_timescales_merge,
    figure_clark_prx_fig3,
    figure_clark_prx_fig9,
    figure_clark_prl_fig4,


rule clark_pcs_traces:
    output:
        "results/clark/simulations/traces/{panel}.nc",
    log:
        "logs/clark/pcs_traces_{panel}.log",
    benchmark:
        "results/benchmarks/clark_pcs_traces_{panel}.tsv"
    wildcard_constraints:
        panel=r"fig3|fig9",
    conda:
        "../../../envs/rnnstruct.yaml"
    resources:
        mem_mb=CLUSTER_MEM_MB["clark_pcs_traces"],
    params:
        **config_reads("clark_pcs_traces"),
        code=script_code("clark/pcs_traces.py"),
    script:
        "../../../scripts/clark/pcs_traces.py"


rule clark_pcs_traces_merge:
    input:
        parts=clark_pcs_trace_files,
    output:
        "results/clark/simulations/traces_iid.nc",
    log:
        "logs/clark/pcs_traces_merge.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("clark_pcs_traces_merge"),
        code=script_code("clark/pcs_traces_merge.py"),
    script:
        "../../../scripts/clark/pcs_traces_merge.py"


rule clark_pcs_timescales:
    output:
        "results/clark/simulations/pc_timescales/g{g}_N{N}_r{r0}_{r1}.nc",
    log:
        "logs/clark/pcs_timescales_g{g}_N{N}_r{r0}_{r1}.log",
    benchmark:
        "results/benchmarks/clark_pcs_timescales_g{g}_N{N}_r{r0}_{r1}.tsv"
    wildcard_constraints:
        g=r"[0-9]+(\.[0-9]+)?",
        N=r"[0-9]+",
        r0=r"[0-9]+",
        r1=r"[0-9]+",
    conda:
        "../../../envs/rnnstruct.yaml"
    resources:
        mem_mb=CLUSTER_MEM_MB["clark_pcs_timescales"],
    params:
        **config_reads("clark_pcs_timescales"),
        code=script_code("clark/pcs_timescales.py"),
        job=clark_pcs_job,
    script:
        "../../../scripts/clark/pcs_timescales.py"


rule clark_pcs_timescales_merge:
    input:
        parts=clark_pcs_timescale_files,
    output:
        "results/clark/simulations/pc_timescales.nc",
    log:
        "logs/clark/pcs_timescales_merge.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("clark_pcs_timescales_merge"),
        code=script_code("clark/pcs_timescales_merge.py"),
    script:
        "../../../scripts/clark/pcs_timescales_merge.py"


rule figure_clark_prx_fig3:
    input:
        traces="results/clark/simulations/traces_iid.nc",
    output:
        pdf="results/figures/clark/prx_fig3_covariance.pdf",
        png=report(
            "results/figures/clark/prx_fig3_covariance.png",
            caption="../../report/clark/prx_fig3_covariance.rst",
            category="Clark 2025",
            subcategory="Figures",
            labels={"figure": "PRX F03 covariance"},
        ),
    log:
        "logs/figures/clark_prx_fig3_covariance.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.clark.figures.pcs"),
        builder="rnnstruct.clark.figures.pcs.fig3_covariance",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule figure_clark_prx_fig9:
    input:
        traces="results/clark/simulations/traces_iid.nc",
    output:
        pdf="results/figures/clark/prx_fig9_pc_timescales.pdf",
        png=report(
            "results/figures/clark/prx_fig9_pc_timescales.png",
            caption="../../report/clark/prx_fig9_pc_timescales.rst",
            category="Clark 2025",
            subcategory="Figures",
            labels={"figure": "PRX F09 PC timescales"},
        ),
    log:
        "logs/figures/clark_prx_fig9_pc_timescales.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.clark.figures.pcs"),
        builder="rnnstruct.clark.figures.pcs.fig9_pc_timescales",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule figure_clark_prl_fig4:
    input:
        timescales="results/clark/simulations/pc_timescales.nc",
    output:
        pdf="results/figures/clark/prl_fig4_pc_timescales.pdf",
        png=report(
            "results/figures/clark/prl_fig4_pc_timescales.png",
            caption="../../report/clark/prl_fig4_pc_timescales.rst",
            category="Clark 2025",
            subcategory="Figures",
            labels={"figure": "PRL F04 PC timescales"},
        ),
    log:
        "logs/figures/clark_prl_fig4_pc_timescales.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.clark.figures.pcs"),
        builder="rnnstruct.clark.figures.pcs.prl_fig4_pc_timescales",
        kwargs={},
    script:
        "../../../scripts/figure.py"
