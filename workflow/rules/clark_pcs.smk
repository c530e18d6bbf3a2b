# Clark et al. group "pcs": activity-trace analyses of i.i.d. networks from stored activity:
# PRX Fig. 3 (covariance heatmaps, g = 2.25), PRX Fig. 9 (principal-component timescales, g = 6),
# PRL Fig. 4 (FWHM timescales of the PCs, tanh, vs g and N).  Library: rnnstruct.clark.pcs; stage:
# rnnstruct.stages.clark_pcs.


def clark_pcs_params(wildcards=None):
    """Parameters of this group only (changing other Clark keys does not rerun these jobs)."""
    return {"seed": config["seed"], "clark": {"pcs": config["clark"]["pcs"]}}


def clark_pcs_points():
    """(g, N) of every PRL Fig. 4 job: panel (a) over g at N, panel (b) over N at g_scan."""
    f = config["clark"]["pcs"]["prl_fig4"]
    pts = [(float(g), int(f["N"])) for g in f["g"]]
    pts += [(float(f["g_scan"]), int(n)) for n in f["N_scan"]]
    return sorted(set(pts))


def clark_pcs_chunks():
    reps = config["clark"]["pcs"]["prl_fig4"]["reps"]
    return row_chunks(reps, config["execution"]["clark_pcs_reps_per_job"])


def clark_pcs_timescale_files(wildcards=None):
    return [
        f"results/clark/simulations/pc_timescales/g{g:g}_N{n}_r{a}_{b}.nc"
        for g, n in clark_pcs_points()
        for a, b in clark_pcs_chunks()
    ]


def clark_pcs_job(wildcards):
    g, n = float(wildcards.g), int(wildcards.N)
    a, b = int(wildcards.r0), int(wildcards.r1)
    if (g, n) not in clark_pcs_points() or (a, b) not in clark_pcs_chunks():
        raise ValueError(
            f"g{wildcards.g}_N{n}_r{a}_{b} is not a PRL Fig. 4 job of the current config"
        )
    return {"g": g, "N": n, "reps": list(range(a, b))}


CLARK_FIGURES.extend(
    ["prx_fig3_covariance", "prx_fig9_pc_timescales", "prl_fig4_pc_timescales"]
)
CLARK_TARGETS.extend(
    [
        "results/clark/simulations/traces_iid.nc",
        "results/clark/simulations/pc_timescales.nc",
    ]
)
CLARK_BENCHMARKS["clark_pcs_traces"] = [
    f"results/benchmarks/clark_pcs_traces_{p}.tsv" for p in ("fig3", "fig9")
]
CLARK_BENCHMARKS["clark_pcs_timescales"] = [
    f"results/benchmarks/clark_pcs_timescales_g{g:g}_N{n}_r{a}_{b}.tsv"
    for g, n in clark_pcs_points()
    for a, b in clark_pcs_chunks()
]
CLARK_NOTES_SECTIONS["pcs"] = "results/clark/simulations/traces_iid.nc"
CLARK_NOTES_SECTIONS["pcs_prl"] = "results/clark/simulations/pc_timescales.nc"


localrules:
    clark_pcs_traces_merge,
    clark_pcs_timescales_merge,
    figure_clark_prx_fig3,
    figure_clark_prx_fig9,
    figure_clark_prl_fig4,


rule clark_pcs_traces:
    output:
        "results/clark/simulations/traces/{panel}.nc",
    log:
        "logs/clark/pcs_traces_{panel}.log",
    benchmark:
        "results/benchmarks/clark_pcs_traces_{panel}.tsv"
    wildcard_constraints:
        panel=r"fig3|fig9",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=COMPUTE_HASH,
        p=clark_pcs_params,
    script:
        "../../scripts/clark_pcs_traces.py"


rule clark_pcs_traces_merge:
    input:
        parts=expand(
            "results/clark/simulations/traces/{panel}.nc", panel=["fig3", "fig9"]
        ),
    output:
        "results/clark/simulations/traces_iid.nc",
    log:
        "logs/clark/pcs_traces_merge.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=COMPUTE_HASH,
        p=clark_pcs_params,
    script:
        "../../scripts/clark_pcs_traces_merge.py"


rule clark_pcs_timescales:
    output:
        "results/clark/simulations/pc_timescales/g{g}_N{N}_r{r0}_{r1}.nc",
    log:
        "logs/clark/pcs_timescales_g{g}_N{N}_r{r0}_{r1}.log",
    benchmark:
        "results/benchmarks/clark_pcs_timescales_g{g}_N{N}_r{r0}_{r1}.tsv"
    wildcard_constraints:
        g=r"[0-9]+(\.[0-9]+)?",
        N=r"[0-9]+",
        r0=r"[0-9]+",
        r1=r"[0-9]+",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=COMPUTE_HASH,
        p=clark_pcs_params,
        job=clark_pcs_job,
    script:
        "../../scripts/clark_pcs_timescales.py"


rule clark_pcs_timescales_merge:
    input:
        parts=clark_pcs_timescale_files,
    output:
        "results/clark/simulations/pc_timescales.nc",
    log:
        "logs/clark/pcs_timescales_merge.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=COMPUTE_HASH,
        p=clark_pcs_params,
    script:
        "../../scripts/clark_pcs_timescales_merge.py"


rule figure_clark_prx_fig3:
    input:
        traces="results/clark/simulations/traces_iid.nc",
    output:
        pdf="results/figures/clark/prx_fig3_covariance.pdf",
        png=report(
            "results/figures/clark/prx_fig3_covariance.png",
            caption="../report/clark_prx_fig3_covariance.rst",
            category="Clark 2025",
        ),
    log:
        "logs/figures/clark_prx_fig3_covariance.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=SOURCE_HASH,
        builder="clark_pcs.fig3_covariance",
        kwargs={},
    script:
        "../../scripts/figure.py"


rule figure_clark_prx_fig9:
    input:
        traces="results/clark/simulations/traces_iid.nc",
    output:
        pdf="results/figures/clark/prx_fig9_pc_timescales.pdf",
        png=report(
            "results/figures/clark/prx_fig9_pc_timescales.png",
            caption="../report/clark_prx_fig9_pc_timescales.rst",
            category="Clark 2025",
        ),
    log:
        "logs/figures/clark_prx_fig9_pc_timescales.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=SOURCE_HASH,
        builder="clark_pcs.fig9_pc_timescales",
        kwargs={},
    script:
        "../../scripts/figure.py"


rule figure_clark_prl_fig4:
    input:
        timescales="results/clark/simulations/pc_timescales.nc",
    output:
        pdf="results/figures/clark/prl_fig4_pc_timescales.pdf",
        png=report(
            "results/figures/clark/prl_fig4_pc_timescales.png",
            caption="../report/clark_prl_fig4_pc_timescales.rst",
            category="Clark 2025",
        ),
    log:
        "logs/figures/clark_prl_fig4_pc_timescales.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=SOURCE_HASH,
        builder="clark_pcs.prl_fig4_pc_timescales",
        kwargs={},
    script:
        "../../scripts/figure.py"
