# Jarne & Caruso 2024 stage: RNNs trained under Dale's law (projection after every optimizer step) and
# unconstrained twins, until success: one training job per group of conditions of one task and N, then
# per-condition network files, the spectra file, the claims table, one rule per figure and the generated notes.  Input functions:
# jarne/common.smk.


include: "common.smk"


localrules:
    jarne_networks,
    jarne_reproduction_notes,
    jarne_claims_table,
    figure_jarne_F1_tasks,
    figure_jarne_F2_outputs,
    figure_jarne_F3_spectra,
    figure_jarne_F4_connectivity,
    figure_jarne_F5_radius_vs_N,
    figure_jarne_F6_radius_vs_ei,
    figure_jarne_F7_constrained_vs_free,
    figure_jarne_F8_dynamics,
    figure_jarne_S_supplement,
    figure_jarne_S_training,


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
        **config_reads("jarne_train"),
        code=script_code("jarne/train.py"),
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
        **config_reads("jarne_networks"),
        code=script_code("jarne/networks.py"),
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
        **config_reads("jarne_spectra"),
        code=script_code("jarne/spectra.py"),
    script:
        "../../../scripts/jarne/spectra.py"


rule jarne_claims_table:
    input:
        spectra="results/jarne/spectra.nc",
    output:
        csv=report(
            "results/jarne/claims_table.csv",
            caption="../../report/jarne/claims_table.rst",
            category="Jarne & Caruso 2024",
            subcategory="Claims",
            labels={"table": "claims and verdicts", "format": "CSV"},
        ),
        html=report(
            "results/jarne/claims_table.html",
            caption="../../report/jarne/claims_table.rst",
            category="Jarne & Caruso 2024",
            subcategory="Claims",
            labels={"table": "claims and verdicts", "format": "HTML"},
        ),
    log:
        "logs/jarne/claims_table.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("jarne/claims_table.py"),
    script:
        "../../../scripts/jarne/claims_table.py"


rule jarne_reproduction_notes:
    input:
        unpack(jarne_notes_inputs),
    output:
        report(
            "results/reproduction/jarne2024.md",
            caption="../../report/jarne/notes.rst",
            category="Jarne & Caruso 2024",
            subcategory="Notes",
            labels={"notes": "jarne2024.md"},
        ),
    log:
        "logs/jarne/reproduction_notes.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        **config_reads("jarne_reproduction_notes"),
        profile=profile_name(),
        code=script_code("jarne/notes.py"),
        rendering=jarne_rendering_params,
    script:
        "../../../scripts/jarne/notes.py"


rule figure_jarne_F1_tasks:
    input:
        unpack(jarne_figure_inputs("F1_tasks")),
    output:
        pdf="results/figures/jarne/F1_tasks.pdf",
        png=report(
            "results/figures/jarne/F1_tasks.png",
            caption="../../report/jarne/F1_tasks.rst",
            category="Jarne & Caruso 2024",
            subcategory="Figures",
            labels={"figure": "F01 tasks"},
        ),
    log:
        "logs/figures/jarne_F1_tasks.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.jarne.figures"),
        builder="rnnstruct.jarne.figures.F1_tasks",
        kwargs=jarne_figure_kwargs("F1_tasks"),
    script:
        "../../../scripts/figure.py"


rule figure_jarne_F2_outputs:
    input:
        unpack(jarne_figure_inputs("F2_outputs")),
    output:
        pdf="results/figures/jarne/F2_outputs.pdf",
        png=report(
            "results/figures/jarne/F2_outputs.png",
            caption="../../report/jarne/F2_outputs.rst",
            category="Jarne & Caruso 2024",
            subcategory="Figures",
            labels={"figure": "F02 outputs"},
        ),
    log:
        "logs/figures/jarne_F2_outputs.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.jarne.figures"),
        builder="rnnstruct.jarne.figures.F2_outputs",
        kwargs=jarne_figure_kwargs("F2_outputs"),
    script:
        "../../../scripts/figure.py"


rule figure_jarne_F3_spectra:
    input:
        unpack(jarne_figure_inputs("F3_spectra")),
    output:
        pdf="results/figures/jarne/F3_spectra.pdf",
        png=report(
            "results/figures/jarne/F3_spectra.png",
            caption="../../report/jarne/F3_spectra.rst",
            category="Jarne & Caruso 2024",
            subcategory="Figures",
            labels={"figure": "F03 spectra"},
        ),
    log:
        "logs/figures/jarne_F3_spectra.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.jarne.figures"),
        builder="rnnstruct.jarne.figures.F3_spectra",
        kwargs=jarne_figure_kwargs("F3_spectra"),
    script:
        "../../../scripts/figure.py"


