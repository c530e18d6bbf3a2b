"""A changed config key reruns exactly the jobs whose stage reads it (and what depends on their outputs).

Each computing rule declares the config keys its stage reads (``READS`` in the package's ``targets``
module, rnnstruct.core.reads); the rule gets only those keys, plus one "<key>=<value>" param per leaf, so
Snakemake's params comparison sees a change in exactly those jobs and its reason names the key.

The table below changes a representative key of every top-level section (in the Metzner, Lyapunov, Jarne
and Clark sections one per kind of stage: ensembles, validation, sweeps, reservoirs, robustness, training,
analysis, theory and each Clark group) on a complete run of the test profile and checks, from the
dry run's per-job reasons, that

- every job scheduled because its *params* changed belongs to a rule that declares the key (for a key under
  a wildcard entry, a job with that wildcard value), and its reason names the key;
- every rule that declares the key is scheduled (Snakemake gives a job whose input is updated that reason
  instead of the params one);
- every other scheduled job is there only because an input is updated (it depends on such a job);
- layout and rendering keys rerun no computation.
"""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from conftest import REPO, TEST_CONFIG, snakemake_command
from rnnstruct import papers
from rnnstruct.core import reads

COMPUTING = re.compile(r"^(metzner|lyapunov|clark|jarne)_")
#: rules that render (figures, notes, tables): they also record the profile's file names, so a config file
#: under another name re-renders them; they compute nothing
RENDERING = re.compile(r"^(figure_|.*_notes$|.*_doc$|.*_table$|cost_summary$|all$)")

#: (dotted key, new value) — one key per block of the test profile
CHANGES = [
    ("seed", 8),
    ("metzner.N", 35),  # a multiple of the modular K = 5
    ("metzner.validation.N", 65),
    ("metzner.regularities.dale.controls", [0.0, 0.5]),
    ("metzner.reservoir.task", "seqmem"),
    ("metzner.robustness.edge_band", 0.2),
    ("lyapunov.iid_flow.total", 12.0),
    ("lyapunov.numerics.reps", 3),
    ("jarne.training.lr", 2.0e-3),
    ("jarne.analysis.mad_k", 4.0),
    ("clark.theory.tau_max", 45.0),
    ("clark.prl", None),  # None: the first numeric leaf of that block
    ("clark.overlaps", None),
    ("clark.pcs.transient", 22.0),
]
#: what the design promises beyond the declarations: these stages do not read these keys
MUST_NOT_RERUN = {
    "metzner.reservoir.task": {"metzner_ensemble_base", "metzner_dynamics_rows", "metzner_meanfield", "lyapunov_regularity"},
    "metzner.validation.N": {"metzner_dynamics_rows", "metzner_regularity_rows"},
    "metzner.regularities.dale.controls": {"metzner_dynamics_rows"},
    "jarne.analysis.mad_k": {"jarne_train"},
    "lyapunov.numerics.reps": {"lyapunov_iid", "lyapunov_regularity"},
    "clark.prl.theory.tau_max": {"clark_simulate_points", "clark_gains_simulate"},
}
#: keys that change no computed number: they rerun no computing job
NO_COMPUTATION = [
    ("execution.batch_size", 8),
    ("jarne.pca_mode", "literal"),
]


def _config() -> dict:
    return yaml.safe_load(TEST_CONFIG.read_text())


def _first_numeric_leaf(cfg: dict, key: str) -> tuple[str, object]:
    """A numeric leaf under ``key`` of the test profile and a changed value for it."""
    node = cfg
    for part in key.split("."):
        node = node[part]

    def walk(prefix, value):
        if isinstance(value, dict):
            for k in value:
                yield from walk(f"{prefix}.{k}", value[k])
        else:
            yield prefix, value

    for name, value in walk(key, node):
        if isinstance(value, float):
            return name, value * 1.1
        if isinstance(value, int) and not isinstance(value, bool) and value > 1:
            return name, value + 1
    raise AssertionError(f"no numeric leaf under {key}")


def _resolved_changes() -> list[tuple[str, object]]:
    cfg = _config()
    out = []
    for key, value in CHANGES:
        out.append(_first_numeric_leaf(cfg, key) if value is None else (key, value))
    return out


def _overlay(tmp_path, key: str, value) -> str:
    cfg = _config()
    node = cfg
    parts = key.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})  # a block the profile leaves to the schema's defaults
    node[parts[-1]] = value
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    return str(path)


def dry_run_reasons(workdir, configfile, *extra: str) -> list[tuple[str, dict, str]]:
    """(rule, wildcards, reason) of every job a dry run schedules."""
    cmd = snakemake_command(workdir, "--dry-run", *extra, configfile=configfile)
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    jobs = []
    for block in re.split(r"\n(?=(?:local)?rule \w+:\n)", proc.stdout + proc.stderr):
        m = re.match(r"(?:local)?rule (\w+):\n", block)
        if not m:
            continue
        reason = re.search(r"^\s+reason: (.*)$", block, flags=re.M)
        wc = re.search(r"^\s+wildcards: (.*)$", block, flags=re.M)
        wildcards = dict(kv.split("=", 1) for kv in wc.group(1).split(", ")) if wc else {}
        jobs.append((m.group(1), wildcards, reason.group(1) if reason else ""))
    return jobs


def _reads_key(rule: str, key: str, wildcards: dict) -> bool:
    keys, _ = papers.reads(rule)
    return reads.covered(key, reads.expand(keys, wildcards))


