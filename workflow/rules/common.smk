# Shared helpers: config validation, parameter dictionaries, chunking and target lists.
# Rules stay declarative; every input function lives here.
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate
import yaml

from rnnstruct.core.config import schema_errors, semantic_errors
from rnnstruct.clark.cluster import clark_mem_mb
from rnnstruct.core.io import RENDERING_MODULES, SCHEDULING_MODULES, source_hash
from rnnstruct.core.grids import grid_values, row_chunks

SCHEMA = "../schemas/config.schema.yaml"

# every rule takes a hash of the library sources as a parameter, so that a change of the library
# (not only of the thin scripts, which Snakemake tracks itself) reruns the jobs that depend on it.
# Computing rules take the hash without the rendering modules (figures, plotting, notes): editing a
# figure re-renders figures and notes but never reruns a simulation; nor does a change of the
# cluster memory model (rnnstruct.clark.cluster).
SOURCE_HASH = source_hash()
COMPUTE_HASH = source_hash(exclude=RENDERING_MODULES + SCHEDULING_MODULES)


def _fail(problems):
    lines = "\n  ".join(problems)
    raise WorkflowError(f"invalid configuration:\n  {lines}")


def _check_config():
    with open(workflow.source_path(SCHEMA)) as fh:
        schema = yaml.safe_load(fh)
    problems = schema_errors(config, schema)
    if problems:
        _fail(problems)
    validate(config, SCHEMA)  # enforces the schema and fills defaults
    problems = semantic_errors(config)
    if problems:
        _fail(problems)


_check_config()

# sbatch --mem of the Clark rules whose memory grows with the configured N (rnnstruct.clark.cluster): a
# paper-size request would be rejected on a node smaller than the paper's job (profiles/slurm).
CLUSTER_MEM_MB = clark_mem_mb(config["clark"])


wildcard_constraints:
    start=r"\d+",
    stop=r"\d+",
    c=r"\d+",
    n=r"\d+",
    kind=r"iid_map|iid_flow",
    reg=r"dale|hopfield|modular",
    gi=r"\d+",
    ei=r"\d+",
    r0=r"\d+",
    r1=r"\d+",


def metzner_params(wildcards=None):
    """Scientific parameters of the Metzner stages (recorded in every output file)."""
    return {"seed": config["seed"], **config["metzner"]}


def metzner_chunks():
    n_rows = len(grid_values(config["metzner"]["grid"]["w"]))
    return row_chunks(n_rows, config["execution"]["rows_per_job"])


def metzner_chunk_files(wildcards=None):
    return [
        f"results/metzner/dynamics/base/rows_{a}_{b}.nc" for a, b in metzner_chunks()
    ]


def chunk_rows(wildcards):
    start, stop = int(wildcards.start), int(wildcards.stop)
    if (start, stop) not in metzner_chunks():
        raise WorkflowError(
            f"rows {start}..{stop} are not a chunk of the current config (chunks: {metzner_chunks()})"
        )
    return list(range(start, stop))


def regularities():
    return list(config["metzner"]["regularities"]["include"])


def regularity_chunks():
    n_rows = len(grid_values(config["metzner"]["regularities"]["grid"]["w"]))
    return row_chunks(n_rows, config["execution"]["rows_per_job"])


def regularity_chunk_files(kind):
    """Input function: every (control, row chunk) file of one regularity's sweep."""

    def files(wildcards):
        n_ctrl = len(config["metzner"]["regularities"][wildcards.reg]["controls"])
        return [
            f"results/metzner/{kind}/{wildcards.reg}/ctrl{c}_rows_{a}_{b}.nc"
            for c in range(n_ctrl)
            for a, b in regularity_chunks()
        ]

    return files


def regularity_chunk_rows(wildcards):
    start, stop = int(wildcards.start), int(wildcards.stop)
    n_ctrl = len(config["metzner"]["regularities"][wildcards.reg]["controls"])
    if (start, stop) not in regularity_chunks() or int(wildcards.c) >= n_ctrl:
        raise WorkflowError(
            f"{wildcards.reg} control {wildcards.c}, rows {start}..{stop} are not a chunk of the current config"
        )
    return {"ctrl_index": int(wildcards.c), "rows": list(range(start, stop))}


FIGURE_NUMBERS = {
    ("dale", "dynamics"): 4,
    ("dale", "accuracy"): 5,
    ("hopfield", "dynamics"): 6,
    ("hopfield", "accuracy"): 7,
    ("modular", "dynamics"): 8,
    ("modular", "accuracy"): 9,
}


