# Input functions of the Metzner rules (functions only: snakemake --lint keeps rules and functions
# apart).  Output lists come from rnnstruct.metzner.targets; this file adapts them to wildcards.


wildcard_constraints:
    c=r"\d+",
    n=r"\d+",
    reg=r"dale|hopfield|modular",
    rid=r"[A-Za-z0-9_.+-]+",


def base_chunk_files(wildcards=None):
    return metzner_targets.base_chunk_files(config)


def base_chunk_rows(wildcards):
    start, stop = int(wildcards.start), int(wildcards.stop)
    chunks = metzner_targets.base_chunks(config)
    if (start, stop) not in chunks:
        raise WorkflowError(
            f"rows {start}..{stop} are not a chunk of the current config (chunks: {chunks})"
        )
    return list(range(start, stop))


def regularity_chunk_files(kind):
    """Input function: every (control, row chunk) file of one regularity's sweep."""

    def files(wildcards):
        return metzner_targets.regularity_chunk_files(config, wildcards.reg, kind)

    return files


def regularity_chunk_rows(wildcards):
    start, stop = int(wildcards.start), int(wildcards.stop)
    n_ctrl = len(metzner_targets.controls(config, wildcards.reg))
    if (start, stop) not in metzner_targets.regularity_chunks(config) or int(
        wildcards.c
    ) >= n_ctrl:
        raise WorkflowError(
            f"{wildcards.reg} control {wildcards.c}, rows {start}..{stop} are not a chunk of the current config"
        )
    return {"ctrl_index": int(wildcards.c), "rows": list(range(start, stop))}


def figure_reg_kwargs(kind):
    """params.kwargs of a per-regularity figure; checks that F<n> is that figure's number."""

    def kwargs(wildcards):
        expected = metzner_targets.figure_number(wildcards.reg, kind)
        if int(wildcards.n) != expected:
            raise WorkflowError(
                f"the {wildcards.reg} {kind} figure is F{expected}, not F{wildcards.n}"
            )
        return {"reg": wildcards.reg}

    return kwargs


def per_regularity(kind, group):
    """Input function: {<group>__<reg>: results/metzner/<kind>/<reg>.nc} of every included regularity
    (the figure and claims scripts pass each group as one {reg: dataset} argument)."""

    def files(wildcards=None):
        return {
            f"{group}__{reg}": f"results/metzner/{kind}/{reg}.nc"
            for reg in metzner_targets.regularities(config)
        }

    return files


def baseline_inputs(wildcards):
    """Control 0 of any regularity is the base ensemble: F3 reads the first included one."""
    reg = metzner_targets.regularities(config)[0]
    return {
        "res": f"results/metzner/reservoir/{reg}.nc",
        "dyn": f"results/metzner/dynamics/{reg}.nc",
    }


def claims_inputs(wildcards):
    return {
        **per_regularity("reservoir", "reservoirs")(),
        **per_regularity("dynamics", "dynamics")(),
    }


def metzner_notes_inputs(wildcards):
    out = {
        "claims": "results/metzner/claims.nc",
        "template": workflow.source_path("../../report/metzner/notes.md.j2"),
        "schema": notes_schema("metzner"),
    }
    if metzner_targets.robustness_enabled(config):
        out["robustness"] = "results/metzner/robustness.nc"
    return out


def metzner_claims_table_inputs(wildcards):
    out = {"claims": "results/metzner/claims.nc"}
    if metzner_targets.robustness_enabled(config):
        out["robustness"] = "results/metzner/robustness.nc"
    return out


def robustness_run_files(wildcards=None):
    return metzner_targets.robustness_run_files(config)


def robustness_run_id(wildcards):
    runs = metzner_targets.robustness_runs(config)
    if wildcards.rid not in runs:
        raise WorkflowError(
            f"{wildcards.rid!r} is not a robustness run of the current config (runs: {', '.join(runs)})"
        )
    return wildcards.rid


def mechanism_inputs(wildcards):
    """{dyn__<reg>, res__<reg>} of the regularities in the mechanism figure (Dale, Hopfield)."""
    out = {}
    for reg in metzner_targets.mechanism_regularities(config):
        out[f"dyn__{reg}"] = f"results/metzner/dynamics/{reg}.nc"
        out[f"res__{reg}"] = f"results/metzner/reservoir/{reg}.nc"
    return out


def claim_figures(wildcards=None):
    return metzner_targets.claim_figures(config)