@pytest.fixture(scope="module")
def rules_of_the_run(test_run) -> dict[str, list[dict]]:
    """{rule: wildcards of each of its jobs} of the test profile's whole workflow."""
    out: dict[str, list[dict]] = {}
    for rule, wc, _ in dry_run_reasons(test_run, str(TEST_CONFIG), "--forceall"):
        out.setdefault(rule, []).append(wc)
    return out


def _declaring_rules(key: str, run: dict[str, list[dict]]) -> set[str]:
    """The computing rules of the run with a job that reads ``key``."""
    return {
        rule
        for rule, wcs in run.items()
        if not RENDERING.match(rule) and _declared(rule) and any(_reads_key(rule, key, wc) for wc in wcs)
    }


def _declared(rule: str) -> bool:
    try:
        papers.reads(rule)
    except KeyError:
        return False
    return True


@pytest.mark.parametrize("key,value", _resolved_changes(), ids=[k for k, _ in _resolved_changes()])
def test_a_changed_key_reruns_exactly_the_jobs_that_read_it(test_run, rules_of_the_run, tmp_path, key, value):
    jobs = dry_run_reasons(test_run, _overlay(tmp_path, key, value))
    assert jobs, f"changing {key} scheduled nothing"
    by_params = {
        (rule, tuple(sorted(wc.items())))
        for rule, wc, why in jobs
        if "Params have changed" in why and not RENDERING.match(rule)
    }
    for rule, wc, why in jobs:
        if "Params have changed" in why and RENDERING.match(rule):
            continue
        if "Params have changed" in why:
            assert COMPUTING.match(rule), f"{rule} reran for its params (only computing rules read the config)"
            assert _reads_key(rule, key, wc), f"{rule} {wc} reran for {key}, which it does not read"
            assert f"'{key}=" in why, f"the reason of {rule} does not name {key}: {why}"
        else:
            # an input updated by a job that reruns, or a new job: the key names a new output (a new
            # robustness alternative, a new chunk)
            assert "Input files updated by another job" in why or "Missing output files" in why, (rule, why)
    declaring = _declaring_rules(key, rules_of_the_run)
    assert declaring, f"no rule of the run reads {key}"
    # every rule that reads the key reruns (for its params, or earlier: an input it depends on is updated)
    scheduled = {rule for rule, _, _ in jobs}
    assert declaring <= scheduled, f"{sorted(declaring - scheduled)} read {key} but were not scheduled"
    scheduled_rules = {rule for rule, _ in by_params}
    assert scheduled_rules, f"changing {key} reran no job for its params"
    assert not scheduled & MUST_NOT_RERUN.get(key, set()), sorted(scheduled & MUST_NOT_RERUN[key])
    if key == "metzner.regularities.dale.controls":  # a named entry reruns the jobs of that name only
        regs = {dict(wc).get("reg") for rule, wc in by_params if rule == "metzner_regularity_rows"}
        assert regs == {"dale"}, regs


@pytest.mark.parametrize("key,value", NO_COMPUTATION, ids=[k for k, _ in NO_COMPUTATION])
def test_layout_and_rendering_keys_rerun_no_computation(test_run, tmp_path, key, value):
    jobs = dry_run_reasons(test_run, _overlay(tmp_path, key, value))
    computing = sorted({rule for rule, _, _ in jobs if COMPUTING.match(rule) and not RENDERING.match(rule)})
    assert computing == [], f"changing {key} reruns {computing}"


def test_every_computing_rule_declares_what_it_reads():
    """Every rule of the workflow that computes (not a figure, notes or merge-only bookkeeping rule)
    has a READS entry, and every declared key exists in the laptop, paper and test profiles."""
    from rnnstruct.core.config import fill_defaults, load_schema

    text = "\n".join(p.read_text() for p in (REPO / "workflow" / "rules").rglob("*.smk"))
    uses = set(re.findall(r'\*\*config_reads\("(\w+)"', text))
    declared = {rule for pkg in papers.TARGETS.values() for rule in pkg.READS}
    assert uses == declared, (sorted(uses - declared), sorted(declared - uses))
    schema = load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")
    for name in ("config.yaml", "paper.yaml", "test.yaml"):
        cfg = yaml.safe_load((REPO / "config" / name).read_text())
        cfg = fill_defaults(cfg, schema) or cfg
        for rule in declared:
            keys, _ = papers.reads(rule)
            assert reads.possible_leaves(cfg, keys), (name, rule)


def test_stage_params_hold_only_the_declared_keys():
    cfg = {"seed": 1, "m": {"N": 3, "regs": {"dale": {"c": [0, 1]}, "hop": {"c": [0]}}, "res": {"task": "x"}}}
    keys = ("seed", "m.N", "m.regs.{reg}")
    p = reads.stage_params(cfg, keys, {"reg": "dale"}, lift="m")
    assert p == {"seed": 1, "N": 3, "regs": {"dale": {"c": [0, 1]}}}
    with pytest.raises(KeyError, match="m.regs.{reg}"):
        reads.select(cfg, keys, {})
    with pytest.raises(KeyError, match="no 'm.nope'"):
        reads.select(cfg, ("m.nope",))
    leaves = reads.possible_leaves(cfg, keys)
    assert leaves == ["m.N", "m.regs.dale.c", "m.regs.hop.c", "seed"]
    assert reads.leaf_param(cfg, keys, "m.regs.hop.c", {"reg": "dale"}) == "m.regs.hop.c (not read)"
    assert reads.leaf_param(cfg, keys, "m.regs.dale.c", {"reg": "dale"}) == "m.regs.dale.c=[0, 1]"
    params = reads.Params(p)
    assert not isinstance(params, dict) and dict(params) == p  # left out of Snakemake's params comparison