def figure_reg_kwargs(kind):
    """params.kwargs of a per-regularity figure; checks that F<n> is that figure's number."""

    def kwargs(wildcards):
        expected = FIGURE_NUMBERS[(wildcards.reg, kind)]
        if int(wildcards.n) != expected:
            raise WorkflowError(
                f"the {wildcards.reg} {kind} figure is F{expected}, not F{wildcards.n}"
            )
        return {"reg": wildcards.reg}

    return kwargs


def baseline_inputs(wildcards):
    """Control 0 of any regularity is the base ensemble: F3 reads the first included one."""
    reg = regularities()[0]
    return {
        "res": f"results/metzner/reservoir/{reg}.nc",
        "dyn": f"results/metzner/dynamics/{reg}.nc",
    }


def notes_inputs(wildcards):
    return {
        "claims": "results/metzner/claims.nc",
        "template": workflow.source_path("../report/notes/metzner2025.md.j2"),
        "schema": workflow.source_path(SCHEMA),
    }


def ensemble_inputs(wildcards):
    return {
        f"ensembles__{reg}": f"results/metzner/ensembles/{reg}.nc"
        for reg in regularities()
    }


def reservoir_inputs(wildcards):
    return {
        f"reservoirs__{reg}": f"results/metzner/reservoir/{reg}.nc"
        for reg in regularities()
    }


def claims_inputs(wildcards):
    return {
        **reservoir_inputs(wildcards),
        **{
            f"dynamics__{reg}": f"results/metzner/dynamics/{reg}.nc"
            for reg in regularities()
        },
    }


def claim_figures(wildcards=None):
    fig = "`results/figures/metzner/{}.png`"
    out = {
        reg: fig.format(f"F{FIGURE_NUMBERS[(reg, 'accuracy')]}_{reg}_accuracy")
        for reg in regularities()
    }
    if "hopfield" in out:
        out["hopfield"] = f"{out['hopfield']}, {fig.format('mechanism_saturation')}"
    out["summary"] = fig.format("F10_summary")
    out["baseline"] = fig.format("F3_baseline_accuracy")
    return out


def lyapunov_params(wildcards):
    """The Lyapunov sections, plus the Metzner parameters for the regularity spectra."""
    params = {"seed": config["seed"], "lyapunov": config["lyapunov"]}
    if hasattr(wildcards, "reg"):
        params = {**metzner_params(), "lyapunov": config["lyapunov"]}
    return params


def lyapunov_builder(wildcards):
    return f"lyapunov.{wildcards.fig}"


def lyapunov_regularity_inputs(wildcards):
    return {
        f"spectra__{reg}": f"results/lyapunov/metzner_{reg}.nc"
        for reg in regularities()
    }


def numerics_doc_inputs(wildcards):
    return {
        "num": "results/lyapunov/numerics.nc",
        "iid_map": "results/lyapunov/iid_map.nc",
        "template": workflow.source_path("../report/notes/numerics.md.j2"),
    }


def batch_size(wildcards=None):
    return config["execution"]["batch_size"]


def figures():
    """Figure names (without extension) per folder under results/figures/."""
    regs = regularities()
    metzner = ["base_phase_diagram"]
    validation = ["base_meanfield", "base_spectrum"]
    if regs:
        metzner += ["F1_schematic", "F3_baseline_accuracy", "F10_summary"]
        metzner += [
            f"F{FIGURE_NUMBERS[(reg, kind)]}_{reg}_{kind}"
            for reg in regs
            for kind in ("dynamics", "accuracy")
        ]
        validation += ["regularity_spectra"]
    if "hopfield" in regs:
        metzner += ["mechanism_saturation"]
    lyap = ["lambda_max_vs_g", "full_spectra"]
    validation += ["lyapunov_numerics"]
    if regs:
        lyap += ["regularity_spectra"]
    out = {"metzner": metzner, "validation": validation, "lyapunov": lyap}
    out["clark"] = clark_figures()  # --- clark ---
    out["jarne"] = list(JARNE_FIGURES)  # --- jarne ---
    return out


