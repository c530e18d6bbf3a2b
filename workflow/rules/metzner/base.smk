# Metzner et al. 2025, base (w, b, d) ensemble: matrices -> dynamics -> figures.


include: "common.smk"


localrules:
    metzner_dynamics_merge,
    figure_base_phase_diagram,
    figure_base_meanfield,
    figure_base_spectrum,


rule metzner_ensemble_base:
    output:
        "results/metzner/ensembles/base.nc",
    log:
        "logs/metzner/ensemble_base.log",
    benchmark:
        "results/benchmarks/metzner_ensemble_base.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("metzner_ensemble_base"),
        code=script_code("metzner/ensemble.py"),
    script:
        "../../../scripts/metzner/ensemble.py"


rule metzner_dynamics_rows:
    output:
        "results/metzner/dynamics/base/rows_{start}_{stop}.nc",
    log:
        "logs/metzner/dynamics_base_rows_{start}_{stop}.log",
    benchmark:
        "results/benchmarks/metzner_dynamics_base_rows_{start}_{stop}.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("metzner_dynamics_rows"),
        code=script_code("metzner/dynamics_rows.py"),
        rows=base_chunk_rows,
    script:
        "../../../scripts/metzner/dynamics_rows.py"


rule metzner_dynamics_merge:
    input:
        base_chunk_files,
    output:
        "results/metzner/dynamics/base.nc",
    log:
        "logs/metzner/dynamics_base_merge.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("metzner_dynamics_merge"),
        code=script_code("metzner/dynamics_merge.py"),
    script:
        "../../../scripts/metzner/dynamics_merge.py"


rule metzner_meanfield:
    output:
        "results/metzner/validation/meanfield.nc",
    log:
        "logs/metzner/meanfield.log",
    benchmark:
        "results/benchmarks/metzner_meanfield.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("metzner_meanfield"),
        code=script_code("metzner/meanfield.py"),
    script:
        "../../../scripts/metzner/meanfield.py"


rule figure_base_phase_diagram:
    input:
        dyn="results/metzner/dynamics/base.nc",
    output:
        pdf="results/figures/metzner/base_phase_diagram.pdf",
        png=report(
            "results/figures/metzner/base_phase_diagram.png",
            caption="../../report/metzner/base_phase_diagram.rst",
            category="Metzner 2025",
            subcategory="Base ensemble",
            labels={"figure": "F02 base phase diagram"},
        ),
    log:
        "logs/figures/base_phase_diagram.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.metzner.figures.paper"),
        builder="rnnstruct.metzner.figures.paper.base_phase_diagram",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule figure_base_meanfield:
    input:
        val="results/metzner/validation/meanfield.nc",
    output:
        pdf="results/figures/validation/base_meanfield.pdf",
        png=report(
            "results/figures/validation/base_meanfield.png",
            caption="../../report/metzner/base_meanfield.rst",
            category="Validation",
            subcategory="Metzner base ensemble",
            labels={"figure": "V2 mean-field λ_max and participation ratio"},
        ),
    log:
        "logs/figures/base_meanfield.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.metzner.figures.validation"),
        builder="rnnstruct.metzner.figures.validation.base_meanfield",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule figure_base_spectrum:
    input:
        ens="results/metzner/ensembles/base.nc",
    output:
        pdf="results/figures/validation/base_spectrum.pdf",
        png=report(
            "results/figures/validation/base_spectrum.png",
            caption="../../report/metzner/base_spectrum.rst",
            category="Validation",
            subcategory="Metzner base ensemble",
            labels={"figure": "V1 base ensemble spectrum"},
        ),
    log:
        "logs/figures/base_spectrum.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.metzner.figures.validation"),
        builder="rnnstruct.metzner.figures.validation.base_spectrum",
        kwargs={},
    script:
        "../../../scripts/figure.py"
