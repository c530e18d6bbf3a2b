"""Configuration: schema completeness, shipped configs valid, bad configs named precisely."""

import copy
from pathlib import Path

import pytest
import yaml

from rnnstruct.core.config import load_schema, schema_errors
from conftest import semantic_errors

REPO = Path(__file__).resolve().parents[2]
SCHEMA = load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")


def walk(schema, path=""):
    for name, sub in schema.get("properties", {}).items():
        yield f"{path}{name}", sub
        yield from walk(sub, f"{path}{name}.")
    for name, sub in schema.get("$defs", {}).items():
        yield from walk(sub, f"$defs.{name}.")


def test_every_key_has_description_and_default():
    for key, sub in walk(SCHEMA):
        assert "description" in sub, f"{key} lacks a description"
        assert "default" in sub, f"{key} lacks a default"


def test_every_object_refuses_unknown_keys():
    for key, sub in walk(SCHEMA):
        if sub.get("type") == "object":
            assert sub.get("additionalProperties") is False, key


@pytest.mark.parametrize("name", ["config", "paper", "test"])
def test_shipped_configs_are_valid(name):
    cfg = yaml.safe_load((REPO / "config" / f"{name}.yaml").read_text())
    assert schema_errors(cfg, SCHEMA) == []
    assert semantic_errors(cfg) == []


def test_large_n_overlay_on_the_laptop_config_is_valid():
    from snakemake.utils import update_config

    cfg = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    update_config(cfg, yaml.safe_load((REPO / "config" / "overlays" / "clark_large_n.yaml").read_text()))
    assert cfg["clark"]["large_n"]["enabled"] and cfg["clark"]["large_n"]["N"] > cfg["clark"]["simulation"]["N"]
    assert schema_errors(cfg, SCHEMA) == [] and semantic_errors(cfg) == []


def mutate(path, value):
    cfg = copy.deepcopy(yaml.safe_load((REPO / "config" / "test.yaml").read_text()))
    *parents, last = path.split(".")
    node = cfg
    for p in parents:
        node = node[p]
    if value is DELETE:
        del node[last]
    else:
        node[last] = value
    return cfg


DELETE = object()

BAD = [
    ("metzner.N", "100", "metzner.N", "not of type 'integer'"),
    ("metzner.N", 1, "metzner.N", "out of range"),
    ("metzner.density", 0, "metzner.density", "out of range"),
    ("metzner.balance_mode", "gauss", "metzner.balance_mode", "allowed values: 'sign_prob', 'gaussian_mean'"),
    ("metzner.self_connections", "yes", "metzner.self_connections", "not of type 'boolean'"),
    ("metzner.typo_key", 1, "metzner.typo_key", "unknown key (allowed here: N, balance_mode"),
    ("seed", -1, "seed", "out of range"),
    ("metzner.grid.w.num", 0, "metzner.grid.w.num", "out of range"),
    ("metzner.grid.w.num", DELETE, "metzner.grid.w", "'num' is a required property"),
    ("metzner.examples.b", [], "metzner.examples.b", "must not be empty"),
    ("metzner.examples.b", [2.0], "metzner.examples.b[0]", "out of range"),
    ("metzner.dynamics.sat_threshold", 1.0, "metzner.dynamics.sat_threshold", "out of range"),
    ("execution.rows_per_job", 0, "execution.rows_per_job", "out of range"),
    ("metzner.reps", 2.5, "metzner.reps", "not of type 'integer'"),
]


@pytest.mark.parametrize("path, value, key, message", BAD)
def test_schema_errors_name_the_key(path, value, key, message):
    errors = schema_errors(mutate(path, value), SCHEMA)
    assert any(f"config key '{key}'" in e and message in e for e in errors), errors


SEMANTIC = [
    ("metzner.grid.b", {"start": 0.5, "stop": -0.5, "num": 3}, "metzner.grid.b", "smaller than start"),
    (
        "metzner.grid.b",
        {"start": -2.0, "stop": 1.0, "num": 3},
        "metzner.grid.b.start",
        "below the allowed minimum -1",
    ),
    ("metzner.grid.w", {"start": 1.0, "stop": 2.0, "num": 1}, "metzner.grid.w", "num=1 needs start == stop"),
    ("metzner.validation.cov_blocks", 7, "metzner.validation.n_measure", "not divisible"),
    ("metzner.dynamics.max_period", 150, "metzner.dynamics.n_measure", ">= 2 * metzner.dynamics.max_period"),
    ("clark.large_n.g_eff", [4.0], "clark.large_n.g_eff", "not in clark.theory.g_eff"),
]


@pytest.mark.parametrize("path, value, key, message", SEMANTIC)
def test_semantic_errors_name_the_key(path, value, key, message):
    cfg = mutate(path, value)
    assert schema_errors(cfg, SCHEMA) == []
    errors = semantic_errors(cfg)
    assert any(f"config key '{key}'" in e and message in e for e in errors), errors


def test_numeric_bounds_are_numbers():
    # YAML 1.1 reads 1.0e6 (no exponent sign) as a string: guard every bound and numeric default
    for key, sub in walk(SCHEMA):
        for bound in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if bound in sub:
                assert isinstance(sub[bound], (int, float)), f"{key}.{bound} = {sub[bound]!r}"
        if sub.get("type") == "number":
            assert isinstance(sub["default"], (int, float)), f"{key}.default = {sub['default']!r}"


REGULARITY_SEMANTIC = [
    ("metzner.regularities.modular.K", 7, "metzner.regularities.modular.K", "does not divide metzner.N=30"),
    ("metzner.balance_mode", "gaussian_mean", "metzner.balance_mode", "Dale ensemble needs 'sign_prob'"),
    (
        "metzner.reservoir.streams",
        3,
        "metzner.reservoir.n_train",
        "not divisible by metzner.reservoir.streams",
    ),
    (
        "metzner.regularities.dale.controls",
        [0.0, 1.0, 0.5],
        "metzner.regularities.dale.controls",
        "strictly increasing",
    ),
    (
        "metzner.reservoir.clusters",
        {"D": 2, "M": 8, "sigma": 0.1, "classes": 3},
        "metzner.reservoir.clusters.classes",
        "does not divide",
    ),
]


@pytest.mark.parametrize("path, value, key, message", REGULARITY_SEMANTIC)
def test_regularity_semantic_errors_name_the_key(path, value, key, message):
    cfg = mutate(path, value)
    assert schema_errors(cfg, SCHEMA) == []
    errors = semantic_errors(cfg)
    assert any(f"config key '{key}'" in e and message in e for e in errors), errors


def test_unknown_regularity_and_task_are_schema_errors():
    errors = schema_errors(mutate("metzner.regularities.include", ["dale", "ring"]), SCHEMA)
    assert any("metzner.regularities.include[1]" in e and "allowed values" in e for e in errors), errors
    errors = schema_errors(mutate("metzner.reservoir.task", "xor"), SCHEMA)
    assert any("'clusters', 'seqmem', 'seqgen'" in e for e in errors), errors
