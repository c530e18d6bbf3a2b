"""Jarne & Caruso 2024: batched training (explicit BPTT, SlotTrainer) and the train-until-success protocol.

Batched training equals one-at-a-time training within float32 rounding; a network's result does not
depend on the networks trained beside it (bit for bit); the Dale projection holds for every network
after every step; which candidates are tried, and what they learn, is deterministic and independent of
the job layout."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from rnnstruct.jarne import design, protocol
from rnnstruct.jarne import stages as stage
from test_jarne import BASE

P = {**BASE, "data": {"n_train": 40, "n_test": 8}, "training": {**BASE["training"], "epochs": 2}}
NAMES = ["and_normal_ei0.5_N20", "and_orthogonal_ei0.3_N20", "and_normal_free_N20"]


# ---- explicit backpropagation through time ----------------------------------------------------------
def test_loss_and_grad_equals_autodiff_with_trial_weights():
    """loss_and_grad (explicit BPTT) = jax.value_and_grad of the MSE; zero-weight trials drop out."""
    import jax
    import jax.numpy as jnp

    from rnnstruct.jarne import model, tasks, train

    rng = np.random.default_rng(4)
    p = {k: jnp.asarray(v, dtype=jnp.float32) for k, v in model.initial_params(12, "normal", rng).items()}
    p["b"] = p["b"] + 0.1
    p["b_out"] = p["b_out"] - 0.05
    tr = tasks.sample("xor", 6, rng)
    x, y = jnp.asarray(tr.x), jnp.asarray(tr.y)
    w = jnp.asarray([1, 1, 0, 1, 0, 1], dtype=jnp.float32)
    loss, g = jax.jit(train.loss_and_grad)(p, x, y, w)
    keep = np.flatnonzero(np.asarray(w))
    ref_loss, ref = jax.value_and_grad(train.mse)(p, x[keep], y[keep])
    assert float(loss) == pytest.approx(float(ref_loss), rel=1e-6)
    for k in train.PARAM_NAMES:
        scale = float(jnp.max(jnp.abs(ref[k])))
        assert scale > 0, k
        np.testing.assert_allclose(np.asarray(g[k]), np.asarray(ref[k]), atol=1e-5 * scale, err_msg=k)


def test_batch_indices_match_the_reference_batches():
    from rnnstruct.jarne import train

    order = np.stack([np.random.default_rng(k).permutation(40) for k in range(2)])
    ref = train.batches(order, 16)  # 16, 16, 8 per epoch
    idx, wts = train.batch_indices(order, 16, np.arange(8))
    for s in range(6):
        n = ref[s].size
        np.testing.assert_array_equal(idx[s, :n], ref[s])
        assert np.all(wts[s, :n] == 1) and np.all(wts[s, n:] == 0) and np.all(idx[s, n:] == 0)
    assert np.all(wts[6:] == 0)  # past the last epoch: padding only


# ---- the slot trainer -------------------------------------------------------------------------------
def _trainer(slots: int, p=P, seed=3):
    from rnnstruct.jarne import train

    tr, te = stage.dataset(p, seed, "and")
    return train.SlotTrainer(N=p["N"], slots=slots, opt=stage._opt(p), x_train=tr.x, y_train=tr.y, x_test=te.x)


def _run(trainer, cands, steps, slots_of=None, per_call=None):
    """Load ``cands`` into slots ``slots_of`` and train ``steps`` steps (in calls of ``per_call``)."""
    from rnnstruct.jarne import train

    slots_of = slots_of or list(range(len(cands)))
    for c, cand in zip(slots_of, cands):
        trainer.load(c, cand.params, cand.mask, cand.constrained, steps)
    losses = []
    per_call = per_call or steps
    for s0 in range(0, steps, per_call):
        idx = np.zeros((per_call, trainer.slots, 16), np.int32)
        wts = np.zeros((per_call, trainer.slots, 16), np.float32)
        for c, cand in zip(slots_of, cands):
            idx[:, c], wts[:, c] = train.batch_indices(cand.order, 16, np.arange(s0, s0 + per_call))
        losses.append(trainer.advance(idx, wts))
        yield np.concatenate(losses)


def test_batched_training_equals_one_network_at_a_time():
    """Three networks (Dale normal, Dale orthogonal at another fraction, unconstrained) trained side by
    side for 6 steps (two epochs of 16 + 16 + 8 trials: incomplete batches included) equal the reference
    trainer (autodiff, one network) within float32 rounding: weights to 1e-6, losses to 1e-5 relative."""
    conds = design.conditions(P)
    cands = [stage.candidate(P, 3, conds[n], 2) for n in NAMES]
    trainer = _trainer(3)
    *_, losses = _run(trainer, cands, 6)
    for c, name in enumerate(NAMES):
        _, ref, _ = stage.train_one(P, 3, conds[name], 2, progress=False)
        assert ref.loss.size == 6
        np.testing.assert_allclose(losses[:, c], ref.loss, rtol=1e-5)
        got = trainer.weights(c)
        for k, v in ref.params.items():
            np.testing.assert_allclose(got[k], v, rtol=0, atol=1e-6, err_msg=f"{name} {k}")
        assert np.abs(got["W_rec"] - cands[c].params["W_rec"]).max() > 1e-3  # training moved the weights


def test_a_network_does_not_depend_on_its_neighbours():
    """Same number of slots, other neighbours, other slot, other call lengths: bit for bit the same."""
    conds = design.conditions(P)
    a = [stage.candidate(P, 3, conds[n], 0) for n in NAMES]
    other = stage.candidate(P, 3, conds["and_orthogonal_free_N20"], 5)
    t1, t2 = _trainer(4), _trainer(4)
    *_, l1 = _run(t1, a, 6)
    *_, l2 = _run(t2, [other, a[2], a[0]], 6, slots_of=[0, 1, 3], per_call=2)
    np.testing.assert_array_equal(l1[:, 0], l2[:, 3])
    np.testing.assert_array_equal(l1[:, 2], l2[:, 1])
    for k in ("W_rec", "W_in", "b", "W_out", "b_out"):
        np.testing.assert_array_equal(t1.weights(0)[k], t2.weights(3)[k])
        np.testing.assert_array_equal(t1.weights(2)[k], t2.weights(1)[k])


@pytest.mark.parametrize("axis", ["pre", "post"])
def test_projection_holds_for_every_network_after_every_step(axis):
    """Step by step: every constrained slot has single-signed lines of W_rec (per presynaptic column or
    per postsynaptic row) and W_in >= 0 after every optimizer step; the unconstrained slot keeps mixed
    signs; a slot past its step limit does not move."""
    p = {**P, "dale_axis": axis}
    conds = design.conditions(p)
    cands = [stage.candidate(p, 3, conds[n], 1) for n in NAMES]
    trainer = _trainer(4, p)
    signs = {c: stage._sign(conds[n])[0] for c, n in enumerate(NAMES)}
    frozen = None
    for k, _ in enumerate(_run(trainer, cands, 6, per_call=1)):
        for c, name in enumerate(NAMES):
            w = trainer.weights(c)
            if conds[name]["ei_frac"] is None:
                assert np.any(w["W_rec"] > 0) and np.any(w["W_rec"] < 0) and np.any(w["W_in"] < 0)
                continue
            lines = w["W_rec"].T if axis == "pre" else w["W_rec"]
            s = signs[c]
            assert all(np.all(lines[j] * s[j] >= 0) for j in range(len(s))), (name, k)
            assert np.all(w["W_in"] >= 0), (name, k)
        if k == 2:
            trainer.clear(0)
            frozen = trainer.weights(0)
    for key, v in trainer.weights(0).items():
        np.testing.assert_array_equal(v, frozen[key])


# ---- the protocol (bookkeeping, with a stand-in trainer) -----------------------------------------------
class FakeTrainer:
    """Stands in for SlotTrainer: a candidate 'passes' at the step its outcome table says (or never)."""

    def __init__(self, slots, outcomes):
        self.slots, self.outcomes = slots, outcomes
        self.loaded = [None] * slots
        self.step = [0] * slots
        self.stop = [0] * slots
        self.started = []

    def load(self, slot, params, mask, constrained, stop):
        self.loaded[slot], self.step[slot], self.stop[slot] = params["key"], 0, stop
        self.started.append(params["key"])

    def clear(self, slot):
        self.stop[slot] = self.step[slot]

    def advance(self, idx, wts):
        for c in range(self.slots):
            self.step[c] = min(self.step[c] + idx.shape[0], self.stop[c])
        return np.zeros((idx.shape[0], self.slots))

    def predict(self):
        out = np.zeros((self.slots, 1, 1))
        for c in range(self.slots):
            if self.loaded[c] is not None:
                at = self.outcomes.get(self.loaded[c])
                out[c] = 0.0 if at is not None and self.step[c] >= at else 1.0
        return out

    def weights(self, slot):
        return {"key": self.loaded[slot]}


def _protocol(outcomes, names, slots, nets=2, max_attempts=6, cap=40, every=10, early_stop=True):
    fake = FakeTrainer(slots, outcomes)

    def make(name, a):
        return protocol.Candidate({"key": (name, a)}, None, True, np.zeros((1, 16), np.int64))

    recs = protocol.train_until_success(
        fake, names, make, lambda name, y: (float(y.mean()), bool(y.mean() == 0.0)), nets=nets,
        max_attempts=max_attempts, cap=cap, check_every=every, batch_size=16, early_stop=early_stop)
    return recs, fake


def _random_outcomes(rng, names, n=8, p_success=0.4):
    return {(name, a): int(rng.integers(1, 45)) for name in names for a in range(n) if rng.random() < p_success}


@pytest.mark.parametrize("seed", range(6))
def test_tried_candidates_do_not_depend_on_slots_or_grouping(seed):
    """For random outcome tables: the tried attempts of every condition are 0..K-1, K one past the
    nets-th success (or max_attempts), whatever the number of slots and however conditions are grouped
    into jobs; records say when each candidate passed."""
    names = ["a", "b", "c"]
    outcomes = _random_outcomes(np.random.default_rng(seed), names)
    ref, _ = _protocol(outcomes, names, slots=1)
    for name in names:
        ok = [a for a in range(6) if outcomes.get((name, a), 99) <= 40]
        K = ok[1] + 1 if len(ok) >= 2 else 6
        assert [r.attempt for r in ref[name]] == list(range(K))
        for r in ref[name]:
            at = outcomes.get((name, r.attempt), 99)
            assert r.success == (at <= 40)
            # early stop: the first check at or after the passing step (checks every 10 steps), else the cap
            assert r.steps == (min(-(-at // 10) * 10, 40) if r.success else 40) and r.params["key"] == (name, r.attempt)
            assert r.first_pass == (r.steps if r.success else -1)
    for slots, split in itertools.product((2, 3, 5, 8), ([names], [["a"], ["b", "c"]], [["c", "a"], ["b"]])):
        got = {}
        for part in split:
            got.update(_protocol(outcomes, part, slots)[0])
        for name in names:
            assert [(r.attempt, r.success, r.steps) for r in got[name]] == [
                (r.attempt, r.success, r.steps) for r in ref[name]], (slots, split, name)


def test_retry_until_max_attempts_and_speculative_candidates_are_dropped():
    # 'a' never passes: all max_attempts tried, each to the cap; 'b' passes at attempts 1 and 2
    outcomes = {("b", 1): 5, ("b", 2): 25, ("b", 3): 35}
    recs, fake = _protocol(outcomes, ["a", "b"], slots=8)
    assert [(r.attempt, r.success, r.steps) for r in recs["a"]] == [(a, False, 40) for a in range(6)]
    assert [(r.attempt, r.success, r.steps) for r in recs["b"]] == [(0, False, 40), (1, True, 10), (2, True, 30)]
    assert ("b", 3) in fake.started  # started in parallel, cancelled once attempt 2 passed (K = 3)
    # without early stop every candidate trains to the cap and the final check decides
    recs, _ = _protocol(outcomes, ["b"], slots=2, early_stop=False)
    assert [(r.attempt, r.success, r.steps, r.first_pass) for r in recs["b"]] == [
        (0, False, 40, -1), (1, True, 40, 10), (2, True, 40, 30)]


def test_attempts_bookkeeping_errors():
    with pytest.raises(ValueError, match="nets <= max_attempts"):
        protocol.Attempts(["a"], nets=3, max_attempts=2)
    att = protocol.Attempts(["a"], nets=1, max_attempts=3)
    assert att.start("a") == 0 and att.start("a") == 1
    att.finish("a", 1, True)
    assert att.bound("a") == 2 and not att.startable("a") and not att.done("a")
    with pytest.raises(RuntimeError, match="not finished"):
        att.tried("a")
    att.finish("a", 0, True)
    assert att.bound("a") == 1 and att.tried("a") == [0]


# ---- the stage: determinism, job layout, early stop -----------------------------------------------
def _job(p, names, seed=5):
    return stage.train_job(p, seed, names)


def test_train_job_is_deterministic_and_independent_of_the_job_layout():
    """Same configuration: bit-identical candidates, whether the conditions are trained in one job or in
    two (other neighbours in the slots), and on a rerun."""
    p = {**P, "until_success": {"max_attempts": 2, "check_every": 2, "early_stop": True}}
    one = _job(p, NAMES)
    again = _job(p, NAMES)
    split = {name: _job(p, part) for part in (NAMES[:1], NAMES[1:]) for name in part}
    for name in NAMES:
        a = stage.condition_networks(p, 5, one, name)
        for other in (stage.condition_networks(p, 5, again, name), stage.condition_networks(p, 5, split[name], name)):
            for v in ("W_rec", "W_in", "W_out", "b_rec", "b_out", "loss", "check_mse", "y_pred", "eigval_re",
                      "steps", "success"):
                np.testing.assert_array_equal(a[v].values, other[v].values, err_msg=f"{name} {v}")
        assert list(a["attempt"].values) == [0, 1]


def test_early_stop_keeps_the_weights_of_the_passing_check():
    """A criterion every network meets (mse_max and tol huge): the first candidate of each condition
    passes at the first check, training stops there (NaN losses afterwards) and only `nets` candidates
    are tried; the impossible criterion tries max_attempts candidates, each to the step cap."""
    easy = {**P, "nets": 1, "success": {"mse_max": 10.0, "tol": 10.0, "window": 100},
            "until_success": {"max_attempts": 3, "check_every": 2, "early_stop": True}}
    job = _job(easy, NAMES)
    for name in NAMES:
        ds = stage.condition_networks(easy, 5, job, name)
        assert list(ds["attempt"].values) == [0]
        assert int(ds["steps"][0]) == 2 and int(ds["success"][0]) == 1 and float(ds["steps_to_success"][0]) == 2
        loss = ds["loss"].values[0]
        assert np.isfinite(loss[:2]).all() and np.isnan(loss[2:]).all()
        # the kept weights are those after 2 steps of the reference trainer
        _, ref, _ = stage.train_one(easy, 5, design.conditions(easy)[name], 0, progress=False, max_steps=2)
        np.testing.assert_allclose(ds["W_rec"].values[0], ref.params["W_rec"], atol=1e-6)
        np.testing.assert_allclose(ds["y_pred"].values[0], ref_outputs(ref.params, ds), atol=1e-5)
    hard = {**easy, "success": {"mse_max": 1e-9, "tol": 1e-9, "window": 100}}
    job = _job(hard, NAMES[:1])
    ds = stage.condition_networks(hard, 5, job, NAMES[0])
    assert stage.step_cap(hard) == 6
    assert list(ds["attempt"].values) == [0, 1, 2] and np.all(ds["steps"].values == 6)
    assert np.all(ds["success"].values == 0) and np.isnan(ds["steps_to_success"].values).all()
    assert np.isfinite(ds["check_mse"].values).all()  # checks at steps 2, 4, 6


def ref_outputs(params, ds):
    from rnnstruct.jarne import model

    return model.run(params, ds["x_test"].values)[1][..., 0]


def test_condition_networks_refuses_other_parameters_and_missing_conditions():
    from rnnstruct.core import chunks, io

    p = {**P, "until_success": {"max_attempts": 1, "check_every": 2, "early_stop": True}}
    job = _job(p, NAMES[:1])
    with pytest.raises(ValueError, match="was not trained in the job file"):
        stage.condition_networks(p, 5, job, NAMES[1])
    job.attrs["parameters"] = io.canonical_json({**p, "seed": 5, "nets": 99})
    job.attrs["seed_entropy"] = "5"
    stage.condition_networks({**p, "seed": 5, "nets": 99}, 5, job, NAMES[0])  # the recorded parameters: fine
    with pytest.raises(chunks.ChunkError, match="'nets' is 99 there and 1 here"):
        stage.condition_networks({**p, "seed": 5}, 5, job, NAMES[0])
    with pytest.raises(ValueError, match="share task and N"):
        stage.train_job(p, 5, ["and_normal_ei0.5_N20", "and_orthogonal_ei0.5_N30"])
