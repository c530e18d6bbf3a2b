"""A changed config key reruns exactly the jobs whose stage reads it (and what depends on their outputs).

Each computing rule declares the config keys its stage reads (``READS`` in the package's ``targets``
module, rnnstruct.core.reads); the rule gets only those keys, plus one "<key>=<value>" param per leaf, so
Snakemake's params comparison sees a change in exactly those jobs and its reason names the key.

The table below changes one key per config block (every top-level section, every block of the Metzner,
Lyapunov and Jarne sections, every Clark group) on a complete run of the test profile and checks, from the
dry run's per-job reasons, that

- the jobs scheduled because their *params* changed are exactly the jobs of the rules that declare the key
  (for a key under a wildcard entry, the jobs with that wildcard value), and their reason names the key;
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
RENDERING = re.compile(r"^(figure_|.*_notes$|.*_doc$|cost_summary$|all$)")

#: (dotted key, new value) — one key per block of the test profile
CHANGES = [
    ("seed", 8),
    ("metzner.N", 32),
    ("metzner.init_scale", 0.9),
    ("metzner.reps", 3),
    ("metzner.dynamics.n_measure", 210),
    ("metzner.examples.reps", 2),
    ("metzner.validation.N", 64),
    ("metzner.regularities.dale.controls", [0.0, 0.5]),
    ("metzner.regularities.reps", 2),
    ("metzner.reservoir.task", "seqmem"),
    ("metzner.robustness.edge_band", 0.2),
    ("lyapunov.iid_map.total", 120),
    ("lyapunov.iid_flow.total", 12.0),
    ("lyapunov.regularities.n_steps", 120),
    ("lyapunov.numerics.reps", 3),
    ("jarne.training.lr", 2.0e-3),
    ("jarne.analysis.mad_k", 4.0),
    ("jarne.claims.flat_tol", 0.2),
    ("clark.theory.tau_max", 45.0),
    ("clark.gains.reps", 3),
    ("clark.prl.theory", None),  # filled below: one leaf of each Clark group's own block
    ("clark.overlaps", None),
    ("clark.pcs", None),
    ("clark.connectome", None),
]
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
        node = node[part]
    assert parts[-1] in node, f"{key} is not in the test profile"
    node[parts[-1]] = value
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    return str(path)


def dry_run_reasons(workdir, configfile) -> list[tuple[str, dict, str]]:
    """(rule, wildcards, reason) of every job a dry run schedules."""
    cmd = snakemake_command(workdir, "--dry-run", configfile=configfile)
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
def rules_of_the_run(test_run) -> set[str]:
    """Every rule with a job in the test profile's workflow."""
    cmd = snakemake_command(test_run, "--dry-run", "--forceall", "--quiet", "rules")
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=test_run)
    assert proc.returncode == 0, proc.stderr[-3000:]
    table = (proc.stdout + proc.stderr).split("Job stats:", 1)[1].split("\n\n", 1)[0]
    return {m.group(1) for m in re.finditer(r"^(\w+)\s+\d+$", table, flags=re.M)}


def _declaring_rules(key: str) -> set[str]:
    out = set()
    for pkg in papers.TARGETS.values():
        for rule, keys in pkg.READS.items():
            if reads.covered(key, keys):
                out.add(rule)
    return out


@pytest.mark.parametrize("key,value", _resolved_changes(), ids=[k for k, _ in _resolved_changes()])
def test_a_changed_key_reruns_exactly_the_jobs_that_read_it(test_run, rules_of_the_run, tmp_path, key, value):
    jobs = dry_run_reasons(test_run, _overlay(tmp_path, key, value))
    assert jobs, f"changing {key} scheduled nothing"
    by_params = {(rule, tuple(sorted(wc.items()))) for rule, wc, why in jobs if "Params have changed" in why}
    for rule, wc, why in jobs:
        if "Params have changed" in why:
            assert COMPUTING.match(rule), f"{rule} reran for its params (only computing rules read the config)"
            assert _reads_key(rule, key, wc), f"{rule} {wc} reran for {key}, which it does not read"
            assert f"'{key}=" in why, f"the reason of {rule} does not name {key}: {why}"
        else:
            assert "Input files updated by another job" in why or "updated input" in why.lower(), (rule, why)
    scheduled_rules = {rule for rule, _ in by_params}
    declaring = _declaring_rules(key)
    assert declaring, f"no rule reads {key}"
    # every rule that reads the key has a job of the run rerun for it (wildcard entries: the matching jobs)
    assert scheduled_rules == declaring & rules_of_the_run, (
        sorted(scheduled_rules),
        sorted(declaring),
    )
    assert scheduled_rules, f"changing {key} reran no job for its params"


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
