"""PAPER_MAP.md names things that exist, and names every figure the workflow builds."""

import importlib
import re

import pytest
import yaml

from conftest import REPO, completed
from rnnstruct import papers

MAP = REPO / "PAPER_MAP.md"
COLUMNS = ("figure", "file", "rules", "stages", "library", "netcdf", "caption", "tests")


def rows() -> list[dict]:
    out = []
    for line in MAP.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != len(COLUMNS) or cells[0] in ("figure", "---") or set(cells[0]) <= {"-"}:
            continue
        out.append({k: (v if k == "figure" else re.findall(r"`([^`]+)`", v)) for k, v in zip(COLUMNS, cells)})
    return out


def rule_blocks() -> dict[str, str]:
    blocks = {}
    for path in (REPO / "workflow" / "rules").rglob("*.smk"):
        for block in re.split(r"(?m)^(?=rule )", path.read_text()):
            m = re.match(r"rule (\w+):", block)
            if m:
                blocks[m.group(1)] = (path, block)
    return blocks


def profile(name: str) -> dict:
    return completed(yaml.safe_load((REPO / "config" / f"{name}.yaml").read_text()))


def workflow_figures(config) -> set[str]:
    return {f"{stem}.png" for pkg in papers.TARGETS.values() for stem in pkg.figures(config)}


def test_every_figure_of_every_profile_is_in_the_map():
    mapped = {f for r in rows() for f in r["file"]}
    assert len(rows()) >= 40
    for name in ("config", "paper", "test"):
        missing = workflow_figures(profile(name)) - mapped
        assert not missing, f"figures of config/{name}.yaml missing from PAPER_MAP.md: {sorted(missing)}"
    assert mapped <= workflow_figures(profile("config")), sorted(mapped - workflow_figures(profile("config")))


def test_rules_exist_and_the_last_one_draws_the_figure_with_the_caption():
    blocks = rule_blocks()
    for r in rows():
        for rule in r["rules"]:
            assert rule in blocks, f"{r['figure']}: no rule {rule}"
        path, block = blocks[r["rules"][-1]]
        pattern = re.findall(r'"(results/figures/[^"]+\.png)"', block)
        assert pattern, f"{r['figure']}: {r['rules'][-1]} draws no figure"
        regex = re.sub(r"\\\{\w+\\\}", r"[^/]+", re.escape(pattern[0]))
        assert re.fullmatch(regex, r["file"][0]), (r["figure"], pattern[0])
        caption = re.search(r'caption="([^"]+)"', block).group(1)
        assert (path.parent / caption).resolve() == (REPO / r["caption"][0]).resolve(), r["figure"]
        assert (REPO / r["caption"][0]).is_file()


def test_functions_exist():
    for r in rows():
        for dotted in r["stages"] + r["library"]:
            module, _, name = dotted.rpartition(".")
            assert hasattr(importlib.import_module(module), name), f"{r['figure']}: no function {dotted}"


def test_netcdf_files_are_outputs_of_the_laptop_profile():
    data = {f for pkg in papers.TARGETS.values() for f in pkg.data(profile("config"))}
    for r in rows():
        assert r["netcdf"], r["figure"]
        for f in r["netcdf"]:
            assert f in data, f"{r['figure']}: {f} is not an output of the workflow"


def test_named_tests_exist():
    for r in rows():
        assert r["tests"], r["figure"]
        for ref in r["tests"]:
            file, _, name = ref.partition("::")
            text = (REPO / file).read_text()
            assert re.search(rf"^def {name}\(", text, flags=re.M), f"{r['figure']}: no test {ref}"


@pytest.mark.parametrize("bad", ["rule", "function", "test"])
def test_the_check_fails_on_a_wrong_entry(bad, tmp_path, monkeypatch):
    """The map check catches a misspelt rule, function or test (so the tests above can fail)."""
    text = MAP.read_text()
    first = next(line for line in text.splitlines() if "`figure_F1_schematic`" in line)
    wrong = {
        "rule": first.replace("`figure_F1_schematic`", "`figure_F1_schematik`"),
        "function": first.replace("regularities.regularity_examples`", "regularities.regularity_exampels`"),
        "test": first.replace("::test_control_zero_is_the_base_matrix_bit_for_bit", "::test_no_such_test"),
    }[bad]
    fake = tmp_path / "PAPER_MAP.md"
    fake.write_text(text.replace(first, wrong))
    monkeypatch.setattr(__import__(__name__), "MAP", fake)
    check = {
        "rule": test_rules_exist_and_the_last_one_draws_the_figure_with_the_caption,
        "function": test_functions_exist,
        "test": test_named_tests_exist,
    }[bad]
    with pytest.raises((AssertionError, KeyError)):
        check()
