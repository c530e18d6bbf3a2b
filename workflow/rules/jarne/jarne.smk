# Jarne & Caruso 2024 stage: RNNs trained under Dale's law (projection after every optimizer step) and
# unconstrained twins, until success: one training job per group of conditions of one task and N, then
# per-condition network files, the spectra file, figures and the generated notes.  Input functions:
# jarne/common.smk.


include: "common.smk"


localrules:
    jarne_networks,
    jarne_reproduction_notes,
    figure_jarne,


rule jarne_train:
    output:
        "results/jarne/training/{job}.nc",
    log:
        "logs/jarne/train_{job}.log",
    benchmark:
        "results/benchmarks/jarne_train_{job}.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("jarne/train.py"),
        **config_reads("jarne_train"),
        conditions=jarne_job_conditions,
    script:
        "../../../scripts/jarne/train.py"


rule jarne_networks:
    input:
        jarne_job_file,
    output:
        "results/jarne/networks/{cond}.nc",
    log:
        "logs/jarne/networks_{cond}.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("jarne/networks.py"),
        **config_reads("jarne_networks"),
    script:
        "../../../scripts/jarne/networks.py"


rule jarne_spectra:
    input:
        unpack(jarne_network_files),
    output:
        "results/jarne/spectra.nc",
    log:
        "logs/jarne/spectra.log",
    benchmark:
        "results/benchmarks/jarne_spectra.tsv"
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("jarne/spectra.py"),
        **config_reads("jarne_spectra"),
    script:
        "../../../scripts/jarne/spectra.py"


rule jarne_reproduction_notes:
    input:
        unpack(jarne_notes_inputs),
    output:
        "results/reproduction/jarne2024.md",
    log:
        "logs/jarne/reproduction_notes.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        profile=profile_name(),
        code=script_code("jarne/notes.py"),
        **config_reads("jarne_reproduction_notes"),
        rendering=jarne_rendering_params,
    script:
        "../../../scripts/jarne/notes.py"


rule figure_jarne:
    input:
        unpack(jarne_figure_inputs),
    output:
        pdf="results/figures/jarne/{jfig}.pdf",
        png=report(
            "results/figures/jarne/{jfig}.png",
            caption="../../report/jarne/figures.rst",
            category="Jarne & Caruso 2024",
        ),
    log:
        "logs/figures/jarne_{jfig}.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.jarne.figures"),
        builder=jarne_builder,
        kwargs=jarne_figure_kwargs,
    script:
        "../../../scripts/figure.py"
