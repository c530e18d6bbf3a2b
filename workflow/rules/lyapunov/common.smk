# Input functions of the Lyapunov rules (functions only: snakemake --lint keeps rules and functions
# apart).  Output lists come from rnnstruct.lyapunov.targets.


wildcard_constraints:
    kind=r"iid_map|iid_flow",


# report labels of the i.i.d. figures (numbered: the report sorts items by label)
LYAPUNOV_FIGURE_LABELS = {
    "lambda_max_vs_g": "L1 largest exponent versus g",
    "full_spectra": "L2 full spectra",
}


def lyapunov_figure_labels(wildcards):
    return {"figure": LYAPUNOV_FIGURE_LABELS[wildcards.fig]}


def lyapunov_builder(wildcards):
    return f"rnnstruct.lyapunov.figures.{wildcards.fig}"


def lyapunov_regularity_inputs(wildcards):
    return {
        f"spectra__{reg}": f"results/lyapunov/metzner_{reg}.nc"
        for reg in metzner_targets.regularities(config)
    }


def lyapunov_notes_inputs(wildcards):
    return {
        "num": "results/lyapunov/numerics.nc",
        "iid_map": "results/lyapunov/iid_map.nc",
        "template": workflow.source_path("../../report/lyapunov/notes.md.j2"),
    }