def benchmark_files(wildcards=None):
    """Benchmark TSV per rule that does the computing (the cost table of the report)."""
    return {
        "metzner_ensemble_base": ["results/benchmarks/metzner_ensemble_base.tsv"],
        "metzner_dynamics_rows": [
            f"results/benchmarks/metzner_dynamics_base_rows_{a}_{b}.tsv"
            for a, b in metzner_chunks()
        ],
        "metzner_meanfield": ["results/benchmarks/metzner_meanfield.tsv"],
        "metzner_ensemble_regularity": [
            f"results/benchmarks/metzner_ensemble_{reg}.tsv" for reg in regularities()
        ],
        "metzner_regularity_rows": [
            f"results/benchmarks/metzner_regularity_{reg}_ctrl{c}_rows_{a}_{b}.tsv"
            for reg in regularities()
            for c in range(len(config["metzner"]["regularities"][reg]["controls"]))
            for a, b in regularity_chunks()
        ],
        "metzner_regularity_spectra": [
            "results/benchmarks/metzner_regularity_spectra.tsv"
        ],
        "lyapunov_iid": [
            f"results/benchmarks/lyapunov_{kind}.tsv"
            for kind in ("iid_map", "iid_flow")
        ],
        "lyapunov_regularity": [
            f"results/benchmarks/lyapunov_metzner_{reg}.tsv" for reg in regularities()
        ],
        "lyapunov_numerics": ["results/benchmarks/lyapunov_numerics.tsv"],
        # --- jarne ---
        "jarne_train": jarne_benchmark_files(),
        "jarne_spectra": ["results/benchmarks/jarne_spectra.tsv"],
        **clark_benchmark_files(),  # --- clark ---
    }


def benchmark_inputs(wildcards=None):
    return [f for files in benchmark_files().values() for f in files]


def all_targets():
    figs = [
        f"results/figures/{group}/{name}.{ext}"
        for group, names in figures().items()
        for name in names
        for ext in ("pdf", "png")
    ]
    data = [
        "results/metzner/ensembles/base.nc",
        "results/metzner/dynamics/base.nc",
        "results/metzner/validation/meanfield.nc",
        "results/benchmarks/cost_summary.csv",
    ]
    if regularities():
        data += [
            f"results/metzner/{kind}/{reg}.nc"
            for reg in regularities()
            for kind in ("ensembles", "dynamics", "reservoir")
        ]
        data += [
            "results/metzner/validation/regularity_spectra.nc",
            "results/metzner/claims.nc",
            "docs/reproduction/metzner2025.md",
        ]
    data += [
        "results/lyapunov/iid_map.nc",
        "results/lyapunov/iid_flow.nc",
        "results/lyapunov/numerics.nc",
        "docs/numerics.md",
    ]
    data += [f"results/lyapunov/metzner_{reg}.nc" for reg in regularities()]
    # --- jarne --- (helpers in workflow/rules/jarne.smk)
    data += jarne_targets()
    data += clark_targets()  # --- clark ---
    return figs + data


# --- jarne --- (Jarne & Caruso 2024; rules in workflow/rules/jarne.smk)
from rnnstruct.jarne import stages as jarne_stage

# rendering-only keys of config["jarne"]: left out of the parameters of the computing rules (a change
# re-renders figures and notes but never retrains); passed to the figures and the notes separately
JARNE_RENDERING_KEYS = ("pca_mode",)


def jarne_params(wildcards=None):
    """Scientific parameters of the Jarne stage (recorded in every output file)."""
    return {
        "seed": config["seed"],
        **{k: v for k, v in config["jarne"].items() if k not in JARNE_RENDERING_KEYS},
    }


def jarne_rendering_params(wildcards=None):
    return {k: config["jarne"][k] for k in JARNE_RENDERING_KEYS}


def jarne_figure_kwargs(wildcards):
    if wildcards.jfig == "F8_dynamics":
        return {"pca_mode": config["jarne"]["pca_mode"]}
    return {}


def jarne_conditions():
    return jarne_stage.conditions(config["jarne"])


def jarne_chunks():
    n, k = config["jarne"]["nets"], config["execution"]["jarne_nets_per_job"]
    return [(a, min(a + k, n)) for a in range(0, n, k)]


def jarne_chunk_files(wildcards):
    return [
        f"results/jarne/networks/{wildcards.cond}/nets_{a}_{b}.nc"
        for a, b in jarne_chunks()
    ]


def jarne_nets(wildcards):
    start, stop = int(wildcards.start), int(wildcards.stop)
    if wildcards.cond not in jarne_conditions() or (start, stop) not in jarne_chunks():
        raise WorkflowError(
            f"{wildcards.cond} networks {start}..{stop} are not a chunk of the current config"
        )
    return list(range(start, stop))


def jarne_network_files(wildcards=None):
    return {
        f"networks__{cond}": f"results/jarne/networks/{cond}.nc"
        for cond in jarne_conditions()
    }


