# --- clark-overlaps --- PRX Fig. 7 (right-left mode overlaps) and PRL Fig. 6 (partially symmetric
# couplings): sampled DMFT (rnnstruct.clark.sampled_dmft) and simulations, chunked by points.
import math as _ovl_math

OVL_FAMILIES = ("fig7", "prl6", "ref")


def ovl_n_dmft_points(family):
    o = config["clark"]["overlaps"]
    if family == "fig7":
        f = o["fig7"]
        return len(f["eff_rank"]) * len(f["g_eff"]) * len(f["gamma_theory"])
    if family == "prl6":
        return len(o["prl6"]["g"]) * len(o["prl6"]["rho_theory"])
    return 2


def ovl_n_sim_items(family):
    f = config["clark"]["overlaps"][family]
    g = f["sim_g_eff"] if family == "fig7" else f["sim_g"]
    x = f["sim_gamma"] if family == "fig7" else f["sim_rho"]
    return (
        len(f["eff_rank"] if family == "fig7" else [1])
        * len(g)
        * len(x)
        * f["sim"]["reps"]
    )


def ovl_dmft_per_job(wildcards=None):
    return config["execution"]["clark_overlaps_dmft_points_per_job"]


def ovl_sim_per_job(wildcards=None):
    return config["execution"]["clark_overlaps_sim_points_per_job"]


def ovl_dmft_files(family):
    n = _ovl_math.ceil(ovl_n_dmft_points(family) / ovl_dmft_per_job())
    return [f"results/clark/overlaps/dmft/{family}_c{c}.nc" for c in range(n)]


def ovl_sim_files(family):
    n = _ovl_math.ceil(ovl_n_sim_items(family) / ovl_sim_per_job())
    return [f"results/clark/overlaps/sims/{family}_c{c}.nc" for c in range(n)]


def ovl_merge_inputs(wildcards):
    out = {f"dmft__{fam}": ovl_dmft_files(fam) for fam in OVL_FAMILIES}
    out.update({f"sim__{fam}": ovl_sim_files(fam) for fam in ("fig7", "prl6")})
    return out


def ovl_benchmarks():
    out = {"clark_overlaps_dmft": [], "clark_overlaps_sim": []}
    for fam in OVL_FAMILIES:
        out["clark_overlaps_dmft"] += [
            f.replace(
                "results/clark/overlaps/dmft/",
                "results/benchmarks/clark_overlaps_dmft_",
            ).replace(".nc", ".tsv")
            for f in ovl_dmft_files(fam)
        ]
    for fam in ("fig7", "prl6"):
        out["clark_overlaps_sim"] += [
            f.replace(
                "results/clark/overlaps/sims/", "results/benchmarks/clark_overlaps_sim_"
            ).replace(".nc", ".tsv")
            for f in ovl_sim_files(fam)
        ]
    return out


CLARK_FIGURES.extend(["prx_fig7_overlaps", "prl_fig6_symmetric"])
CLARK_TARGETS.extend(["results/clark/overlaps/overlaps.nc"])
CLARK_BENCHMARKS.update(ovl_benchmarks())
CLARK_NOTES_SECTIONS["overlaps"] = "results/clark/overlaps/overlaps.nc"


localrules:
    clark_overlaps_merge,
    figure_clark_prx_fig7_overlaps,
    figure_clark_prl_fig6_symmetric,


rule clark_overlaps_dmft:
    output:
        "results/clark/overlaps/dmft/{family}_c{c}.nc",
    log:
        "logs/clark/overlaps_dmft_{family}_c{c}.log",
    benchmark:
        "results/benchmarks/clark_overlaps_dmft_{family}_c{c}.tsv"
    wildcard_constraints:
        family="fig7|prl6|ref",
        c=r"[0-9]+",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=COMPUTE_HASH,
        p=clark_params_of("overlaps"),
        per_job=ovl_dmft_per_job,
    script:
        "../../scripts/clark_overlaps_dmft.py"


rule clark_overlaps_sim:
    output:
        "results/clark/overlaps/sims/{family}_c{c}.nc",
    log:
        "logs/clark/overlaps_sim_{family}_c{c}.log",
    benchmark:
        "results/benchmarks/clark_overlaps_sim_{family}_c{c}.tsv"
    wildcard_constraints:
        family="fig7|prl6",
        c=r"[0-9]+",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=COMPUTE_HASH,
        p=clark_params_of("overlaps"),
        per_job=ovl_sim_per_job,
    script:
        "../../scripts/clark_overlaps_sim.py"


rule clark_overlaps_merge:
    input:
        unpack(ovl_merge_inputs),
    output:
        "results/clark/overlaps/overlaps.nc",
    log:
        "logs/clark/overlaps_merge.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=COMPUTE_HASH,
        p=clark_params_of("overlaps"),
    script:
        "../../scripts/clark_overlaps_merge.py"


rule figure_clark_prx_fig7_overlaps:
    input:
        ds="results/clark/overlaps/overlaps.nc",
    output:
        pdf="results/figures/clark/prx_fig7_overlaps.pdf",
        png=report(
            "results/figures/clark/prx_fig7_overlaps.png",
            caption="../report/clark_prx_fig7_overlaps.rst",
            category="Clark 2025",
        ),
    log:
        "logs/figures/clark_prx_fig7_overlaps.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=SOURCE_HASH,
        builder="clark_overlaps.fig7_overlaps",
        kwargs={},
    script:
        "../../scripts/figure.py"


rule figure_clark_prl_fig6_symmetric:
    input:
        ds="results/clark/overlaps/overlaps.nc",
    output:
        pdf="results/figures/clark/prl_fig6_symmetric.pdf",
        png=report(
            "results/figures/clark/prl_fig6_symmetric.png",
            caption="../report/clark_prl_fig6_symmetric.rst",
            category="Clark 2025",
        ),
    log:
        "logs/figures/clark_prl_fig6_symmetric.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=SOURCE_HASH,
        builder="clark_overlaps.fig6_symmetric",
        kwargs={},
    script:
        "../../scripts/figure.py"