rule figure_jarne_F4_connectivity:
    input:
        unpack(jarne_figure_inputs("F4_connectivity")),
    output:
        pdf="results/figures/jarne/F4_connectivity.pdf",
        png=report(
            "results/figures/jarne/F4_connectivity.png",
            caption="../../report/jarne/F4_connectivity.rst",
            category="Jarne & Caruso 2024",
            subcategory="Figures",
            labels={"figure": "F04 connectivity"},
        ),
    log:
        "logs/figures/jarne_F4_connectivity.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.jarne.figures"),
        builder="rnnstruct.jarne.figures.F4_connectivity",
        kwargs=jarne_figure_kwargs("F4_connectivity"),
    script:
        "../../../scripts/figure.py"


rule figure_jarne_F5_radius_vs_N:
    input:
        unpack(jarne_figure_inputs("F5_radius_vs_N")),
    output:
        pdf="results/figures/jarne/F5_radius_vs_N.pdf",
        png=report(
            "results/figures/jarne/F5_radius_vs_N.png",
            caption="../../report/jarne/F5_radius_vs_N.rst",
            category="Jarne & Caruso 2024",
            subcategory="Figures",
            labels={"figure": "F05 radius versus N"},
        ),
    log:
        "logs/figures/jarne_F5_radius_vs_N.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.jarne.figures"),
        builder="rnnstruct.jarne.figures.F5_radius_vs_N",
        kwargs=jarne_figure_kwargs("F5_radius_vs_N"),
    script:
        "../../../scripts/figure.py"


rule figure_jarne_F6_radius_vs_ei:
    input:
        unpack(jarne_figure_inputs("F6_radius_vs_ei")),
    output:
        pdf="results/figures/jarne/F6_radius_vs_ei.pdf",
        png=report(
            "results/figures/jarne/F6_radius_vs_ei.png",
            caption="../../report/jarne/F6_radius_vs_ei.rst",
            category="Jarne & Caruso 2024",
            subcategory="Figures",
            labels={"figure": "F06 radius versus E/I fraction"},
        ),
    log:
        "logs/figures/jarne_F6_radius_vs_ei.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.jarne.figures"),
        builder="rnnstruct.jarne.figures.F6_radius_vs_ei",
        kwargs=jarne_figure_kwargs("F6_radius_vs_ei"),
    script:
        "../../../scripts/figure.py"


rule figure_jarne_F7_constrained_vs_free:
    input:
        unpack(jarne_figure_inputs("F7_constrained_vs_free")),
    output:
        pdf="results/figures/jarne/F7_constrained_vs_free.pdf",
        png=report(
            "results/figures/jarne/F7_constrained_vs_free.png",
            caption="../../report/jarne/F7_constrained_vs_free.rst",
            category="Jarne & Caruso 2024",
            subcategory="Figures",
            labels={"figure": "F07 constrained versus free"},
        ),
    log:
        "logs/figures/jarne_F7_constrained_vs_free.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.jarne.figures"),
        builder="rnnstruct.jarne.figures.F7_constrained_vs_free",
        kwargs=jarne_figure_kwargs("F7_constrained_vs_free"),
    script:
        "../../../scripts/figure.py"


rule figure_jarne_F8_dynamics:
    input:
        unpack(jarne_figure_inputs("F8_dynamics")),
    output:
        pdf="results/figures/jarne/F8_dynamics.pdf",
        png=report(
            "results/figures/jarne/F8_dynamics.png",
            caption="../../report/jarne/F8_dynamics.rst",
            category="Jarne & Caruso 2024",
            subcategory="Figures",
            labels={"figure": "F08 dynamics"},
        ),
    log:
        "logs/figures/jarne_F8_dynamics.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.jarne.figures"),
        builder="rnnstruct.jarne.figures.F8_dynamics",
        kwargs=jarne_figure_kwargs("F8_dynamics"),
    script:
        "../../../scripts/figure.py"


rule figure_jarne_S_supplement:
    input:
        unpack(jarne_figure_inputs("S_supplement")),
    output:
        pdf="results/figures/jarne/S_supplement.pdf",
        png=report(
            "results/figures/jarne/S_supplement.png",
            caption="../../report/jarne/S_supplement.rst",
            category="Jarne & Caruso 2024",
            subcategory="Figures",
            labels={"figure": "S1 supplement"},
        ),
    log:
        "logs/figures/jarne_S_supplement.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.jarne.figures"),
        builder="rnnstruct.jarne.figures.S_supplement",
        kwargs=jarne_figure_kwargs("S_supplement"),
    script:
        "../../../scripts/figure.py"


rule figure_jarne_S_training:
    input:
        unpack(jarne_figure_inputs("S_training")),
    output:
        pdf="results/figures/jarne/S_training.pdf",
        png=report(
            "results/figures/jarne/S_training.png",
            caption="../../report/jarne/S_training.rst",
            category="Jarne & Caruso 2024",
            subcategory="Figures",
            labels={"figure": "S2 training until success"},
        ),
    log:
        "logs/figures/jarne_S_training.log",
    conda:
        "../../../envs/rnnstruct.yaml"
    params:
        code=script_code("figure.py", "rnnstruct.jarne.figures"),
        builder="rnnstruct.jarne.figures.S_training",
        kwargs=jarne_figure_kwargs("S_training"),
    script:
        "../../../scripts/figure.py"