def jarne_main_network_files(wildcards=None):
    N = config["jarne"]["N"]
    return {
        key: path
        for key, path in jarne_network_files().items()
        if path.endswith(f"_N{N}.nc")
    }


def jarne_figure_inputs(wildcards):
    files = {"spectra": "results/jarne/spectra.nc"}
    if wildcards.jfig not in ("F1_tasks", "F5_radius_vs_N", "F6_radius_vs_ei"):
        files.update(jarne_main_network_files())
    return files


def jarne_notes_inputs(wildcards):
    return {
        "spectra": "results/jarne/spectra.nc",
        "template": workflow.source_path("../report/notes/jarne2024.md.j2"),
        "schema": workflow.source_path(SCHEMA),
    }


# --- clark (issue D) ---
# Config blocks each Clark computing stage reads: a rule's parameters are only these, so changing a
# block reruns only the stages that read it (e.g. clark.gains never reruns the Fig. 4 simulations).
# The pcs and connectome groups pass their own single block (clark_pcs_params, CLARK_CONNECTOME_PARAMS).
CLARK_BLOCKS = {
    "core": ("phi", "theory", "simulation", "fig4", "svd"),
    "gains": ("phi", "theory", "simulation", "gains", "step", "fig2"),
    "overlaps": ("phi", "simulation", "overlaps"),
    "prl": ("prl",),
}


def clark_params_of(group):
    """Input function: seed + the config blocks of CLARK_BLOCKS[group] (recorded in every output file)."""
    blocks = CLARK_BLOCKS[group]

    def params(wildcards=None):
        return {
            "seed": config["seed"],
            "clark": {k: config["clark"][k] for k in blocks},
        }

    return params


clark_params = clark_params_of("core")


def clark_eff_ranks():
    """Union of the simulated effective ranks of PRX Fig. 4a, its inset and Fig. 4b (sorted)."""
    f4 = config["clark"]["fig4"]
    return sorted(
        set(f4["eff_rank"]) | set(f4["inset_eff_rank"]) | set(f4["b_eff_rank"])
    )


def clark_sim_g():
    """Union of the simulated effective gains of PRX Fig. 4a and 4b (sorted)."""
    f4 = config["clark"]["fig4"]
    return sorted(set(f4["g_eff"]) | set(f4["b_g_eff"]))


def clark_rep_chunks():
    reps = config["clark"]["simulation"]["reps"]
    return row_chunks(reps, config["execution"]["clark_reps_per_job"])


def clark_points():
    """(g index, eff_rank index) into clark_sim_g() x clark_eff_ranks() of every simulated point."""
    f4 = config["clark"]["fig4"]
    wanted = {(g, e) for g in f4["g_eff"] for e in f4["eff_rank"]}
    if f4["inset_g_eff"] in f4["g_eff"]:
        wanted |= {(f4["inset_g_eff"], e) for e in f4["inset_eff_rank"]}
    wanted |= {(g, e) for g in f4["b_g_eff"] for e in f4["b_eff_rank"]}
    gs, es = clark_sim_g(), clark_eff_ranks()
    return sorted((gs.index(g), es.index(e)) for g, e in wanted)


def clark_point_files(wildcards=None):
    return [
        f"results/clark/simulations/points/g{gi}_e{ei}_r{a}_{b}.nc"
        for gi, ei in clark_points()
        for a, b in clark_rep_chunks()
    ]


def clark_point(wildcards):
    gi, ei = int(wildcards.gi), int(wildcards.ei)
    a, b = int(wildcards.r0), int(wildcards.r1)
    if (gi, ei) not in clark_points() or (a, b) not in clark_rep_chunks():
        raise WorkflowError(
            f"g{gi}_e{ei}_r{a}_{b} is not a Clark simulation job of the current config"
        )
    return {
        "g_eff": float(clark_sim_g()[gi]),
        "eff_rank": float(clark_eff_ranks()[ei]),
        "reps": list(range(a, b)),
    }


# Extension points of the Clark stage: each rules file of a figure group (workflow/rules/clark_*.smk)
# appends its figures, data targets, benchmark files and notes section here at include time.
# A notes section <key> is rendered from workflow/report/notes/clark/<key>.md.j2 with the context
# rnnstruct.clark.notes.SECTIONS[<key>](dataset) of the NetCDF file CLARK_NOTES_SECTIONS[<key>].
CLARK_FIGURES = ["prx_fig4a_dimension", "prx_fig4b_psi", "prx_fig8_singular_values"]
CLARK_TARGETS = [
    "results/clark/theory/dimension_rmm.nc",
    "results/clark/simulations/dimension_rmm.nc",
    "results/clark/simulations/singular_values.nc",
    "docs/reproduction/clark2025.md",
]
CLARK_BENCHMARKS = {}
CLARK_NOTES_SECTIONS = {}


