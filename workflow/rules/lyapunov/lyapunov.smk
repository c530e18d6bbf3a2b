# Spectral and Lyapunov analysis stage: QR Lyapunov spectra of the i.i.d. map and rate network and of
# the Metzner regularities; convergence evidence; figures and the generated convergence notes.


include: "common.smk"


localrules:
    lyapunov_numerics_doc,
    figure_lyapunov_iid,
    figure_lyapunov_regularities,
    figure_lyapunov_numerics,


rule lyapunov_iid:
    output:
        "results/lyapunov/{kind}.nc",
    log:
        "logs/lyapunov/{kind}.log",
    benchmark:
        "results/benchmarks/lyapunov_{kind}.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("lyapunov_iid"),
        code=script_code("lyapunov/iid.py"),
    script:
        "../../../scripts/lyapunov/iid.py"


rule lyapunov_regularity:
    output:
        "results/lyapunov/metzner_{reg}.nc",
    log:
        "logs/lyapunov/metzner_{reg}.log",
    benchmark:
        "results/benchmarks/lyapunov_metzner_{reg}.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("lyapunov_regularity"),
        code=script_code("lyapunov/regularity.py"),
    script:
        "../../../scripts/lyapunov/regularity.py"


rule lyapunov_numerics:
    output:
        "results/lyapunov/numerics.nc",
    log:
        "logs/lyapunov/numerics.log",
    benchmark:
        "results/benchmarks/lyapunov_numerics.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("lyapunov_numerics"),
        code=script_code("lyapunov/numerics.py"),
    script:
        "../../../scripts/lyapunov/numerics.py"


rule lyapunov_numerics_doc:
    input:
        unpack(lyapunov_notes_inputs),
    output:
        report(
            "results/reproduction/lyapunov_numerics.md",
            caption="../../report/lyapunov/notes.rst",
            category="Lyapunov spectra",
            subcategory="Notes",
            labels={"notes": "lyapunov_numerics.md"},
        ),
    log:
        "logs/lyapunov/numerics_doc.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        profile=profile_name(),
        code=script_code("lyapunov/notes.py"),
    script:
        "../../../scripts/lyapunov/notes.py"


rule figure_lyapunov_iid:
    input:
        iid_map="results/lyapunov/iid_map.nc",
        iid_flow="results/lyapunov/iid_flow.nc",
    output:
        pdf="results/figures/lyapunov/{fig}.pdf",
        png=report(
            "results/figures/lyapunov/{fig}.png",
            caption="../../report/lyapunov/iid.rst",
            category="Lyapunov spectra",
            subcategory="Figures",
            labels=lyapunov_figure_labels,
        ),
    log:
        "logs/figures/lyapunov_{fig}.log",
    wildcard_constraints:
        fig="lambda_max_vs_g|full_spectra",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.lyapunov.figures"),
        builder=lyapunov_builder,
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule figure_lyapunov_regularities:
    input:
        unpack(lyapunov_regularity_inputs),
    output:
        pdf="results/figures/lyapunov/regularity_spectra.pdf",
        png=report(
            "results/figures/lyapunov/regularity_spectra.png",
            caption="../../report/lyapunov/regularity_spectra.rst",
            category="Lyapunov spectra",
            subcategory="Figures",
            labels={"figure": "L3 Lyapunov spectra of the regularities"},
        ),
    log:
        "logs/figures/lyapunov_regularity_spectra.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.lyapunov.figures"),
        builder="rnnstruct.lyapunov.figures.regularity_lyapunov",
        kwargs={},
    script:
        "../../../scripts/figure.py"


rule figure_lyapunov_numerics:
    input:
        num="results/lyapunov/numerics.nc",
    output:
        pdf="results/figures/validation/lyapunov_numerics.pdf",
        png=report(
            "results/figures/validation/lyapunov_numerics.png",
            caption="../../report/lyapunov/numerics.rst",
            category="Validation",
            subcategory="Lyapunov spectra",
            labels={"figure": "V4 Lyapunov convergence"},
        ),
    log:
        "logs/figures/lyapunov_numerics.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.lyapunov.figures"),
        builder="rnnstruct.lyapunov.figures.numerics",
        kwargs={},
    script:
        "../../../scripts/figure.py"
