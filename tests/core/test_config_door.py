"""Validation at the door: every numeric key refuses NaN, infinities, non-integers where an integer is
meant and out-of-range values, each with a message naming the dotted key; integer-valued floats are
converted once; repeated list values and repeated YAML keys are refused."""

import copy
import math

import pytest
import yaml

from conftest import REPO, TEST_CONFIG, completed
from rnnstruct import papers
from rnnstruct.core import config as C

SCHEMA = C.load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")


def numeric_leaves(cfg, schema, path=()):
    """(dotted key, path, sub-schema) of every number or integer the completed test profile holds."""
    if isinstance(cfg, dict):
        for k, v in cfg.items():
            sub = schema.get("properties", {}).get(k)
            if sub is not None:
                yield from numeric_leaves(v, sub, path + (k,))
    elif isinstance(cfg, list) and isinstance(schema.get("items"), dict):
        for i, v in enumerate(cfg):
            yield from numeric_leaves(v, schema["items"], path + (i,))
    elif isinstance(cfg, (int, float)) and not isinstance(cfg, bool) and schema.get("type") in ("number", "integer"):
        yield C._dotted(path), path, schema


BASE = completed(yaml.safe_load(TEST_CONFIG.read_text()))
LEAVES = list(numeric_leaves(BASE, SCHEMA))


def with_value(path, value):
    cfg = copy.deepcopy(BASE)
    node = cfg
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    return cfg


def bad_values(schema):
    out = [math.nan, math.inf, -math.inf]
    if schema["type"] == "integer":
        out.append(2.5)
    for bound, delta in (("minimum", -1), ("exclusiveMinimum", 0), ("maximum", 1), ("exclusiveMaximum", 0)):
        if bound in schema:
            v = schema[bound] + delta
            out.append(int(v) if schema["type"] == "integer" and float(v).is_integer() else v)
    return out


def test_every_numeric_key_is_covered():
    assert len(LEAVES) > 250
    assert {"seed", "metzner.N", "metzner.dynamics.sat_threshold", "clark.simulation.dt", "jarne.analysis.n_dominant"} <= {
        k for k, _, _ in LEAVES
    }


@pytest.mark.parametrize("key,path,schema", LEAVES, ids=[k for k, _, _ in LEAVES])
def test_bad_values_are_refused_naming_the_key(key, path, schema):
    for value in bad_values(schema):
        problems = C.check(with_value(path, value), SCHEMA, papers.semantic_errors)
        assert any(p.startswith(f"config key '{key}'") for p in problems), (key, value, problems)


def test_integer_valued_floats_are_converted_once():
    cfg = copy.deepcopy(BASE)
    cfg["metzner"]["N"], cfg["seed"], cfg["metzner"]["reps"] = 30.0, 1e3, 2.0
    cfg["metzner"]["reservoir"]["seqmem"]["delays"] = [1.0, 2.0]
    assert C.check(cfg, SCHEMA, papers.semantic_errors) == []
    assert (cfg["metzner"]["N"], cfg["seed"], cfg["metzner"]["reps"]) == (30, 1000, 2)
    assert all(type(v) is int for v in (cfg["metzner"]["N"], cfg["seed"], *cfg["metzner"]["reservoir"]["seqmem"]["delays"]))
    assert type(cfg["metzner"]["dynamics"]["sat_threshold"]) is float  # numbers stay numbers


@pytest.mark.parametrize(
    "key,value",
    [("clark.theory.g_eff", [1.0, 1.0, 10.0]), ("clark.prl.simulation.g", [1.5, 1.5]), ("lyapunov.iid_map.spectrum_g", [1.5, 1.5])],
)
def test_repeated_coordinate_values_are_refused(key, value):
    path = tuple(key.split("."))
    problems = C.check(with_value(path, value), SCHEMA, papers.semantic_errors)
    assert any(p.startswith(f"config key '{key}'") and "repeats" in p for p in problems), problems


def test_cross_key_constraints_before_any_job():
    problems = C.check(with_value(("jarne", "analysis", "n_dominant"), 16), SCHEMA, papers.semantic_errors)
    assert any(p.startswith("config key 'jarne.analysis.n_dominant'") for p in problems), problems
    problems = C.check(with_value(("metzner", "reservoir", "ridge"), 0.0), SCHEMA, papers.semantic_errors)
    assert any(p.startswith("config key 'metzner.reservoir.ridge'") for p in problems), problems
