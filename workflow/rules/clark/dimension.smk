# Clark et al. 2025 (PRX) / 2023 (PRL): DMFT theory of the dimension of the random-mode model,
# simulations at the PRX Fig. 4 points, singular values (PRX Fig. 8), figures and the generated Clark
# notes (their figure-group sections come from the other rule files' outputs).


include: "common.smk"


wildcard_constraints:
    gi=r"\d+",
    ei=r"\d+",


localrules:
    clark_simulations_merge,
    clark_reproduction_notes,
    clark_claims_table,
    figure_clark_fig4a,
    figure_clark_fig4b,
    figure_clark_fig8,


rule clark_theory_dimension:
    output:
        "results/clark/theory/dimension_rmm.nc",
    log:
        "logs/clark/theory_dimension.log",
    benchmark:
        "results/benchmarks/clark_theory_dimension.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("clark_theory_dimension"),
        code=script_code("clark/theory.py"),
    script:
        "../../../scripts/clark/theory.py"


rule clark_simulate_points:
    output:
        "results/clark/simulations/points/g{gi}_e{ei}_r{r0}_{r1}.nc",
    log:
        "logs/clark/points_g{gi}_e{ei}_r{r0}_{r1}.log",
    benchmark:
        "results/benchmarks/clark_points_g{gi}_e{ei}_r{r0}_{r1}.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    resources:
        mem_mb=CLUSTER_MEM_MB["clark_simulate_points"],
    params:
        **config_reads("clark_simulate_points"),
        code=script_code("clark/simulate_points.py"),
        point=clark_point,
    script:
        "../../../scripts/clark/simulate_points.py"


rule clark_simulations_merge:
    input:
        parts=clark_point_files,
        theory="results/clark/theory/dimension_rmm.nc",
    output:
        "results/clark/simulations/dimension_rmm.nc",
    log:
        "logs/clark/simulations_merge.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("clark_simulations_merge"),
        code=script_code("clark/simulations_merge.py"),
    script:
        "../../../scripts/clark/simulations_merge.py"


rule clark_claims_table:
    input:
        unpack(clark_claims_table_inputs),
    output:
        csv=report(
            "results/clark/claims_table.csv",
            caption="../../report/clark/claims_table.rst",
            category="Clark 2025",
            subcategory="Claims",
            labels={"table": "theory versus simulation", "format": "CSV"},
        ),
        html=report(
            "results/clark/claims_table.html",
            caption="../../report/clark/claims_table.rst",
            category="Clark 2025",
            subcategory="Claims",
            labels={"table": "theory versus simulation", "format": "HTML"},
        ),
    log:
        "logs/clark/claims_table.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("clark/claims_table.py"),
    script:
        "../../../scripts/clark/claims_table.py"


rule clark_reproduction_notes:
    input:
        unpack(clark_notes_inputs),
    output:
        report(
            "results/reproduction/clark2025.md",
            caption="../../report/clark/notes.rst",
            category="Clark 2025",
            subcategory="Notes",
            labels={"notes": "clark2025.md"},
        ),
    log:
        "logs/clark/reproduction_notes.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        profile=profile_name(),
        code=script_code("clark/notes.py"),
        clark=config["clark"],
    script:
        "../../../scripts/clark/notes.py"


rule figure_clark_fig4a:
    input:
        theory="results/clark/theory/dimension_rmm.nc",
        sims="results/clark/simulations/dimension_rmm.nc",
    output:
        pdf="results/figures/clark/prx_fig4a_dimension.pdf",
        png=report(
            "results/figures/clark/prx_fig4a_dimension.png",
            caption="../../report/clark/prx_fig4a_dimension.rst",
            category="Clark 2025",
            subcategory="Figures",
            labels={"figure": "PRX F04a dimension"},
        ),
    log:
        "logs/figures/clark_prx_fig4a_dimension.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.clark.figures.dimension"),
        builder="rnnstruct.clark.figures.dimension.fig4a_dimension",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule figure_clark_fig4b:
    input:
        theory="results/clark/theory/dimension_rmm.nc",
        sims="results/clark/simulations/dimension_rmm.nc",
    output:
        pdf="results/figures/clark/prx_fig4b_psi.pdf",
        png=report(
            "results/figures/clark/prx_fig4b_psi.png",
            caption="../../report/clark/prx_fig4b_psi.rst",
            category="Clark 2025",
            subcategory="Figures",
            labels={"figure": "PRX F04b Ψ decay"},
        ),
    log:
        "logs/figures/clark_prx_fig4b_psi.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.clark.figures.dimension"),
        builder="rnnstruct.clark.figures.dimension.fig4b_psi",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule clark_singular_values:
    output:
        "results/clark/simulations/singular_values.nc",
    log:
        "logs/clark/singular_values.log",
    benchmark:
        "results/benchmarks/clark_singular_values.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    resources:
        mem_mb=CLUSTER_MEM_MB["clark_singular_values"],
    params:
        **config_reads("clark_singular_values"),
        code=script_code("clark/singular_values.py"),
    script:
        "../../../scripts/clark/singular_values.py"


rule figure_clark_fig8:
    input:
        svd="results/clark/simulations/singular_values.nc",
    output:
        pdf="results/figures/clark/prx_fig8_singular_values.pdf",
        png=report(
            "results/figures/clark/prx_fig8_singular_values.png",
            caption="../../report/clark/prx_fig8_singular_values.rst",
            category="Clark 2025",
            subcategory="Figures",
            labels={"figure": "PRX F08 singular values"},
        ),
    log:
        "logs/figures/clark_prx_fig8_singular_values.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.clark.figures.svd"),
        builder="rnnstruct.clark.figures.svd.fig8_singular_values",
        kwargs={},
    script:
        "../../../scripts/figure.py"
