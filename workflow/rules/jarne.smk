# Jarne & Caruso 2024 stage: RNNs trained under Dale's law (projection after every optimizer step) and
# unconstrained twins; per-condition network files, the spectra file, figures and
# docs/reproduction/jarne2024.md.  Helpers: the "# --- jarne ---" block of common.smk.
wildcard_constraints:
    cond=r"(and|or|xor|ff)_(normal|orthogonal)_(ei[0-9.]+|free)_N\d+",
    jfig=r"F1_tasks|F2_outputs|F3_spectra|F4_connectivity|F5_radius_vs_N|F6_radius_vs_ei|F7_constrained_vs_free|F8_dynamics|S_supplement",


rule jarne_train:
    output:
        "results/jarne/networks/{cond}/nets_{start}_{stop}.nc",
    log:
        "logs/jarne/train_{cond}_nets_{start}_{stop}.log",
    benchmark:
        "results/benchmarks/jarne_train_{cond}_nets_{start}_{stop}.tsv"
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=COMPUTE_HASH,
        p=jarne_params,
        nets=jarne_nets,
    script:
        "../../scripts/jarne_train.py"


rule jarne_networks:
    input:
        jarne_chunk_files,
    output:
        "results/jarne/networks/{cond}.nc",
    log:
        "logs/jarne/networks_{cond}.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=COMPUTE_HASH,
        p=jarne_params,
    script:
        "../../scripts/jarne_networks.py"


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
        "../../envs/rnnstruct.yaml"
    params:
        code=COMPUTE_HASH,
        p=jarne_params,
    script:
        "../../scripts/jarne_spectra.py"


rule jarne_reproduction_notes:
    input:
        unpack(jarne_notes_inputs),
    output:
        "docs/reproduction/jarne2024.md",
    log:
        "logs/jarne/reproduction_notes.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=SOURCE_HASH,
        p=jarne_params,
        rendering=jarne_rendering_params,
    script:
        "../../scripts/jarne_notes.py"


rule figure_jarne:
    input:
        unpack(jarne_figure_inputs),
    output:
        pdf="results/figures/jarne/{jfig}.pdf",
        png=report(
            "results/figures/jarne/{jfig}.png",
            caption="../report/jarne.rst",
            category="Jarne & Caruso 2024",
        ),
    log:
        "logs/figures/jarne_{jfig}.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=SOURCE_HASH,
        builder=jarne_builder,
        kwargs=jarne_figure_kwargs,
    script:
        "../../scripts/figure.py"
