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
include: "workflow/rules/cost.smk"


rule all:
    default_target: True
    input:
        all_targets(),
