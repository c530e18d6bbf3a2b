"""Code identity per stage: the import closure, what it leaves out, and that every rule declares it."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from rnnstruct.core import codehash

RULE_FILES = sorted((REPO / "workflow" / "rules").rglob("*.smk"))
#: modules that only render or schedule: no computation may depend on them
NOT_COMPUTING = re.compile(
    r"\.(figures|notes|targets|cluster|checks)(\.|$)|^rnnstruct\.(core\.plotting|core\.notes|core\.targets|papers)$"
)


def rule_blocks():
    for path in RULE_FILES:
        for block in re.split(r"(?m)^(?=rule )", path.read_text()):
            name = re.match(r"rule (\w+):", block)
            if name:
                yield path, name.group(1), block


def code_args(block):
    call = re.search(r"code=script_code\(([^)]*)\)", block)
    return tuple(re.findall(r'"([\w./]+)"', call.group(1))) if call else None


def computing_rules():
    """(rule, script) of every rule that computes (not a figure, notes, claims-table or cost-table rule: those
    render results for the report and may use the notes helpers)."""
    for _, rule, block in rule_blocks():
        args = code_args(block)
        if (
            args
            and args[0] != "figure.py"
            and not args[0].endswith(("notes.py", "claims_table.py"))
            and args[0] != "cost_summary.py"
        ):
            yield rule, REPO / "scripts" / args[0]


def test_closure_follows_relative_absolute_and_function_level_imports():
    files = {
        p.relative_to(codehash.ROOT).as_posix() for p in codehash.closure(["rnnstruct.clark.stages.overlaps"])
    }
    # absolute import at module level, a lazy import inside a function, package __init__ files, data files
    assert {"clark/sampled_dmft.py", "clark/connectivity.py", "core/seeds.py", "clark/__init__.py"} <= files
    assert {
        "clark/stages/__init__.py",
        "clark/variables.py",
        "clark/variables.yaml",
        "core/variables.yaml",
    } <= files
    assert "metzner/dynamics.py" not in files and "jarne/train.py" not in files


@pytest.mark.parametrize("rule,script", sorted(set(computing_rules())))
def test_computing_code_never_reaches_rendering_or_scheduling_code(rule, script):
    mods = sorted(codehash._imported(script, ""))
    reached = {codehash.module_name(p) for p in codehash.closure(mods) if p.suffix == ".py"}
    bad = sorted(m for m in reached if NOT_COMPUTING.search(m))
    assert not bad, f"rule {rule} ({script.name}) reaches rendering/scheduling modules {bad}"


def test_every_rule_hashes_the_script_it_runs():
    """A rule reruns when its code hash changes, so the hash must be that of its own script (and, for
    a figure, of the builder module the script imports by name)."""
    n = 0
    for path, rule, block in rule_blocks():
        if rule == "all":
            continue
        args = code_args(block)
        assert args, f"{path.name}: rule {rule} has no code=script_code(...) parameter"
        script = re.search(r'script:\s*\n\s*"([^"]+)"', block).group(1)
        assert (path.parent / script).resolve() == REPO / "scripts" / args[0], rule
        builder = re.search(r'builder="([\w.]+)"', block)
        if builder:
            assert args[1:] == (builder.group(1).rsplit(".", 1)[0],), rule
        for root in args[1:]:
            assert codehash.module_path(root), f"rule {rule}: no module {root}"
        n += 1
    assert n >= 60


def _hash_in(src: Path, *roots: str) -> str:
    code = f"from rnnstruct.core.codehash import code_hash; print(code_hash(*{roots!r}))"
    out = subprocess.run(
        [sys.executable, "-c", code], env={"PYTHONPATH": str(src)}, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_hash_changes_exactly_when_a_reachable_file_changes(tmp_path):
    import shutil

    src = tmp_path / "src"
    shutil.copytree(
        REPO / "src" / "rnnstruct", src / "rnnstruct", ignore=shutil.ignore_patterns("__pycache__")
    )
    stages = ("rnnstruct.clark.stages.pcs", "rnnstruct.metzner.stages.base", "rnnstruct.jarne.stages")
    before = {s: _hash_in(src, s) for s in stages}
    with open(src / "rnnstruct" / "clark" / "pcs.py", "a") as fh:
        fh.write("# a comment\n")
    with open(src / "rnnstruct" / "clark" / "figures" / "pcs.py", "a") as fh:
        fh.write("# a comment in a figure module\n")
    after = {s: _hash_in(src, s) for s in stages}
    assert after["rnnstruct.clark.stages.pcs"] != before["rnnstruct.clark.stages.pcs"]
    assert after["rnnstruct.metzner.stages.base"] == before["rnnstruct.metzner.stages.base"]
    assert after["rnnstruct.jarne.stages"] == before["rnnstruct.jarne.stages"]
    with open(src / "rnnstruct" / "core" / "seeds.py", "a") as fh:
        fh.write("# every stage draws its random numbers here\n")
    assert all(_hash_in(src, s) != after[s] for s in stages)
