# --- clark-overlaps --- input helpers of workflow/rules/clark_overlaps.smk (functions only: snakemake
# --lint rejects rules and functions in one file).
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
