# Metzner et al. 2025, the regularities (Dale, Hopfield, modular): ensembles -> dynamics and
# reservoir sweeps per control value -> merged files -> figures and reproduction notes.


include: "common.smk"


localrules:
    metzner_regularity_merge,
    metzner_claims,
    metzner_reproduction_notes,
    metzner_claims_table,
    figure_F1_schematic,
    figure_F3_baseline_accuracy,
    figure_regularity_dynamics,
    figure_regularity_accuracy,
    figure_F10_summary,
    figure_mechanism,
    figure_mechanism_accuracy,
    figure_regularity_spectra,
    metzner_robustness,
    figure_robustness,


rule metzner_ensemble_regularity:
    output:
        "results/metzner/ensembles/{reg}.nc",
    log:
        "logs/metzner/ensemble_{reg}.log",
    benchmark:
        "results/benchmarks/metzner_ensemble_{reg}.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("metzner_ensemble_regularity"),
        code=script_code("metzner/ensemble_regularity.py"),
    script:
        "../../../scripts/metzner/ensemble_regularity.py"


rule metzner_regularity_rows:
    output:
        dynamics="results/metzner/dynamics/{reg}/ctrl{c}_rows_{start}_{stop}.nc",
        reservoir="results/metzner/reservoir/{reg}/ctrl{c}_rows_{start}_{stop}.nc",
    log:
        "logs/metzner/{reg}_ctrl{c}_rows_{start}_{stop}.log",
    benchmark:
        "results/benchmarks/metzner_regularity_{reg}_ctrl{c}_rows_{start}_{stop}.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("metzner_regularity_rows"),
        code=script_code("metzner/regularity_rows.py"),
        rows=regularity_chunk_rows,
    script:
        "../../../scripts/metzner/regularity_rows.py"


rule metzner_regularity_merge:
    input:
        dynamics=regularity_chunk_files("dynamics"),
        reservoir=regularity_chunk_files("reservoir"),
    output:
        dynamics="results/metzner/dynamics/{reg}.nc",
        reservoir="results/metzner/reservoir/{reg}.nc",
    log:
        "logs/metzner/{reg}_merge.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("metzner_regularity_merge"),
        code=script_code("metzner/regularity_merge.py"),
    script:
        "../../../scripts/metzner/regularity_merge.py"


rule metzner_regularity_spectra:
    output:
        "results/metzner/validation/regularity_spectra.nc",
    log:
        "logs/metzner/regularity_spectra.log",
    benchmark:
        "results/benchmarks/metzner_regularity_spectra.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("metzner_regularity_spectra"),
        code=script_code("metzner/regularity_spectra.py"),
    script:
        "../../../scripts/metzner/regularity_spectra.py"


rule figure_F1_schematic:
    input:
        unpack(per_regularity("ensembles", "ensembles")),
    output:
        pdf="results/figures/metzner/F1_schematic.pdf",
        png=report(
            "results/figures/metzner/F1_schematic.png",
            caption="../../report/metzner/F1_schematic.rst",
            category="Metzner 2025",
            subcategory="Regularities",
            labels={"figure": "F01 ensembles"},
        ),
    log:
        "logs/figures/F1_schematic.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.metzner.figures.paper"),
        builder="rnnstruct.metzner.figures.paper.schematic_and_matrices",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule figure_F3_baseline_accuracy:
    input:
        unpack(baseline_inputs),
    output:
        pdf="results/figures/metzner/F3_baseline_accuracy.pdf",
        png=report(
            "results/figures/metzner/F3_baseline_accuracy.png",
            caption="../../report/metzner/F3_baseline_accuracy.rst",
            category="Metzner 2025",
            subcategory="Base ensemble",
            labels={"figure": "F03 baseline accuracy"},
        ),
    log:
        "logs/figures/F3_baseline_accuracy.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.metzner.figures.paper"),
        builder="rnnstruct.metzner.figures.paper.baseline_accuracy",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule figure_regularity_dynamics:
    input:
        dyn="results/metzner/dynamics/{reg}.nc",
    output:
        pdf="results/figures/metzner/F{n}_{reg}_dynamics.pdf",
        png=report(
            "results/figures/metzner/F{n}_{reg}_dynamics.png",
            caption="../../report/metzner/regularity_dynamics.rst",
            category="Metzner 2025",
            subcategory="Regularities",
            labels={"figure": "F0{n} {reg} dynamics"},
        ),
    log:
        "logs/figures/F{n}_{reg}_dynamics.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.metzner.figures.paper"),
        builder="rnnstruct.metzner.figures.paper.regularity_dynamics",
        kwargs=figure_reg_kwargs("dynamics"),
    script:
        "../../../scripts/figure.py"


rule figure_regularity_accuracy:
    input:
        res="results/metzner/reservoir/{reg}.nc",
    output:
        pdf="results/figures/metzner/F{n}_{reg}_accuracy.pdf",
        png=report(
            "results/figures/metzner/F{n}_{reg}_accuracy.png",
            caption="../../report/metzner/regularity_accuracy.rst",
            category="Metzner 2025",
            subcategory="Regularities",
            labels={"figure": "F0{n} {reg} accuracy"},
        ),
    log:
        "logs/figures/F{n}_{reg}_accuracy.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.metzner.figures.paper"),
        builder="rnnstruct.metzner.figures.paper.regularity_accuracy",
        kwargs=figure_reg_kwargs("accuracy"),
    script:
        "../../../scripts/figure.py"


