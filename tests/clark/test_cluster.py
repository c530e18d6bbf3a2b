"""Memory requests of the N-sized cluster jobs (rnnstruct.clark.cluster): small runs ask for little, the
paper run for at least what its matrices occupy, and no request depends on anything but the config."""

import copy
from pathlib import Path

import pytest
import yaml
from snakemake.utils import update_config

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


# ---- GPU profile, GPU overlay and the work model of benchmarks/bench_clark.py ------------------------

GPU_RULES = {
    "clark_simulate_points", "clark_large_n_points", "clark_gains_simulate", "clark_prl_simulate",
    "clark_prl_finite_size", "clark_pcs_traces", "clark_pcs_timescales", "clark_overlaps_sim",
}


def _profile(name: str) -> dict:
    return yaml.safe_load((REPO / "profiles" / name / "profile.yaml").read_text())


def test_gpu_profile_is_the_cpu_profile_with_a_gpu_per_clark_simulation():
    """profiles/slurm-gpu lists every rule of profiles/slurm (so no cluster rule lacks a runtime), gives
    exactly the Clark simulation rules one GPU, 8 cores and 8 BLAS threads, and keeps the other rules'
    resources and every plugin setting."""
    cpu, gpu = _profile("slurm"), _profile("slurm-gpu")
    assert set(cpu) | {"set-threads"} == set(gpu)
    assert {k: v for k, v in gpu.items() if k not in ("set-resources", "set-threads")} == {
        k: v for k, v in cpu.items() if k != "set-resources"
    }
    assert set(gpu["set-resources"]) == set(cpu["set-resources"])
    on_gpu = {r for r, res in gpu["set-resources"].items() if "gres" in res}
    assert on_gpu == GPU_RULES and set(gpu["set-threads"]) == GPU_RULES
    for rule, res in gpu["set-resources"].items():
        if rule in GPU_RULES:
            assert res["gres"] == "gpu:1" and res["cpus_per_task"] == 8 and "runtime" in res, rule
            assert "mem_mb" not in res  # host memory from the rule (clark_mem_mb), as on CPU nodes
        else:
            assert res == cpu["set-resources"][rule], rule


def test_gpu_overlay_keeps_the_samples_and_the_transient():
    """config/overlays/clark_gpu.yaml over the paper profile: the JAX backend, more trajectories per matrix
    with the same sample columns per block (n_traj x block_len) or per matrix (n_traj x n_samples), the same
    transients, blocks of >= 20 sample times, and a config the workflow accepts."""
    from conftest import semantic_errors

    paper = yaml.safe_load((REPO / "config" / "paper.yaml").read_text())
    overlay = yaml.safe_load((REPO / "config" / "overlays" / "clark_gpu.yaml").read_text())
    merged = copy.deepcopy(paper)
    update_config(merged, overlay)  # Snakemake's merge of --configfile files
    c, p = merged["clark"], paper["clark"]
    assert c["backend"] == "jax"
    for path in (("simulation",), ("prl", "simulation"), ("overlaps", "fig7", "sim")):
        new, old = _get(c, path), _get(p, path)
        assert new["n_traj"] * new["block_len"] == old["n_traj"] * old["block_len"], path
        assert new["n_traj"] > old["n_traj"] and new["block_len"] >= 20, path
        assert new.get("transient", 0) == old.get("transient", 0), path
    new, old = c["overlaps"]["prl6"]["sim"], p["overlaps"]["prl6"]["sim"]
    assert new["n_traj"] * new["n_samples"] == old["n_traj"] * old["n_samples"] and new["transient"] == old["transient"]
    assert new["n_samples"] > new["max_lag"]
    assert semantic_errors(merged) == []


def _get(d: dict, path: tuple) -> dict:
    for k in path:
        d = d[k]
    return d


def test_simulation_runs_count_every_realisation_and_rk4_step():
    """The work model behind the cost estimates, counted by hand for the test profile."""
    from rnnstruct.clark import targets
    from rnnstruct.clark.cluster import simulation_runs

    config = completed(yaml.safe_load((REPO / "config" / "test.yaml").read_text()))
    c = config["clark"]
    runs = simulation_runs(config)
    by_rule: dict = {}
    for r in runs:
        by_rule.setdefault(r.rule, []).append(r)
    s = c["simulation"]
    fig4 = by_rule["clark_simulate_points"]
    assert sum(r.count for r in fig4) == len(targets.points(config)) * s["reps"]
    steps = round((s["transient"] + s["n_blocks"] * s["block_len"] * s["sample_every"]) / s["dt"])
    assert all(r.steps == steps and r.n_traj == s["n_traj"] and r.N == s["N"] and r.observables == 2 for r in fig4)
    assert sum(r.traj_steps for r in fig4) == len(targets.points(config)) * s["reps"] * s["n_traj"] * steps
    gains = [r for r in by_rule["clark_gains_simulate"] if r.observables == 4]
    assert sum(r.count for r in gains) == len(targets.gains_tasks(config))
    prl6 = [r for r in by_rule["clark_overlaps_sim"] if r.observables == 0]
    s6 = c["overlaps"]["prl6"]["sim"]
    assert [r.count for r in prl6] == [len(c["overlaps"]["prl6"]["sim_g"]) * len(c["overlaps"]["prl6"]["sim_rho"]) * s6["reps"]]
    assert prl6[0].steps == round((s6["transient"] + s6["n_samples"] * s["sample_every"]) / s["dt"])
    # streamed covariance: 2 N^2 per sample column and observable, doubled by the Psi(tau, 0) projections
    r = fig4[0]
    assert r.stream_flops == r.count * r.samples * r.n_traj * 2.0 * r.N**2 * 2 * 2
    large = {"clark_large_n_points"} if targets.large_n_enabled(config) else set()
    assert set(by_rule) == (GPU_RULES - {"clark_large_n_points"}) | large | {"clark_prl_eigenmodes"}


def test_profile_flops_count_rk4_stream_and_analysis():
    """benchmarks/bench_clark.profile_flops: 8 N^2 per RK4 trajectory-step (four stages, one product each) plus
    the streamed statistics and the analyses, rule by rule."""
    import sys

    from rnnstruct.clark.cluster import simulation_runs

    sys.path.insert(0, str(REPO / "benchmarks"))
    import bench_clark

    config = completed(yaml.safe_load((REPO / "config" / "test.yaml").read_text()))
    flops = bench_clark.profile_flops(config)
    runs = simulation_runs(config)
    assert set(flops) == {r.rule for r in runs}
    for rule, f in flops.items():
        mine = [r for r in runs if r.rule == rule]
        rk4 = sum(r.count * r.n_traj * r.steps * 8.0 * r.N**2 for r in mine)
        extra = sum(r.stream_flops + r.count * (r.analysis_flops + r.lapack_flops) for r in mine)
        assert f == pytest.approx(rk4 + extra, rel=1e-12) and f >= rk4 > 0
