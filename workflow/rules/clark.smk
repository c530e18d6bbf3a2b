# Clark et al. 2025 (PRX) / 2023 (PRL): DMFT theory of the dimension of the random-mode model,
# simulations at the PRX Fig. 4 points, figures and docs/reproduction/clark2025.md.
# Input helpers live in the "clark" block of common.smk.


rule clark_theory_dimension:
    output:
        "results/clark/theory/dimension_rmm.nc",
    log:
        "logs/clark/theory_dimension.log",
    benchmark:
        "results/benchmarks/clark_theory_dimension.tsv"
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=COMPUTE_HASH,
        p=clark_params,
    script:
        "../../scripts/clark_theory.py"


rule clark_simulate_points:
    output:
        "results/clark/simulations/points/g{gi}_e{ei}_r{r0}_{r1}.nc",
    log:
        "logs/clark/points_g{gi}_e{ei}_r{r0}_{r1}.log",
    benchmark:
        "results/benchmarks/clark_points_g{gi}_e{ei}_r{r0}_{r1}.tsv"
    conda:
        "../../envs/rnnstruct.yaml"
    resources:
        mem_mb=CLUSTER_MEM_MB["clark_simulate_points"],
    params:
        code=COMPUTE_HASH,
        p=clark_params,
        point=clark_point,
    script:
        "../../scripts/clark_simulate_points.py"


rule clark_simulations_merge:
    input:
        parts=clark_point_files,
        theory="results/clark/theory/dimension_rmm.nc",
    output:
        "results/clark/simulations/dimension_rmm.nc",
    log:
        "logs/clark/simulations_merge.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=COMPUTE_HASH,
        p=clark_params,
    script:
        "../../scripts/clark_simulations_merge.py"


rule clark_reproduction_notes:
    input:
        unpack(clark_notes_inputs),
    output:
        "docs/reproduction/clark2025.md",
    log:
        "logs/clark/reproduction_notes.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=SOURCE_HASH,
        clark=config["clark"],
    script:
        "../../scripts/clark_notes.py"


rule figure_clark_fig4a:
    input:
        theory="results/clark/theory/dimension_rmm.nc",
        sims="results/clark/simulations/dimension_rmm.nc",
    output:
        pdf="results/figures/clark/prx_fig4a_dimension.pdf",
        png=report(
            "results/figures/clark/prx_fig4a_dimension.png",
            caption="../report/clark_fig4a.rst",
            category="Clark 2025",
        ),
    log:
        "logs/figures/clark_prx_fig4a_dimension.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=SOURCE_HASH,
        builder="clark.fig4a_dimension",
        kwargs={},
    script:
        "../../scripts/figure.py"


rule figure_clark_fig4b:
    input:
        theory="results/clark/theory/dimension_rmm.nc",
        sims="results/clark/simulations/dimension_rmm.nc",
    output:
        pdf="results/figures/clark/prx_fig4b_psi.pdf",
        png=report(
            "results/figures/clark/prx_fig4b_psi.png",
            caption="../report/clark_fig4b.rst",
            category="Clark 2025",
        ),
    log:
        "logs/figures/clark_prx_fig4b_psi.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=SOURCE_HASH,
        builder="clark.fig4b_psi",
        kwargs={},
    script:
        "../../scripts/figure.py"


rule clark_singular_values:
    output:
        "results/clark/simulations/singular_values.nc",
    log:
        "logs/clark/singular_values.log",
    benchmark:
        "results/benchmarks/clark_singular_values.tsv"
    conda:
        "../../envs/rnnstruct.yaml"
    resources:
        mem_mb=CLUSTER_MEM_MB["clark_singular_values"],
    params:
        code=COMPUTE_HASH,
        p=clark_params,
    script:
        "../../scripts/clark_singular_values.py"


rule figure_clark_fig8:
    input:
        svd="results/clark/simulations/singular_values.nc",
    output:
        pdf="results/figures/clark/prx_fig8_singular_values.pdf",
        png=report(
            "results/figures/clark/prx_fig8_singular_values.png",
            caption="../report/clark_fig8.rst",
            category="Clark 2025",
        ),
    log:
        "logs/figures/clark_prx_fig8_singular_values.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=SOURCE_HASH,
        builder="clark_spectra.fig8_singular_values",
        kwargs={},
    script:
        "../../scripts/figure.py"
