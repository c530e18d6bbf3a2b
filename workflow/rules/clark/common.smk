# Input functions of the Clark rules (functions only: snakemake --lint keeps rules and functions
# apart).  Output and job lists come from rnnstruct.clark.targets; this file adapts them to wildcards.
import os

# the JAX backend's compiled programs, shared by the jobs of this working directory (rnnstruct.numerics.rk4_jax)
os.environ.setdefault("RNNSTRUCT_JAX_CACHE", os.path.abspath(".snakemake/jax-cache"))


def clark_point_files(wildcards=None):
    return clark_targets.point_files(config)


def clark_point(wildcards):
    return clark_targets.point(
        config,
        int(wildcards.gi),
        int(wildcards.ei),
        int(wildcards.r0),
        int(wildcards.r1),
    )


def clark_large_n_files(wildcards=None):
    return clark_targets.large_n_files(config)


def clark_large_n_point(wildcards):
    return clark_targets.large_n_point(
        config, int(wildcards.pi), int(wildcards.r0), int(wildcards.r1)
    )


def clark_gains_task_files(kind):
    def files(wildcards=None):
        return clark_targets.gains_task_files(config, kind)

    return files


def clark_gains_job(wildcards):
    return clark_targets.gains_job(
        config, wildcards.kind, int(wildcards.t0), int(wildcards.t1)
    )


def clark_prl_part_files(wildcards=None):
    return clark_targets.prl_part_files(config)


def clark_prl_point(wildcards):
    return clark_targets.prl_point(
        config, int(wildcards.gi), int(wildcards.r0), int(wildcards.r1)
    )


def clark_prl_fs_files(wildcards=None):
    return clark_targets.prl_fs_files(config)


def clark_prl_fs_point(wildcards):
    return clark_targets.prl_fs_point(
        config, int(wildcards.ni), int(wildcards.r0), int(wildcards.r1)
    )


def clark_connectome_files(wildcards=None):
    return clark_targets.connectome_files(config)


def clark_pcs_trace_files(wildcards=None):
    return clark_targets.pcs_trace_files(config)


def clark_pcs_timescale_files(wildcards=None):
    return clark_targets.pcs_timescale_files(config)


def clark_pcs_job(wildcards):
    return clark_targets.pcs_job(
        config,
        float(wildcards.g),
        int(wildcards.N),
        int(wildcards.r0),
        int(wildcards.r1),
    )


def clark_overlaps_per_job(kind):
    """Points (DMFT) or items (simulations) per overlaps job (execution section)."""

    def per_job(wildcards=None):
        return config["execution"][f"clark_overlaps_{kind}_points_per_job"]

    return per_job


def clark_overlaps_inputs(wildcards):
    out = {
        f"dmft__{fam}": clark_targets.overlap_dmft_files(config, fam)
        for fam in clark_targets.OVERLAP_DMFT_FAMILIES
    }
    out.update(
        {
            f"sim__{fam}": clark_targets.overlap_sim_files(config, fam)
            for fam in clark_targets.OVERLAP_SIM_FAMILIES
        }
    )
    return out


def clark_claims_table_inputs(wildcards):
    return clark_targets.claims_table_inputs(config)


def clark_notes_inputs(wildcards):
    out = {
        "theory": "results/clark/theory/dimension_rmm.nc",
        "sims": "results/clark/simulations/dimension_rmm.nc",
        "svd": "results/clark/simulations/singular_values.nc",
        "template": workflow.source_path("../../report/clark/notes.md.j2"),
        "schema": notes_schema("clark"),
    }
    for key, path in clark_targets.notes_sections(config).items():
        out[f"section__{key}"] = path
        out[f"partial__{key}"] = workflow.source_path(
            f"../../report/clark/notes/{key}.md.j2"
        )
    return out
