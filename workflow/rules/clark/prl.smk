# Clark, Abbott & Litwin-Kumar 2023 (PRL), group "prl": tanh network with i.i.d. couplings.
# PRL Fig. 2 (dimension vs g, eigenmodes), Fig. 3 (psi heatmaps, psi^RMS), Fig. 5 (decomposition).


include: "common.smk"


localrules:
    clark_prl_merge,
    figure_clark_prl_fig2,
    figure_clark_prl_fig3,
    figure_clark_prl_fig5,


rule clark_prl_theory:
    output:
        "results/clark/theory/prl_tanh.nc",
    log:
        "logs/clark/prl_theory.log",
    benchmark:
        "results/benchmarks/clark_prl_theory.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("clark_prl_theory"),
        code=script_code("clark/prl_theory.py"),
    script:
        "../../../scripts/clark/prl_theory.py"


rule clark_prl_simulate:
    output:
        "results/clark/simulations/prl/g{gi}_r{r0}_{r1}.nc",
    log:
        "logs/clark/prl_g{gi}_r{r0}_{r1}.log",
    benchmark:
        "results/benchmarks/clark_prl_g{gi}_r{r0}_{r1}.tsv"
    wildcard_constraints:
        gi=r"\d+",
        r0=r"\d+",
        r1=r"\d+",
    conda:
        "../../../envs/rnnstruct.yaml"
    resources:
        mem_mb=CLUSTER_MEM_MB["clark_prl_simulate"],
    params:
        **config_reads("clark_prl_simulate"),
        code=script_code("clark/prl_simulate.py"),
        point=clark_prl_point,
    script:
        "../../../scripts/clark/prl_simulate.py"


rule clark_prl_finite_size:
    output:
        "results/clark/simulations/prl/fs_n{ni}_r{r0}_{r1}.nc",
    log:
        "logs/clark/prl_fs_n{ni}_r{r0}_{r1}.log",
    benchmark:
        "results/benchmarks/clark_prl_fs_n{ni}_r{r0}_{r1}.tsv"
    wildcard_constraints:
        ni=r"\d+",
        r0=r"\d+",
        r1=r"\d+",
    conda:
        "../../../envs/rnnstruct.yaml"
    resources:
        mem_mb=CLUSTER_MEM_MB["clark_prl_finite_size"],
    params:
        **config_reads("clark_prl_finite_size"),
        code=script_code("clark/prl_simulate.py"),
        point=clark_prl_fs_point,
    script:
        "../../../scripts/clark/prl_simulate.py"


rule clark_prl_eigenmodes:
    output:
        "results/clark/simulations/prl_eigenmodes.nc",
    log:
        "logs/clark/prl_eigenmodes.log",
    benchmark:
        "results/benchmarks/clark_prl_eigenmodes.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    resources:
        mem_mb=CLUSTER_MEM_MB["clark_prl_eigenmodes"],
    params:
        **config_reads("clark_prl_eigenmodes"),
        code=script_code("clark/prl_eigenmodes.py"),
    script:
        "../../../scripts/clark/prl_eigenmodes.py"


rule clark_prl_merge:
    input:
        parts=clark_prl_part_files,
        fs_parts=clark_prl_fs_files,
        eigen="results/clark/simulations/prl_eigenmodes.nc",
        theory="results/clark/theory/prl_tanh.nc",
    output:
        "results/clark/simulations/prl_iid.nc",
    log:
        "logs/clark/prl_merge.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("clark_prl_merge"),
        code=script_code("clark/prl_merge.py"),
    script:
        "../../../scripts/clark/prl_merge.py"


rule figure_clark_prl_fig2:
    input:
        theory="results/clark/theory/prl_tanh.nc",
        sims="results/clark/simulations/prl_iid.nc",
    output:
        pdf="results/figures/clark/prl_fig2_dimension.pdf",
        png=report(
            "results/figures/clark/prl_fig2_dimension.png",
            caption="../../report/clark/prl_fig2_dimension.rst",
            category="Clark 2025",
            subcategory="Figures",
            labels={"figure": "PRL F02 dimension"},
        ),
    log:
        "logs/figures/clark_prl_fig2_dimension.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.clark.figures.prl"),
        builder="rnnstruct.clark.figures.prl.fig2_dimension",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule figure_clark_prl_fig3:
    input:
        theory="results/clark/theory/prl_tanh.nc",
        sims="results/clark/simulations/prl_iid.nc",
    output:
        pdf="results/figures/clark/prl_fig3_psi.pdf",
        png=report(
            "results/figures/clark/prl_fig3_psi.png",
            caption="../../report/clark/prl_fig3_psi.rst",
            category="Clark 2025",
            subcategory="Figures",
            labels={"figure": "PRL F03 Ψ"},
        ),
    log:
        "logs/figures/clark_prl_fig3_psi.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.clark.figures.prl"),
        builder="rnnstruct.clark.figures.prl.fig3_psi",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule figure_clark_prl_fig5:
    input:
        theory="results/clark/theory/prl_tanh.nc",
    output:
        pdf="results/figures/clark/prl_fig5_decomposition.pdf",
        png=report(
            "results/figures/clark/prl_fig5_decomposition.png",
            caption="../../report/clark/prl_fig5_decomposition.rst",
            category="Clark 2025",
            subcategory="Figures",
            labels={"figure": "PRL F05 decomposition"},
        ),
    log:
        "logs/figures/clark_prl_fig5_decomposition.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.clark.figures.prl"),
        builder="rnnstruct.clark.figures.prl.fig5_decomposition",
        kwargs={},
    script:
        "../../../scripts/figure.py"
