"""Memory requests of the N-sized cluster jobs (rnnstruct.clark.cluster): small runs ask for little, the
paper run for at least what its matrices occupy, and no request depends on anything but the config."""

from pathlib import Path

import pytest
import yaml

from conftest import completed
from rnnstruct.clark.cluster import BASE_MB, SIZED_RULES, clark_mem_mb, n2_mem_mb

REPO = Path(__file__).resolve().parents[2]


def _clark(name: str) -> dict:
    config = yaml.safe_load((REPO / "config" / name).read_text())
    return completed(config)["clark"]


def test_n2_model_is_quadratic_above_the_base():
    assert n2_mem_mb(1000, 1) == BASE_MB + 8
    assert n2_mem_mb(2000, 3) - BASE_MB == 4 * 3 * 8


@pytest.mark.parametrize("name", ["test.yaml", "config.yaml"])
def test_small_configs_fit_a_small_node(name):
    """Test and laptop configs: every sized job asks for <= 2 GB, so a 2-core, few-GB SLURM node runs
    them side by side (the paper-size 48 GB connectome request made sbatch reject the job)."""
    mem = clark_mem_mb(_clark(name))
    assert set(mem) == set(SIZED_RULES)
    assert all(BASE_MB < v <= 2000 for v in mem.values()), mem


def test_paper_requests_cover_the_dense_matrices():
    """Paper config: each request holds at least the N x N float64 matrices the job must keep at once
    (connectome: W, U, V and a working copy at N = 18028; Fig. 4 realisation: J and 2 x 10 jackknife
    group sums at N = 5000; PRL Fig. 6: 101 lagged covariances need ~2 copies at N = 7500 per group)."""
    mem = clark_mem_mb(_clark("paper.yaml"))
    gb = lambda n, k: k * n * n * 8 / 1e6  # noqa: E731
    assert mem["clark_connectome"] > gb(18028, 4)
    assert mem["clark_simulate_points"] > gb(5000, 21)
    assert mem["clark_overlaps_sim"] > gb(7500, 2) and mem["clark_overlaps_sim"] > gb(5000, 21)
    assert mem["clark_gains_simulate"] > gb(5000, 4 * 10)
    # the largest request is the connectome's, and no paper job asks for more than a 64 GB node has
    assert max(mem, key=mem.get) == "clark_connectome" and max(mem.values()) < 64000


def test_connectome_request_follows_the_data_when_a_path_is_set():
    clark = _clark("config.yaml")
    stand_in = clark_mem_mb(clark)["clark_connectome"]
    clark["connectome"]["path"] = "/data/hemibrain"  # real data: N = expected_kept (18028)
    assert clark_mem_mb(clark)["clark_connectome"] == n2_mem_mb(clark["connectome"]["expected_kept"], 18)
    assert clark_mem_mb(clark)["clark_connectome"] > 10 * stand_in
