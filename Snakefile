# rnnstruct: every figure of Metzner et al. 2025, Clark et al. 2023/2025 and Jarne & Caruso 2024 from
# raw parameters.  Rules only wire: scripts/ adapt params -> rnnstruct -> NetCDF, figures render from
# NetCDF.  Profiles: config/README.md.  Which figure comes from which rule and code: PAPER_MAP.md.
from snakemake.utils import min_version

min_version("9.19")


# the default profile, found from wherever Snakemake runs (--directory)
configfile: f"{workflow.basedir}/config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/metzner/base.smk"
include: "workflow/rules/metzner/regularities.smk"
include: "workflow/rules/lyapunov/lyapunov.smk"
include: "workflow/rules/clark/dimension.smk"
include: "workflow/rules/clark/large_n.smk"
include: "workflow/rules/clark/gains.smk"
include: "workflow/rules/clark/prl.smk"
include: "workflow/rules/clark/connectome.smk"
include: "workflow/rules/clark/pcs.smk"
include: "workflow/rules/clark/overlaps.smk"
include: "workflow/rules/jarne/jarne.smk"
include: "workflow/rules/report.smk"


localrules:
    all,
    metzner,
    lyapunov,
    clark,
    jarne,


rule all:
    default_target: True
    input:
        all_targets(),


# one paper at a time: `snakemake clark` or `make figures ONLY=clark`
rule metzner:
    input:
        paper_targets("metzner"),


rule lyapunov:
    input:
        paper_targets("lyapunov"),


rule clark:
    input:
        paper_targets("clark"),


rule jarne:
    input:
        paper_targets("jarne"),
