# rnnstruct: every figure of Metzner 2025, Clark 2023/2025 and Jarne & Caruso 2024 from raw
# parameters.  Rules only wire; scripts/ adapt params -> rnnstruct -> NetCDF; figures render
# from NetCDF.  Configuration: config/config.yaml (laptop), config/paper.yaml, config/test.yaml.
from snakemake.utils import min_version

min_version("9.19")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/metzner.smk"
include: "workflow/rules/metzner_regularities.smk"
include: "workflow/rules/lyapunov.smk"
include: "workflow/rules/clark.smk"  # --- clark ---
include: "workflow/rules/clark_large_n.smk"  # --- clark-large_n ---
include: "workflow/rules/clark_gains.smk"  # --- clark-gains ---
include: "workflow/rules/clark_prl.smk"  # --- clark-prl ---
include: "workflow/rules/clark_connectome.smk"  # --- clark-connectome ---
include: "workflow/rules/clark_pcs.smk"  # --- clark-pcs ---
include: "workflow/rules/clark_overlaps.smk"  # --- clark-overlaps ---
include: "workflow/rules/cost.smk"
# --- jarne ---
include: "workflow/rules/jarne.smk"


# Cheap rules (merging, figures, notes, cost table) run on the submitting host under a cluster
# executor; only the computing rules become cluster jobs.
localrules:
    all,
    metzner_dynamics_merge,
    metzner_regularity_merge,
    metzner_claims,
    metzner_reproduction_notes,
    lyapunov_numerics_doc,
    cost_summary,
    figure_base_phase_diagram,
    figure_base_meanfield,
    figure_base_spectrum,
    figure_F1_schematic,
    figure_F3_baseline_accuracy,
    figure_regularity_dynamics,
    figure_regularity_accuracy,
    figure_F10_summary,
    figure_mechanism,
    figure_regularity_spectra,
    figure_lyapunov_iid,
    figure_lyapunov_regularities,
    figure_lyapunov_numerics,
    # --- jarne ---
    jarne_networks,
    jarne_reproduction_notes,
    figure_jarne,
    # --- clark ---
    clark_simulations_merge,
    clark_reproduction_notes,
    figure_clark_fig4a,
    figure_clark_fig4b,
    figure_clark_fig8,
    # --- clark-gains ---
    clark_gains_merge,
    figure_clark_fig5,
    figure_clark_fig10,
    figure_clark_fig2,


rule all:
    default_target: True
    input:
        all_targets(),
