# Clark et al. 2025 (PRX), figure group "gains": gain heterogeneity (Fig. 5), step mode spectrum
# (Fig. 10) and the Fig. 2 schematic with its theory inset.  A simulation job is a chunk of
# execution.clark_gains_tasks_per_job (point, realisation) tasks (paper: one task per job); seeds
# depend on the task only, never on the chunking.


include: "common.smk"


localrules:
    clark_gains_merge,
    figure_clark_fig5,
    figure_clark_fig10,
    figure_clark_fig2,


rule clark_gains_theory:
    output:
        "results/clark/theory/gains.nc",
    log:
        "logs/clark/gains_theory.log",
    benchmark:
        "results/benchmarks/clark_gains_theory.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("clark_gains_theory"),
        code=script_code("clark/gains_theory.py"),
    script:
        "../../../scripts/clark/gains_theory.py"


rule clark_gains_simulate:
    output:
        "results/clark/simulations/{kind}/t{t0}_{t1}.nc",
    log:
        "logs/clark/{kind}_t{t0}_{t1}.log",
    benchmark:
        "results/benchmarks/clark_{kind}_t{t0}_{t1}.tsv"
    wildcard_constraints:
        kind="gains|step",
        t0=r"\d+",
        t1=r"\d+",
    conda:
        "../../../envs/rnnstruct.yaml"
    resources:
        mem_mb=CLUSTER_MEM_MB["clark_gains_simulate"],
    params:
        **config_reads("clark_gains_simulate"),
        code=script_code("clark/gains_simulate.py"),
        tasks=clark_gains_job,
    script:
        "../../../scripts/clark/gains_simulate.py"


rule clark_gains_merge:
    input:
        gains=clark_gains_task_files("gains"),
        step=clark_gains_task_files("step"),
        theory="results/clark/theory/gains.nc",
    output:
        "results/clark/simulations/gains.nc",
    log:
        "logs/clark/gains_merge.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("clark_gains_merge"),
        code=script_code("clark/gains_merge.py"),
    script:
        "../../../scripts/clark/gains_merge.py"


rule figure_clark_fig5:
    input:
        theory="results/clark/theory/gains.nc",
        sims="results/clark/simulations/gains.nc",
    output:
        pdf="results/figures/clark/prx_fig5_gains.pdf",
        png=report(
            "results/figures/clark/prx_fig5_gains.png",
            caption="../../report/clark/prx_fig5_gains.rst",
            category="Clark 2025",
            subcategory="Figures",
            labels={"figure": "PRX F05 gains"},
        ),
    log:
        "logs/figures/clark_prx_fig5_gains.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.clark.figures.gains"),
        builder="rnnstruct.clark.figures.gains.fig5_gains",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule figure_clark_fig10:
    input:
        theory="results/clark/theory/gains.nc",
        sims="results/clark/simulations/gains.nc",
    output:
        pdf="results/figures/clark/prx_fig10_step.pdf",
        png=report(
            "results/figures/clark/prx_fig10_step.png",
            caption="../../report/clark/prx_fig10_step.rst",
            category="Clark 2025",
            subcategory="Figures",
            labels={"figure": "PRX F10 step mode spectrum"},
        ),
    log:
        "logs/figures/clark_prx_fig10_step.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.clark.figures.gains"),
        builder="rnnstruct.clark.figures.gains.fig10_step",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule figure_clark_fig2:
    input:
        theory="results/clark/theory/gains.nc",
    output:
        pdf="results/figures/clark/prx_fig2_schematic.pdf",
        png=report(
            "results/figures/clark/prx_fig2_schematic.png",
            caption="../../report/clark/prx_fig2_schematic.rst",
            category="Clark 2025",
            subcategory="Figures",
            labels={"figure": "PRX F02 schematic"},
        ),
    log:
        "logs/figures/clark_prx_fig2_schematic.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.clark.figures.gains"),
        builder="rnnstruct.clark.figures.gains.fig2_schematic",
        kwargs={},
    script:
        "../../../scripts/figure.py"
