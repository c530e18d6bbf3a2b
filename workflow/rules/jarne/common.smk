# Input functions of the Jarne rules (functions only: snakemake --lint keeps rules and functions
# apart).  Output lists come from rnnstruct.jarne.targets.


wildcard_constraints:
    cond=r"(and|or|xor|ff)_(normal|orthogonal)_(ei[0-9.]+|free)_N\d+",
    job=r"(and|or|xor|ff)_N\d+_\d+",


# rendering-only keys of config["jarne"]: left out of the parameters of the computing rules (a change
# re-renders figures and notes but never retrains); passed to the figures and the notes separately
JARNE_RENDERING_KEYS = ("pca_mode",)


def jarne_rendering_params(wildcards=None):
    return {k: config["jarne"][k] for k in JARNE_RENDERING_KEYS}


def jarne_figure_kwargs(jfig):
    """Plain keyword arguments of a figure builder (the rendering-only keys it reads)."""
    if jfig == "F8_dynamics":
        return {"pca_mode": config["jarne"]["pca_mode"]}
    return {}


def jarne_job_conditions(wildcards):
    jobs = jarne_targets.jobs(config)
    if wildcards.job not in jobs:
        raise WorkflowError(
            f"{wildcards.job} is not a Jarne training job of the current config (jobs: {', '.join(jobs)})"
        )
    return jobs[wildcards.job]


def jarne_job_file(wildcards):
    return jarne_targets.job_file(jarne_targets.job_of(config, wildcards.cond))


def jarne_network_files(wildcards=None):
    return {
        f"networks__{cond}": path
        for cond, path in jarne_targets.network_files(config).items()
    }


def jarne_figure_inputs(jfig):
    """Input function of figure ``jfig``: the spectra file, and the main-size networks unless the figure
    is drawn from the spectra alone."""

    def files(wildcards=None):
        out = {"spectra": "results/jarne/spectra.nc"}
        if jfig not in jarne_targets.SPECTRA_ONLY_FIGURES:
            out.update(
                {
                    f"networks__{cond}": path
                    for cond, path in jarne_targets.main_network_files(config).items()
                }
            )
        return out

    return files


def jarne_notes_inputs(wildcards):
    return {
        "spectra": "results/jarne/spectra.nc",
        "template": workflow.source_path("../../report/jarne/notes.md.j2"),
        "schema": notes_schema("jarne"),
    }
