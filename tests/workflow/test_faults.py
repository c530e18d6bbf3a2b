"""Faults: a job killed mid-write, a NaN inside a stage, and bad configurations.

The kill and NaN tests use the writer's fault-injection hooks (rnnstruct.core.io.FAULT_PAUSE_ENV and
FAULT_NAN_ENV), which are inert unless their environment variable is set.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import xarray as xr
import yaml

from conftest import TEST_CONFIG, run_workflow, snakemake_command
from rnnstruct.core import io

pytestmark = pytest.mark.e2e

CHUNK = "results/metzner/dynamics/base/rows_0_2.nc"
TARGET = "results/metzner/dynamics/base.nc"


def snakemake_cmd(workdir: Path, *extra: str) -> list[str]:
    return snakemake_command(workdir, *extra, cores=1)


@pytest.mark.slow
def test_kill_minus_9_mid_write_then_rerun(tmp_path, test_results):
    """SIGKILL the whole workflow while a chunk's NetCDF is half-way (temporary file written, not yet
    renamed): no output is accepted, and after `--unlock` the rerun completes with identical data."""
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, io.FAULT_PAUSE_ENV: f"{Path(CHUNK).name}:120"}
    log = open(tmp_path / "killed.log", "w")
    proc = subprocess.Popen(
        snakemake_cmd(work, TARGET),
        cwd=work,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    chunk = work / CHUNK
    deadline = time.time() + 120
    while not list(chunk.parent.glob(f".{chunk.name}.*.tmp")):
        assert proc.poll() is None, (tmp_path / "killed.log").read_text()[-3000:]
        assert time.time() < deadline, "the chunk's temporary file never appeared"
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    log.close()
    assert not chunk.exists(), "a partial NetCDF was left under the output name"
    assert list(chunk.parent.glob(f".{chunk.name}.*.tmp")), "expected the interrupted temporary file"

    unlock = subprocess.run(snakemake_cmd(work, "--unlock"), cwd=work, capture_output=True, text=True)
    assert unlock.returncode == 0, unlock.stdout + unlock.stderr
    run_workflow(work, targets=(TARGET,))
    assert not list(chunk.parent.glob(".*.tmp")), "stale temporary files remain"
    fresh, ref = io.read_dataset(work / TARGET), io.read_dataset(test_results / "metzner/dynamics/base.nc")
    xr.testing.assert_identical(fresh.drop_attrs(deep=False), ref.drop_attrs(deep=False))


def test_nan_inside_a_stage_stops_it_naming_the_parameters(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, io.FAULT_NAN_ENV: "metzner.dynamics.base.rows"}
    proc = subprocess.run(snakemake_cmd(work, TARGET), cwd=work, env=env, capture_output=True, text=True)
    assert proc.returncode != 0
    failed = [p for p in (work / "logs/metzner").glob("dynamics_base_rows_*.log") if "contains NaN" in p.read_text()]
    assert failed, "no job reported the NaN"
    text = failed[0].read_text()
    assert "refusing to write a silent NaN" in text and "[stage metzner.dynamics.base.rows" in text
    assert '"w_rows":[' in text and '"seed":7' in text  # the parameters of the failing job
    chunk = failed[0].name.replace("dynamics_base_", "").replace(".log", ".nc")
    assert not (work / "results/metzner/dynamics/base" / chunk).exists()


def deep_update(base: dict, patch: dict) -> dict:
    for k, v in patch.items():
        base[k] = (
            deep_update(base.get(k, {}), v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
        )
    return base


BAD_CONFIGS = [
    # wrong types
    ({"metzner": {"N": "hundred"}}, "metzner.N", "not of type 'integer'"),
    ({"metzner": {"self_connections": "yes"}}, "metzner.self_connections", "not of type 'boolean'"),
    ({"metzner": {"reservoir": {"ridge": "small"}}}, "metzner.reservoir.ridge", "not of type 'number'"),
    # out of range
    ({"metzner": {"density": 1.5}}, "metzner.density", "out of range"),
    ({"seed": -3}, "seed", "out of range"),
    ({"metzner": {"dynamics": {"sat_threshold": 1.0}}}, "metzner.dynamics.sat_threshold", "out of range"),
    ({"metzner": {"examples": {"b": [2.0]}}}, "metzner.examples.b[0]", "out of range"),
    # empty grids and lists
    (
        {"metzner": {"grid": {"w": {"start": 0.0, "stop": 4.0, "num": 0}}}},
        "metzner.grid.w.num",
        "out of range",
    ),
    ({"metzner": {"examples": {"w": []}}}, "metzner.examples.w", "must not be empty"),
    ({"lyapunov": {"numerics": {"N_values": []}}}, "lyapunov.numerics.N_values", "must not be empty"),
    # unknown keys and values
    ({"metzner": {"unknown_knob": 3}}, "metzner.unknown_knob", "unknown key"),
    ({"extra_section": {}}, "extra_section", "unknown key"),
    ({"metzner": {"balance_mode": "normal"}}, "metzner.balance_mode", "allowed values"),
    ({"metzner": {"reservoir": {"task": "xor"}}}, "metzner.reservoir.task", "allowed values"),
    # inconsistent combinations
    (
        {"metzner": {"grid": {"b": {"start": 1.0, "stop": -1.0, "num": 5}}}},
        "metzner.grid.b",
        "smaller than start",
    ),
    (
        {"metzner": {"regularities": {"modular": {"K": 7}}}},
        "metzner.regularities.modular.K",
        "does not divide",
    ),
    ({"metzner": {"balance_mode": "gaussian_mean"}}, "metzner.balance_mode", "Dale ensemble needs"),
    (
        {"metzner": {"dynamics": {"max_period": 150}}},
        "metzner.dynamics.n_measure",
        ">= 2 * metzner.dynamics.max_period",
    ),
    ({"metzner": {"validation": {"cov_blocks": 7}}}, "metzner.validation.n_measure", "not divisible"),
    ({"metzner": {"reservoir": {"streams": 3}}}, "metzner.reservoir.n_train", "not divisible"),
    (
        {"metzner": {"regularities": {"hopfield": {"controls": [1.0, 0.0]}}}},
        "metzner.regularities.hopfield.controls",
        "strictly increasing",
    ),
    ({"lyapunov": {"iid_map": {"spectrum_k": 500}}}, "lyapunov.iid_map.spectrum_k", "exceeds"),
    ({"lyapunov": {"iid_flow": {"total": 10.01}}}, "lyapunov.iid_flow.total", "not a whole number of steps"),
]


@pytest.mark.parametrize(
    "patch, key, message", BAD_CONFIGS, ids=[b[1] + ":" + b[2][:20] for b in BAD_CONFIGS]
)
def test_bad_config_fails_before_any_job_naming_the_key(tmp_path, patch, key, message):
    cfg = deep_update(yaml.safe_load(TEST_CONFIG.read_text()), patch)
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(cfg))
    work = tmp_path / "work"
    work.mkdir()
    proc = run_workflow(work, configfile=bad, check=False)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert f"config key '{key}'" in out and message in out, out[-3000:]
    assert not (work / "results").exists() and not (work / "logs").exists() and not (work / "docs").exists()