rule figure_F10_summary:
    input:
        unpack(per_regularity("reservoir", "reservoirs")),
    output:
        pdf="results/figures/metzner/F10_summary.pdf",
        png=report(
            "results/figures/metzner/F10_summary.png",
            caption="../../report/metzner/F10_summary.rst",
            category="Metzner 2025",
            subcategory="Regularities",
            labels={"figure": "F10 summary of the claims"},
        ),
    log:
        "logs/figures/F10_summary.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.metzner.figures.paper"),
        builder="rnnstruct.metzner.figures.paper.summary",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule figure_mechanism:
    input:
        dyn="results/metzner/dynamics/hopfield.nc",
        res="results/metzner/reservoir/hopfield.nc",
    output:
        pdf="results/figures/metzner/mechanism_saturation.pdf",
        png=report(
            "results/figures/metzner/mechanism_saturation.png",
            caption="../../report/metzner/mechanism_saturation.rst",
            category="Metzner 2025",
            subcategory="Regularities",
            labels={"figure": "M1 Hopfield saturation mechanism"},
        ),
    log:
        "logs/figures/mechanism_saturation.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.metzner.figures.paper"),
        builder="rnnstruct.metzner.figures.paper.saturation_mechanism",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule figure_regularity_spectra:
    input:
        ds="results/metzner/validation/regularity_spectra.nc",
    output:
        pdf="results/figures/validation/regularity_spectra.pdf",
        png=report(
            "results/figures/validation/regularity_spectra.png",
            caption="../../report/metzner/regularity_spectra.rst",
            category="Validation",
            subcategory="Metzner regularities",
            labels={"figure": "V3 regularity spectra"},
        ),
    log:
        "logs/figures/regularity_spectra.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.metzner.figures.validation"),
        builder="rnnstruct.metzner.figures.validation.regularity_spectra",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule metzner_claims:
    input:
        unpack(claims_inputs),
    output:
        "results/metzner/claims.nc",
    log:
        "logs/metzner/claims.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("metzner_claims"),
        code=script_code("metzner/claims.py"),
    script:
        "../../../scripts/metzner/claims.py"


rule metzner_claims_table:
    input:
        unpack(metzner_claims_table_inputs),
    output:
        csv=report(
            "results/metzner/claims_table.csv",
            caption="../../report/metzner/claims_table.rst",
            category="Metzner 2025",
            subcategory="Claims",
            labels={"table": "claims and verdicts", "format": "CSV"},
        ),
        html=report(
            "results/metzner/claims_table.html",
            caption="../../report/metzner/claims_table.rst",
            category="Metzner 2025",
            subcategory="Claims",
            labels={"table": "claims and verdicts", "format": "HTML"},
        ),
    log:
        "logs/metzner/claims_table.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("metzner/claims_table.py"),
    script:
        "../../../scripts/metzner/claims_table.py"


rule metzner_reproduction_notes:
    input:
        unpack(metzner_notes_inputs),
    output:
        report(
            "results/reproduction/metzner2025.md",
            caption="../../report/metzner/notes.rst",
            category="Metzner 2025",
            subcategory="Notes",
            labels={"notes": "metzner2025.md"},
        ),
    log:
        "logs/metzner/reproduction_notes.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        profile=profile_name(),
        code=script_code("metzner/notes.py"),
        figures=claim_figures,
    script:
        "../../../scripts/metzner/notes.py"


rule figure_mechanism_accuracy:
    input:
        unpack(mechanism_inputs),
    output:
        pdf="results/figures/metzner/mechanism_accuracy.pdf",
        png=report(
            "results/figures/metzner/mechanism_accuracy.png",
            caption="../../report/metzner/mechanism_accuracy.rst",
            category="Metzner 2025",
            subcategory="Regularities",
            labels={"figure": "M2 accuracy against saturation and λ_max"},
        ),
    log:
        "logs/figures/mechanism_accuracy.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.metzner.figures.paper"),
        builder="rnnstruct.metzner.figures.paper.mechanism_accuracy",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule metzner_robustness_run:
    output:
        "results/metzner/robustness/{rid}.nc",
    log:
        "logs/metzner/robustness_{rid}.log",
    benchmark:
        "results/benchmarks/metzner_robustness_{rid}.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("metzner_robustness_run"),
        code=script_code("metzner/robustness_run.py"),
        rid=robustness_run_id,
    script:
        "../../../scripts/metzner/robustness_run.py"


rule metzner_robustness:
    input:
        robustness_run_files,
    output:
        "results/metzner/robustness.nc",
    log:
        "logs/metzner/robustness_merge.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("metzner_robustness"),
        code=script_code("metzner/robustness_merge.py"),
    script:
        "../../../scripts/metzner/robustness_merge.py"


rule figure_robustness:
    input:
        ds="results/metzner/robustness.nc",
    output:
        pdf="results/figures/metzner/robustness_verdicts.pdf",
        png=report(
            "results/figures/metzner/robustness_verdicts.png",
            caption="../../report/metzner/robustness_verdicts.rst",
            category="Metzner 2025",
            subcategory="Regularities",
            labels={"figure": "R1 claims across the [RECON] choices"},
        ),
    log:
        "logs/figures/robustness_verdicts.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.metzner.figures.paper"),
        builder="rnnstruct.metzner.figures.paper.robustness_verdicts",
        kwargs={},
    script:
        "../../../scripts/figure.py"