def clark_notes_inputs(wildcards):
    out = {
        "theory": "results/clark/theory/dimension_rmm.nc",
        "sims": "results/clark/simulations/dimension_rmm.nc",
        "svd": "results/clark/simulations/singular_values.nc",
        "template": workflow.source_path("../report/notes/clark2025.md.j2"),
        "schema": workflow.source_path(SCHEMA),
    }
    for key, path in CLARK_NOTES_SECTIONS.items():
        out[f"section__{key}"] = path
        out[f"partial__{key}"] = workflow.source_path(
            f"../report/notes/clark/{key}.md.j2"
        )
    return out


def jarne_builder(wildcards):
    return f"jarne.{wildcards.jfig}"


JARNE_FIGURES = [
    "F1_tasks",
    "F2_outputs",
    "F3_spectra",
    "F4_connectivity",
    "F5_radius_vs_N",
    "F6_radius_vs_ei",
    "F7_constrained_vs_free",
    "F8_dynamics",
    "S_supplement",
]


def jarne_targets():
    """Data targets of the Jarne stage (its figures are listed by figures())."""
    nets = [f"results/jarne/networks/{cond}.nc" for cond in jarne_conditions()]
    return nets + ["results/jarne/spectra.nc", "docs/reproduction/jarne2024.md"]


def jarne_benchmark_files():
    return [
        f"results/benchmarks/jarne_train_{cond}_nets_{a}_{b}.tsv"
        for cond in jarne_conditions()
        for a, b in jarne_chunks()
    ]


def clark_figures():
    return list(CLARK_FIGURES)


def clark_benchmark_files():
    return {
        "clark_theory_dimension": ["results/benchmarks/clark_theory_dimension.tsv"],
        "clark_singular_values": ["results/benchmarks/clark_singular_values.tsv"],
        "clark_simulate_points": [
            f"results/benchmarks/clark_points_g{gi}_e{ei}_r{a}_{b}.tsv"
            for gi, ei in clark_points()
            for a, b in clark_rep_chunks()
        ],
        **CLARK_BENCHMARKS,
    }


def clark_targets():
    return list(CLARK_TARGETS)


# clark.large_n (rules in clark_large_n.smk)
def clark_large_n_params(wildcards=None):
    """clark_params() with the network size and realisations of the larger-N check."""
    p = clark_params()
    big = config["clark"]["large_n"]
    sim = {**p["clark"]["simulation"], "N": big["N"], "reps": big["reps"]}
    return {**p, "clark": {**p["clark"], "simulation": sim}}


def clark_large_n_points():
    """Sorted (g_eff, eff_rank) pairs of the larger-N check."""
    big = config["clark"]["large_n"]
    pts = {(float(g), float(e)) for g in big["g_eff"] for e in big["eff_rank"]}
    pts |= {(float(g), float(e)) for g, e in big["extra_points"]}
    return sorted(pts)


def clark_large_n_chunks():
    return row_chunks(
        config["clark"]["large_n"]["reps"], config["execution"]["clark_reps_per_job"]
    )


def clark_large_n_files(wildcards=None):
    return [
        f"results/clark/simulations/large_n/p{i}_r{a}_{b}.nc"
        for i in range(len(clark_large_n_points()))
        for a, b in clark_large_n_chunks()
    ]


def clark_large_n_point(wildcards):
    i, a, b = int(wildcards.pi), int(wildcards.r0), int(wildcards.r1)
    if i >= len(clark_large_n_points()) or (a, b) not in clark_large_n_chunks():
        raise WorkflowError(f"p{i}_r{a}_{b} is not a job of clark.large_n")
    g, e = clark_large_n_points()[i]
    return {"g_eff": g, "eff_rank": e, "reps": list(range(a, b))}


if config["clark"]["large_n"]["enabled"]:
    CLARK_TARGETS.append("results/clark/simulations/dimension_rmm_large_n.nc")
    CLARK_NOTES_SECTIONS["large_n"] = (
        "results/clark/simulations/dimension_rmm_large_n.nc"
    )
    CLARK_BENCHMARKS["clark_large_n_points"] = [
        f.replace(
            "results/clark/simulations/large_n/", "results/benchmarks/clark_large_n_"
        ).replace(".nc", ".tsv")
        for f in clark_large_n_files()
    ]

# --- end clark ---
