"""Jarne & Caruso 2024: tasks, Dale projection during training, learning, radii, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from rnnstruct.core.config import load_schema
from rnnstruct.jarne import analysis, design, model, tasks
from rnnstruct.jarne import stages as stage

BASE = {
    "tasks": ["and"],
    "inits": ["normal", "orthogonal"],
    "ei_fracs": [0.5, 0.3],
    "unconstrained": True,
    "N": 20,
    "nets": 1,
    "size_sweep": {"task": "and", "init": "orthogonal", "ei_frac": 0.5, "N": [20, 30], "unconstrained": False},
    "dale_axis": "pre",
    "project_init": False,
    "gain": {"normal": 1.0, "orthogonal": 1.0},
    "data": {"n_train": 64, "n_test": 8},
    "training": {"epochs": 1, "batch_size": 16, "lr": 1e-3, "decay": 1e-4, "clipnorm": 0.5,
                 "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "slots": 4},
    "until_success": {"max_attempts": 2, "check_every": 2, "early_stop": True},
    "success": {"mse_max": 0.01, "tol": 0.25, "window": 100},
    "analysis": {"zero_threshold": 1e-4, "n_dominant": 6, "mad_k": 5.0, "q_out": 95.0, "q_in": 5.0},
    "claims": {"ring_ratio": 0.35, "flat_tol": 0.1},
}


# ---- tasks ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("task", ["and", "or", "xor"])
def test_boolean_task_timing_and_targets(task):
    kinds = np.array([0, 1, 2, 3, 3])
    jit = np.array([1, 17, 50, 33, 1])
    tr = tasks.boolean_trials(task, kinds, jit)
    assert tr.x.shape == (5, 290, 2) and tr.y.shape == (5, 290, 1) and tasks.trial_length(task) == 290
    truth = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "xor": [0, 1, 1, 0]}[task]
    base = 0.01 if task == "or" else 0.0
    for i, (k, d) in enumerate(zip(kinds, jit)):
        a, b = [(0, 0), (1, 0), (0, 1), (1, 1)][k]
        on = np.zeros(290, bool)
        on[60 + d : 80 + d] = True
        np.testing.assert_array_equal(tr.x[i, :, 0], a * on)
        np.testing.assert_array_equal(tr.x[i, :, 1], b * on)
        assert on.sum() == 20
        np.testing.assert_allclose(tr.y[i, : 100 + d, 0], base)
        np.testing.assert_allclose(tr.y[i, 100 + d :, 0], truth[k])


def test_flipflop_timing_and_targets():
    ch = np.array([[1, 0, 1], [0, 0, 1]])
    tr = tasks.flipflop_trials(ch)
    assert tr.x.shape == (2, 410, 2) and tasks.trial_length("ff") == 410
    for i in range(2):
        for m in range(3):
            onset = 50 + 120 * m
            c = ch[i, m]
            assert np.all(tr.x[i, onset : onset + 20, c] == 1) and np.all(tr.x[i, onset : onset + 20, 1 - c] == 0)
        assert tr.x[i].sum() == 60  # three 20-step pulses, nothing else
        np.testing.assert_allclose(tr.y[i, :90, 0], 0.01)
        np.testing.assert_allclose(tr.y[i, 90:210, 0], ch[i, 0])
        np.testing.assert_allclose(tr.y[i, 210:330, 0], ch[i, 1])
        np.testing.assert_allclose(tr.y[i, 330:, 0], ch[i, 2])


def test_sampling_is_seeded_and_test_set_is_held_out_and_balanced():
    a_tr, a_te = stage.dataset(BASE, 3, "xor")
    b_tr, b_te = stage.dataset(BASE, 3, "xor")
    np.testing.assert_array_equal(a_tr.x, b_tr.x)
    np.testing.assert_array_equal(a_te.x, b_te.x)
    assert list(a_te.kind) == [0, 1, 2, 3, 0, 1, 2, 3]
    assert a_tr.jitter.min() >= 1 and a_tr.jitter.max() <= 50
    c_tr, _ = stage.dataset(BASE, 4, "xor")
    assert not np.array_equal(a_tr.jitter, c_tr.jitter)
    assert not np.array_equal(a_tr.jitter[:8], a_te.jitter)  # own stream, not the training trials


# ---- model --------------------------------------------------------------------------------------
def test_sign_vector_inhibitory_first():
    s = model.sign_vector(10, 0.3)
    assert list(s) == [-1, -1, -1] + [1] * 7
    assert (model.sign_vector(100, 0.5) == -1).sum() == 50


@pytest.mark.parametrize("axis", ["pre", "post"])
def test_projection_signs(axis):
    rng = np.random.default_rng(0)
    W, W_in = rng.standard_normal((8, 8)), rng.standard_normal((8, 2))
    s = model.sign_vector(8, 0.25)
    Wp, Win_p = model.project(W, W_in, s, axis)
    lines = Wp if axis == "post" else Wp.T  # rows of W_rec (post) or columns (pre)
    for j in range(8):
        assert np.all(lines[j] * s[j] >= 0)
    assert np.all(Win_p >= 0)
    kept = Wp != 0
    np.testing.assert_array_equal(Wp[kept], W[kept])  # projection only zeroes entries


def test_orthogonal_init_is_orthogonal():
    Q = model.orthogonal(30, np.random.default_rng(1))
    np.testing.assert_allclose(Q @ Q.T, np.eye(30), atol=1e-12)
    np.testing.assert_allclose(np.abs(np.linalg.eigvals(Q)), 1.0, atol=1e-10)


# ---- training -----------------------------------------------------------------------------------
def _cond(ei_frac=0.5, init="normal"):
    return {"task": "and", "init": init, "ei_frac": ei_frac, "N": 20}


@pytest.mark.parametrize("axis", ["pre", "post"])
def test_every_step_keeps_presynaptic_columns_single_signed(axis):
    p = {**BASE, "dale_axis": axis}
    seen = []
    s = model.sign_vector(20, 0.5)

    def check(step, params):
        W = params["W_rec"]
        lines = W.T if axis == "pre" else W
        assert all(np.all(lines[j] * s[j] >= 0) for j in range(20)), step
        assert np.all(params["W_in"] >= 0), step
        seen.append(step)

    init_p, res, _ = stage.train_one(p, 5, _cond(), 0, progress=False, callback=check)
    assert seen == list(range(4))  # 64 trials / 16 per batch
    # the wrong-signed half of the initial entries was zeroed; Adam moves an entry by <~ lr per step,
    # so after 4 steps those entries are still within a few lr of zero
    assert np.mean(np.abs(res.params["W_rec"]) <= 5 * p["training"]["lr"]) > 0.3
    # the unconstrained twin is the same code with the projection off: mixed signs survive
    _, free, _ = stage.train_one(p, 5, _cond(None), 0, progress=False)
    W = free.params["W_rec"]
    assert np.any(W.T[:10] > 0) and np.any(free.params["W_in"] < 0)


def test_short_training_lowers_the_loss_on_and():
    """The loss falls below that of the best constant output (the variance of the targets): the network
    uses its inputs, it does not only learn the mean."""
    p = {**BASE, "data": {"n_train": 320, "n_test": 8},
         "training": {**BASE["training"], "epochs": 6, "lr": 1e-2}}
    _, res, _ = stage.train_one(p, 11, _cond(), 0, progress=False)
    train_set, _ = stage.dataset(p, 11, "and")
    first, last, constant = res.loss[:5].mean(), res.loss[-10:].mean(), float(train_set.y.var())
    assert last < first and last < 0.95 * constant, (first, last, constant)


def test_jax_forward_matches_numpy_reference():
    from rnnstruct.jarne import train

    p = model.initial_params(15, "normal", np.random.default_rng(2))
    x = tasks.sample("xor", 3, np.random.default_rng(3)).x
    H, Y = train.predict(p, x)
    H_ref, Y_ref = model.run(p, x)
    np.testing.assert_allclose(H, H_ref, atol=2e-5)
    np.testing.assert_allclose(Y, Y_ref, atol=2e-5)


def test_keras_decay_schedule_and_global_clip():
    import jax.numpy as jnp
    import optax

    from rnnstruct.jarne import train

    opt = train.optimizer(lr=0.1, decay=0.5, clipnorm=1.0, b1=0.9, b2=0.999, eps=1e-8)
    params = {"a": jnp.zeros(2), "b": jnp.zeros(1)}
    state = opt.init(params)
    g = {"a": jnp.array([30.0, 40.0]), "b": jnp.array([0.0])}
    clipped, _ = optax.clip_by_global_norm(1.0).update(g, optax.clip_by_global_norm(1.0).init(g))
    np.testing.assert_allclose(np.asarray(clipped["a"]), [0.6, 0.8], rtol=1e-6)  # jointly rescaled
    # first Adam step moves each parameter by ~lr0 (sign of the gradient); the second by lr0 / 1.5
    u1, state = opt.update(g, state, params)
    np.testing.assert_allclose(np.asarray(u1["a"]), [-0.1, -0.1], rtol=1e-4)
    u2, state = opt.update(g, state, params)
    np.testing.assert_allclose(np.asarray(u2["a"]), [-0.1 / 1.5, -0.1 / 1.5], rtol=1e-4)


# ---- radii on known matrices ---------------------------------------------------------------------
def test_radii_of_a_diagonal_matrix():
    d = np.array([3.0, -2.5, 2.0, 1.5, 1.2, 1.1, 0.9, 0.8, -0.5, 0.3, 0.2])
    mod = np.abs(analysis.eigenvalues(np.diag(d)))
    assert analysis.r_out(mod, 6) == 0.9  # the 7th largest modulus
    assert analysis.r_in(mod) == 0.2
    assert analysis.henrici(np.diag(d)) == pytest.approx(0.0, abs=1e-12)


def test_rotation_block_and_nilpotent_matrix():
    c, s = np.cos(0.3), np.sin(0.3)
    R = 0.7 * np.array([[c, -s], [s, c]])
    lam = analysis.eigenvalues(R)
    np.testing.assert_allclose(np.abs(lam), [0.7, 0.7])
    np.testing.assert_allclose(np.sort(np.angle(lam)), [-0.3, 0.3])
    J = np.array([[0.0, 2.0], [0.0, 0.0]])  # eigenvalues 0, ||J||_F = 2: maximally non-normal
    assert analysis.henrici(J) == pytest.approx(1.0)
    M = np.array([[1.0, 1.0], [0.0, 1.0]])  # ||M||_F^2 = 3, sum|lambda|^2 = 2 -> H = sqrt(1/3)
    assert analysis.henrici(M) == pytest.approx(np.sqrt(1 / 3))


def test_oscillation_frequency_symmetric_part_and_rank():
    theta = 2 * np.pi * 0.01  # 10 Hz at dt = 1 ms
    R = 1.2 * np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    coded, exact = analysis.oscillation_frequency(np.linalg.eigvals(R))
    assert exact == pytest.approx(10.0) and coded == pytest.approx(1000 * np.tan(theta) / (2 * np.pi))
    assert np.isnan(analysis.oscillation_frequency(np.array([0.5 + 0.5j, 1.5]))[0])  # none complex outside
    W = np.diag([0.5, -0.2, 0.0])
    W[0, 1] = 2.0
    summ, _ = analysis.matrix_summary(W, BASE["analysis"] | {"n_dominant": 1})
    assert summ["rank"] == 2.0
    assert summ["sym_max"] == pytest.approx(np.linalg.eigvalsh(0.5 * (W + W.T)).max())


def test_robust_radii_and_threshold():
    mod = np.concatenate([np.linspace(0.0, 1.0, 101), [50.0, 80.0]])
    rob = analysis.robust_radii(mod, mad_k=5.0, q_out=95.0, q_in=5.0)
    assert rob["n_outliers"] == 2
    assert rob["r_out_pct"] == pytest.approx(0.95) and rob["r_in_pct"] == pytest.approx(0.05)
    W = np.array([[5e-5, -0.3], [-5e-5, 2e-4]])
    np.testing.assert_array_equal(analysis.thresholded(W), [[0.0, -0.3], [0.0, 2e-4]])


def test_weight_stats_known_values():
    st = analysis.weight_stats(np.array([[0.0, 0.0], [1.0, -1.0]]))
    assert st["w_mean"] == 0.0 and st["w_std"] == pytest.approx(np.sqrt(0.5))
    assert st["zero_frac"] == 0.5 and st["w_skew"] == pytest.approx(0.0)
    assert st["w_kurtosis"] == pytest.approx(2.0 - 3.0)  # E z^4 = (2 * 4) / 4 = 2


def test_projected_normal_init_matches_theory_radius():
    """Projected N(0, 1/N) init (docs/models/jarne2024.md#theory): the column-centred part has bulk radius
    sqrt(1/2 - 1/(2 pi)) (circular law); the rank-one column means add a few eigenvalues just outside it
    (at N = 600 within 15 %).  Projected orthogonal init: annulus with r_in ~ sqrt(2/pi)/2 and
    r_out ~ sqrt(2 - 2/pi)/2 (free-probability heuristic, checked here to 10 %)."""
    N = 600
    rng = np.random.default_rng(0)
    s = model.sign_vector(N, 0.5)
    theory = np.sqrt(0.5 - 0.5 / np.pi)
    W = model.project(rng.standard_normal((N, N)) / np.sqrt(N), np.zeros((N, 2)), s)[0]
    centred = np.abs(analysis.eigenvalues(W - W.mean(axis=0, keepdims=True)))
    assert analysis.robust_radii(centred, q_out=99.0)["r_out_pct"] == pytest.approx(np.sqrt(0.99) * theory, rel=0.03)
    assert analysis.r_out(np.abs(analysis.eigenvalues(W))) == pytest.approx(theory, rel=0.15)
    O = model.project(model.orthogonal(N, rng), np.zeros((N, 2)), s)[0]
    rob = analysis.robust_radii(np.abs(analysis.eigenvalues(O)), q_out=99.0, q_in=1.0)
    assert rob["r_out_pct"] == pytest.approx(0.5 * np.sqrt(2 - 2 / np.pi), rel=0.1)
    assert rob["r_in_pct"] == pytest.approx(0.5 * np.sqrt(2 / np.pi), rel=0.1)


def test_success_criterion():
    tr = tasks.boolean_trials("and", np.array([0, 1, 2, 3]), np.array([5, 5, 5, 5]))
    p = BASE["success"]
    assert analysis.success(tr.y, tr.y, "and", tr.kind, p) == (0.0, True)
    off = tr.y.copy()
    off[3, -100:] = 0.6  # type 3 ends 0.4 away from its target
    mse, ok = analysis.success(off, tr.y, "and", tr.kind, p)
    assert not ok and mse > 0


def test_conditions_and_spectra_grid():
    conds = design.conditions(BASE)
    assert "and_normal_ei0.5_N20" in conds and "and_orthogonal_free_N20" in conds and "and_orthogonal_ei0.5_N30" in conds
    assert len(conds) == 2 * 3 + 1
    assert design.groups(BASE) == {"and_N20": [n for n in conds if n.endswith("_N20")],
                                   "and_N30": ["and_orthogonal_ei0.5_N30"]}
    nets = {}
    for names in design.groups(BASE).values():
        job = stage.train_job(BASE, 1, names)
        nets.update({name: stage.condition_networks(BASE, 1, job, name) for name in names})
    sp = stage.spectra(BASE, nets)
    assert sp["r_out"].dims == ("task", "init", "constraint", "N", "attempt")
    assert list(sp["constraint"].values) == ["ei0.3", "ei0.5", "free"]
    assert int(sp["trained"].sel(init="normal", N=30).sum()) == 0
    assert np.isnan(sp["r_out"].sel(init="normal", N=30)).all()
    # nothing learns in 4 steps: every condition tried max_attempts candidates
    assert int(sp["tried"].sum()) == 7 * 2 and int(sp["learned"].sum()) == 0
    W = nets["and_normal_ei0.5_N20"]["W_rec"].values[1]
    mod = np.abs(np.linalg.eigvals(analysis.thresholded(W)))
    assert float(sp["r_out"].sel(task="and", init="normal", constraint="ei0.5", N=20, attempt=1)) == pytest.approx(
        np.sort(mod)[-7])
    rows = stage.claims(BASE, sp)
    assert {r["id"] for r in rows} == {"shape_normal", "shape_orthogonal", "independent_of_N",
                                       "independent_of_ei", "smaller_than_free"}
    assert all(r["verdict"] in ("partly reproduced", "not reproduced") for r in rows)  # gated: none learned
    assert all("no network of these conditions learned" in r["numbers"] for r in rows)


def test_skipped_conditions_are_not_trained_and_unknown_names_are_refused():
    """``jarne.skip`` removes conditions from the design (they stay untrained cells); a name that is not
    a condition of the design is an error naming the key and the allowed names, from the design and from
    the config checks alike."""
    from rnnstruct.jarne import checks

    cut = {**BASE, "skip": ["and_normal_ei0.3_N20", "and_orthogonal_ei0.5_N30"]}
    conds = design.conditions(cut)
    assert set(design.conditions(BASE)) - set(conds) == {"and_normal_ei0.3_N20", "and_orthogonal_ei0.5_N30"}
    assert set(design.design_conditions(cut)) == set(design.conditions(BASE))
    assert design.groups(cut) == {"and_N20": [n for n in conds if n.endswith("_N20")]}
    bad = {**BASE, "skip": ["and_normal_ei0.4_N20"]}
    with pytest.raises(ValueError, match=r"'jarne.skip'.*and_normal_ei0.4_N20.*allowed: \['and_normal_ei0.3_N20'"):
        design.conditions(bad)
    (msg,) = checks.errors({"jarne": bad})
    assert msg.startswith("config key 'jarne.skip'") and "and_orthogonal_free_N20" in msg
    assert checks.errors({"jarne": cut}) == []
    every = {**BASE, "skip": sorted(design.conditions(BASE))}
    assert checks.errors({"jarne": every}) == ["config key 'jarne.skip': skips every condition of the design; "
                                                "nothing would be trained"]


def test_the_paper_profile_trains_every_condition_and_the_laptop_cut_is_valid():
    """config/paper.yaml is read over config/config.yaml (Snakemake merges the files): the laptop's
    ``jarne.skip`` must not reach the paper profile, and the laptop's cut names conditions of its design."""
    from conftest import profile

    for name in ("config/paper.yaml", "config/test.yaml"):
        j = profile(name)["jarne"]
        assert design.conditions(j) == design.design_conditions(j), name
    j = profile()["jarne"]
    assert 0 < len(j["skip"]) and set(j["skip"]) <= set(design.design_conditions(j))
    assert len(design.conditions(j)) == len(design.design_conditions(j)) - len(j["skip"])


def test_ei_claim_compares_only_pairs_with_two_fractions():
    """The E/I-independence claim measures the spread over fractions within a (task, init) that has two or
    more fractions with learned networks; a skipped or unlearned fraction gives no spread of 0."""
    import xarray as xr

    dims = ("task", "init", "constraint", "N", "attempt")
    # r_out per (task, init, fraction): and/normal has only ei0.5 (ei0.3 untrained); or/normal 0.60 and 0.66
    r = np.array([[[0.60, np.nan, 0.9]], [[0.60, 0.66, 0.9]]])[:, :, :, None, None]  # (task, init, constraint, N, attempt)
    ok = np.isfinite(r).astype(float)
    data = {v: (dims, r.copy()) for v in stage.MEASURES + ("r_out", "r_in_pct", "r_out_pct", "r_in")}
    data.update(success=(dims, np.where(ok > 0, 1.0, np.nan)), tried=(dims, ok.astype(np.int8)),
                trained=(dims[:4], ok[..., 0].astype(np.int8)))
    sp = xr.Dataset(data, coords={"task": ["and", "or"], "init": ["normal"], "constraint": ["ei0.5", "ei0.3", "free"],
                                  "N": [20], "attempt": [0]})
    p = {**BASE, "tasks": ["and", "or"], "inits": ["normal"], "size_sweep": {**BASE["size_sweep"], "init": "normal", "N": [20]}}
    (row,) = [x for x in stage.claims(p, sp) if x["id"] == "independent_of_ei"]
    assert "largest relative spread over fractions within a (task, init) 0.095" in row["numbers"]
    assert "1 (task, init) pair(s) with two or more fractions" in row["numbers"]
    assert row["verdict"] == "reproduced"  # 0.095 < 0.1; and/normal has one fraction, nothing to compare
    sp["r_out"].loc[{"task": "or", "constraint": "ei0.3"}] = np.nan  # no pair left: nothing supports the claim
    (row,) = [x for x in stage.claims(p, sp) if x["id"] == "independent_of_ei"]
    assert "0 (task, init) pair(s)" in row["numbers"] and row["verdict"] == "not reproduced"


def test_committed_notes_list_every_jarne_recon_key():
    """docs/reproduction/jarne2024.md is generated by the pipeline; a new [RECON] key must be followed by
    regenerating and committing it."""
    from pathlib import Path


    from rnnstruct.core import notes

    repo = Path(__file__).resolve().parents[2]
    schema = load_schema(repo / "workflow/schemas/config.schema.yaml")
    text = (repo / "docs/reproduction/jarne2024.md").read_text()
    assert "Generated by rnnstruct" in text
    keys = [k for k, _ in notes.recon_keys(schema) if k.startswith("jarne.")]
    assert len(keys) >= 10
    for key in keys:
        assert f"`{key}`" in text, f"{key} missing: run `make figures` and commit the notes"


def test_verdicts_are_capped_when_a_condition_has_too_few_learned_networks():
    """A claim about trained networks cannot be 'reproduced' while a condition lacks learned networks."""
    import xarray as xr

    success = np.array([[1.0, 0.0, np.nan], [0.0, 0.0, 0.0], [1.0, 1.0, np.nan]])[None, None, :, None, :]
    dims = ("task", "init", "constraint", "N", "attempt")
    sp = xr.Dataset(
        {v: (dims, success) for v in stage.MEASURES + ("r_out", "success")}
        | {"tried": (dims, np.isfinite(success).astype(np.int8)), "trained": (dims[:4], np.ones((1, 1, 3, 1)))},
        coords={"task": ["and"], "init": ["normal"], "constraint": ["ei0.3", "ei0.5", "free"], "N": [20],
                "attempt": [0, 1, 2]},
    )
    rows = [{"numbers": "x", "verdict": v} for v in ("reproduced", "partly reproduced", "not reproduced")]
    capped = stage._training_gate(rows, sp, 1)  # and_normal_ei0.5_N20: 0 of 3 learned
    assert [r["verdict"] for r in capped] == ["partly reproduced", "partly reproduced", "not reproduced"]
    assert all("1 of its condition(s) with fewer than 1 learned networks (and_normal_ei0.5_N20)" in r["numbers"]
               for r in capped)
    # a claim is capped only by the conditions it is tested on (its cells); the cells do not reach the table
    own = [{"numbers": "x", "verdict": "reproduced", "cells": {"constraint": ["ei0.3", "free"]}},
           {"numbers": "x", "verdict": "reproduced", "cells": {"init": "normal", "constraint": "ei0.5"}},
           {"numbers": "x", "verdict": "reproduced", "cells": {"N": [20]}}]
    gated = stage._training_gate(own, sp, 1)
    assert [r["verdict"] for r in gated] == ["reproduced", "partly reproduced", "partly reproduced"]
    assert gated[0] == {"numbers": "x", "verdict": "reproduced"}
    table = {r["condition"]: r for r in stage.success_table(sp)}
    assert (table["and_normal_ei0.3_N20"]["passed"], table["and_normal_ei0.3_N20"]["n"]) == (1, 2)
    assert (table["and_normal_ei0.5_N20"]["passed"], table["and_normal_ei0.5_N20"]["n"]) == (0, 3)
    sp["success"].loc[{"constraint": "ei0.5", "attempt": 2}] = 1.0
    assert stage._training_gate(rows, sp, 1) == rows  # every condition has a learned network
    assert "fewer than 2 learned" in stage._training_gate(rows, sp, 2)[0]["numbers"]


def test_pca_modes_standard_and_literal():
    """jarne.pca_mode: standard projects the unit-centred time x units data on its top right singular
    vectors; literal returns the top-3 components of the (time-point-centred) units x time matrix as time
    series; unknown modes are rejected."""
    from rnnstruct.jarne.figures import pca_literal, pca_project, pca_trajectories

    rng = np.random.default_rng(3)
    T, N = 40, 7
    H = rng.standard_normal((T, 3)) @ rng.standard_normal((3, N)) + 0.05 * rng.standard_normal((T, N)) + 2.0
    Hc = H - H.mean(axis=0)
    _, s, Vt = np.linalg.svd(Hc, full_matrices=False)
    Z = pca_trajectories(H, "standard")
    assert Z.shape == (T, 3)
    np.testing.assert_allclose(Z, Hc @ Vt[:3].T, atol=1e-12)
    np.testing.assert_allclose(Z, pca_project(H), atol=1e-12)
    np.testing.assert_allclose((Z**2).sum(axis=0), s[:3] ** 2, rtol=1e-10)  # variance ordered by PC
    X = H.T - H.T.mean(axis=0)  # units x time, each time point centred over units
    _, _, Ut = np.linalg.svd(X, full_matrices=False)
    L = pca_trajectories(H, "literal")
    assert L.shape == (T, 3)
    np.testing.assert_allclose(L, pca_literal(H), atol=1e-12)
    np.testing.assert_allclose(L.T @ L, np.eye(3), atol=1e-10)  # unit-norm, orthogonal components
    np.testing.assert_allclose(np.abs(L), np.abs(Ut[:3].T), atol=1e-10)  # up to the SVD sign
    # the two modes are genuinely different objects (not a rescaling of each other)
    assert not np.allclose(np.abs(L / np.linalg.norm(L, axis=0)), np.abs(Z / np.linalg.norm(Z, axis=0)), atol=1e-3)
    with pytest.raises(ValueError, match="pca_mode"):
        pca_trajectories(H, "ica")
