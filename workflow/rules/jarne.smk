# Jarne & Caruso 2024 stage: RNNs trained under Dale's law (projection after every optimizer step) and
# unconstrained twins; per-condition network files, the spectra file, figures and
# docs/reproduction/jarne2024.md.  Helpers first, then rules.
from rnnstruct.jarne import stage as jarne_stage


wildcard_constraints:
    cond=r"(and|or|xor|ff)_(normal|orthogonal)_(ei[0-9.]+|free)_N\d+",
    jfig=r"F1_tasks|F2_outputs|F3_spectra|F4_connectivity|F5_radius_vs_N|F6_radius_vs_ei|F7_constrained_vs_free|F8_dynamics",


def jarne_params(wildcards=None):
    """Scientific parameters of the Jarne stage (recorded in every output file)."""
    return {"seed": config["seed"], **config["jarne"]}


def jarne_conditions():
    return jarne_stage.conditions(config["jarne"])


def jarne_chunks():
    n, k = config["jarne"]["nets"], config["execution"]["jarne_nets_per_job"]
    return [(a, min(a + k, n)) for a in range(0, n, k)]


def jarne_chunk_files(wildcards):
    return [
        f"results/jarne/networks/{wildcards.cond}/nets_{a}_{b}.nc"
        for a, b in jarne_chunks()
    ]


def jarne_nets(wildcards):
    start, stop = int(wildcards.start), int(wildcards.stop)
    if wildcards.cond not in jarne_conditions() or (start, stop) not in jarne_chunks():
        raise WorkflowError(
            f"{wildcards.cond} networks {start}..{stop} are not a chunk of the current config"
        )
    return list(range(start, stop))


def jarne_network_files(wildcards=None):
    return {
        f"networks__{name}": f"results/jarne/networks/{name}.nc"
        for name in jarne_conditions()
    }


def jarne_main_network_files(wildcards=None):
    N = config["jarne"]["N"]
    return {
        key: path
        for key, path in jarne_network_files().items()
        if path.endswith(f"_N{N}.nc")
    }


def jarne_figure_inputs(wildcards):
    files = {"spectra": "results/jarne/spectra.nc"}
    if wildcards.jfig not in ("F1_tasks", "F5_radius_vs_N", "F6_radius_vs_ei"):
        files.update(jarne_main_network_files())
    return files


def jarne_notes_inputs(wildcards):
    return {
        "spectra": "results/jarne/spectra.nc",
        "template": workflow.source_path("../report/notes/jarne2024.md.j2"),
        "schema": workflow.source_path(SCHEMA),
    }


def jarne_builder(wildcards):
    return f"jarne.{wildcards.jfig}"


JARNE_FIGURES = [
    "F1_tasks",
    "F2_outputs",
    "F3_spectra",
    "F4_connectivity",
    "F5_radius_vs_N",
    "F6_radius_vs_ei",
    "F7_constrained_vs_free",
    "F8_dynamics",
]


def jarne_targets():
    figs = [
        f"results/figures/jarne/{name}.{ext}"
        for name in JARNE_FIGURES
        for ext in ("pdf", "png")
    ]
    nets = [f"results/jarne/networks/{name}.nc" for name in jarne_conditions()]
    return (
        nets + ["results/jarne/spectra.nc", "docs/reproduction/jarne2024.md"] + figs
    )


def jarne_benchmark_files():
    return [
        f"results/benchmarks/jarne_train_{name}_nets_{a}_{b}.tsv"
        for name in jarne_conditions()
        for a, b in jarne_chunks()
    ]


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
        code=SOURCE_HASH,
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
        code=SOURCE_HASH,
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
        code=SOURCE_HASH,
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
        kwargs={},
    script:
        "../../scripts/figure.py"
