"""Reservoir computing (rnnstruct.metzner.reservoir): task specifications, ridge readout, harvest, evaluation.

Reference implementations: plain numpy (normal equations, lstsq, a per-step loop) and reservoirpy
0.4.2 (a test-only dependency: its ``Ridge`` and ``Reservoir`` nodes).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rnnstruct.metzner import reservoir as rv
from rnnstruct.core import seeds

REPO = Path(__file__).resolve().parents[2]
CLUSTERS = {"D": 2, "M": 8, "sigma": 0.1, "classes": 2}
SEQMEM = {"alphabet": 4, "delays": [1, 2, 3, 4, 5]}
SEQGEN = {"classes": 4, "length": 10, "alphabet": 4}
PARAMS = {"clusters": CLUSTERS, "seqmem": SEQMEM, "seqgen": SEQGEN}


def gens(key, stream=0, instance=0):
    """(sample generator, instance generator) for a test key."""
    return seeds.rng(11, ("res-test", key, "stream", stream)), seeds.rng(
        11, ("res-test", key, "inst", instance)
    )


def task(name, params, T, S, key=0, stream=0, instance=0):
    return rv.make_task(name, params, T, S, *gens(key, stream, instance))


def network(N, D, g, key=0, R=1, S=1, in_scale=1.0):
    """R Gaussian reservoirs W ~ N(0, g^2/N), Win ~ N(0, in_scale^2/D), x0 ~ U(-1, 1), v0 ~ N(0, 1)."""
    r = seeds.rng(12, ("res-net", N, D, g, key, R, S))
    W = g * r.standard_normal((R, N, N)) / np.sqrt(N)
    Win = in_scale * r.standard_normal((R, N, D)) / np.sqrt(D)
    return W, Win, r.uniform(-1, 1, (R, N, S)), r.standard_normal((R, N, S))


# ---------------------------------------------------------------------------------------------
# 1. task specifications
# ---------------------------------------------------------------------------------------------


def _cluster_ids(points, radius):
    """Cluster index per point: points closer than ``radius`` share a cluster (tight, far-apart clusters)."""
    d = np.linalg.norm(points[:, None, :] - points[None, :, :], axis=-1)
    first = np.argmax(d < radius, axis=1)  # index of the first point of the same cluster
    return np.unique(first, return_inverse=True)[1]


def test_clusters_spec():
    """Shapes; M clusters of SD sigma; each cluster has one class; M/classes clusters per class;
    the label of step t is the class of u(t); train and test streams share the instance."""
    T, S, M, K, sigma = 400, 3, 8, 2, 1e-4
    params = {"D": 2, "M": M, "sigma": sigma, "classes": K}
    d = task("clusters", params, T, S)
    assert d.inputs.shape == (T, S, 2) and d.labels.shape == (T, S, 1)
    assert d.heads == ("class",) and d.n_classes == (K,) and d.labels.dtype.kind == "i"
    u, y = d.inputs.reshape(-1, 2), d.labels.reshape(-1)
    ids = _cluster_ids(u, 1e-2)
    assert ids.max() + 1 == M  # all M clusters emitted, none merged
    centres = np.array([u[ids == j].mean(axis=0) for j in range(M)])
    assert np.all(np.abs(centres) <= 1.0)
    dev = u - centres[ids]
    assert abs(dev.std() / sigma - 1.0) < 0.05  # u = c_j + sigma N(0, I)
    cls = np.array([np.unique(y[ids == j]) for j in range(M)])
    assert cls.shape == (M, 1)  # label = class of the emitting cluster
    assert np.array_equal(np.bincount(cls[:, 0], minlength=K), np.full(K, M // K))  # balanced
    # another sample stream of the same instance: the same centres and classes, other samples
    d2 = task("clusters", params, T, S, stream=1)
    assert not np.array_equal(d2.inputs, d.inputs)
    u2, y2 = d2.inputs.reshape(-1, 2), d2.labels.reshape(-1)
    nearest = np.argmin(np.linalg.norm(u2[:, None] - centres[None], axis=-1), axis=1)
    assert np.max(np.linalg.norm(u2 - centres[nearest], axis=1)) < 1e-2
    assert np.array_equal(y2, cls[nearest, 0])
    # another instance: other centres
    d3 = task("clusters", params, T, S, instance=1)
    assert np.min(np.linalg.norm(d3.inputs.reshape(-1, 2)[:1] - centres, axis=1)) > 1e-2


def test_seqmem_spec():
    """One-hot inputs; head k's label is the input symbol delays[k] steps earlier (-1 before)."""
    T, S, delays = 60, 2, [1, 3, 7]
    d = task("seqmem", {"alphabet": 5, "delays": delays}, T, S)
    assert d.inputs.shape == (T, S, 5) and d.labels.shape == (T, S, 3)
    assert d.heads == ("delay1", "delay3", "delay7") and d.n_classes == (5, 5, 5)
    assert np.array_equal(d.inputs.sum(axis=-1), np.ones((T, S))) and set(np.unique(d.inputs)) == {0.0, 1.0}
    sym = np.argmax(d.inputs, axis=-1)
    assert len(np.unique(sym)) == 5
    for k, tau in enumerate(delays):
        assert np.all(d.labels[:tau, :, k] == -1)
        assert np.array_equal(d.labels[tau:, :, k], sym[:-tau])


def test_seqgen_spec():
    """Cue at every trial's first step (and nothing else); targets: the cued class's fixed sequence;
    the last, partial trial keeps the targets of the steps it has; sequences are instance-fixed."""
    K, L, A, S = 3, 4, 5, 2
    P = L + 1
    T = 40 * P + 3  # 40 full trials, then a partial one of 3 steps (cue + 2 symbols)
    params = {"classes": K, "length": L, "alphabet": A}
    d = task("seqgen", params, T, S)
    assert d.inputs.shape == (T, S, K) and d.labels.shape == (T, S, 1)
    assert d.heads == ("symbol",) and d.n_classes == (A,)
    phase = np.arange(T) % P
    cue = phase == 0
    assert np.array_equal(d.inputs[cue].sum(axis=-1), np.ones((cue.sum(), S)))  # one-hot cue
    assert set(np.unique(d.inputs[cue])) == {0.0, 1.0}
    assert np.all(d.inputs[~cue] == 0.0)
    assert np.all(d.labels[cue] == -1) and np.all(d.labels[~cue] >= 0)
    seq = {}
    for s in range(S):
        for start in range(0, T, P):
            c = int(np.argmax(d.inputs[start, s]))
            got = d.labels[start + 1 : start + P, s, 0]
            ref = seq.setdefault(c, got)
            assert np.array_equal(got, ref[: len(got)])  # same sequence for every cue of class c
    assert sorted(seq) == list(range(K)) and all(len(v) == L for v in seq.values())
    assert len({tuple(v) for v in seq.values()}) == K  # (this instance's sequences differ)
    # same instance, other samples: the same sequences
    d2 = task("seqgen", params, T, S, stream=1)
    assert not np.array_equal(d2.inputs, d.inputs)
    for start in range(0, T - P + 1, P):
        c = int(np.argmax(d2.inputs[start, 0]))
        assert np.array_equal(d2.labels[start + 1 : start + P, 0, 0], seq[c])


@pytest.mark.parametrize("name", rv.TASKS)
def test_task_determinism(name):
    a = task(name, PARAMS[name], 50, 2)
    b = task(name, PARAMS[name], 50, 2)
    c = task(name, PARAMS[name], 50, 2, stream=1)
    assert np.array_equal(a.inputs, b.inputs) and np.array_equal(a.labels, b.labels)
    assert not np.array_equal(a.inputs, c.inputs)


@pytest.mark.parametrize(
    "name, params, match",
    [
        ("nope", CLUSTERS, r"unknown task 'nope'; allowed: clusters, seqmem, seqgen"),
        ("clusters", {"D": 2, "M": 8, "classes": 2}, r"'sigma' is missing"),
        ("clusters", {**CLUSTERS, "classes": 3}, r"'classes' must divide M = 8 .*allowed: \[2, 4, 8\]"),
        ("clusters", {**CLUSTERS, "sigma": -0.1}, r"'sigma' must be a finite number >= 0"),
        ("clusters", {**CLUSTERS, "D": 0}, r"'D' must be an integer >= 1"),
        ("clusters", {**CLUSTERS, "M": 8.0}, r"'M' must be an integer >= 2"),
        (
            "clusters",
            {**CLUSTERS, "sigmas": 0.1},
            r"unknown clusters parameter\(s\) \['sigmas'\]; allowed keys",
        ),
        (
            "seqmem",
            {"alphabet": 4, "delays": []},
            r"'delays' must be a non-empty list of distinct integers >= 1",
        ),
        ("seqmem", {"alphabet": 4, "delays": [0, 1]}, r"'delays' must be a non-empty list"),
        ("seqmem", {"alphabet": 4, "delays": [2, 2]}, r"'delays' must hold distinct integers"),
        ("seqmem", {"alphabet": 1, "delays": [1]}, r"'alphabet' must be an integer >= 2"),
        ("seqgen", {**SEQGEN, "length": 0}, r"'length' must be an integer >= 1"),
        ("seqgen", {**SEQGEN, "alphabet": True}, r"'alphabet' must be an integer >= 2"),
    ],
)
def test_bad_task_params(name, params, match):
    with pytest.raises(ValueError, match=match):
        task(name, params, 20, 1)


# ---------------------------------------------------------------------------------------------
# 2. ridge readout from sufficient statistics
# ---------------------------------------------------------------------------------------------


def _design(n=300, F=12, C=3, key=0):
    r = seeds.rng(13, ("ridge-design", n, F, C, key))
    X = 5.0 + r.standard_normal((n, F)) * r.uniform(0.1, 3.0, F)
    X[:, 1] = 0.3 * X[:, 0] + 0.01 * r.standard_normal(n)  # correlated features
    Y = rv.one_hot(r.integers(0, C, n), C)
    return X, Y


def _direct_ridge(X, Y, ridge):
    """Reference: standardise directly, solve [Z 1] with the penalty on beta only, two ways."""
    mean, std = X.mean(axis=0), X.std(axis=0)
    Z = (X - mean) / std
    A = np.hstack([Z, np.ones((len(Z), 1))])
    pen = np.diag(np.r_[np.full(Z.shape[1], ridge), 0.0])
    theta_ne = np.linalg.solve(A.T @ A + pen, A.T @ Y)  # normal equations
    aug = np.vstack([A, np.sqrt(pen)])  # lstsq on the augmented (Tikhonov) system
    theta_ls = np.linalg.lstsq(aug, np.vstack([Y, np.zeros((len(pen), Y.shape[1]))]), rcond=None)[0]
    return mean, std, theta_ne, theta_ls


@pytest.mark.parametrize("ridge", [1e-4, 1.0, 50.0])
def test_fit_ridge_equals_direct_solve(ridge):
    """Stated tolerance: 1e-10 relative (weights, bias, predictions)."""
    X, Y = _design()
    ro = rv.fit_ridge(rv.sufficient_statistics(X, Y), ridge)
    mean, std, theta_ne, theta_ls = _direct_ridge(X, Y, ridge)
    np.testing.assert_allclose(ro.mean, mean, rtol=1e-12)
    np.testing.assert_allclose(ro.scale, std, rtol=1e-10)
    for theta in (theta_ne, theta_ls):
        np.testing.assert_allclose(ro.beta, theta[:-1], rtol=0, atol=1e-10 * np.abs(theta).max())
        np.testing.assert_allclose(ro.bias, theta[-1], rtol=0, atol=1e-10 * np.abs(theta).max())
    pred = np.hstack([(X - mean) / std, np.ones((len(X), 1))]) @ theta_ne
    np.testing.assert_allclose(rv.predict(ro, X), pred, rtol=0, atol=1e-10 * np.abs(pred).max())
    assert ro.ridge == ridge


def test_statistics_in_blocks_equal_one_shot():
    """Blocks (each about its own shift, one empty) add up to the one-shot statistics (1e-10)."""
    X, Y = _design(n=301)
    cuts = [0, 40, 40, 170, 301]
    blocks = [rv.sufficient_statistics(X[a:b], Y[a:b]) for a, b in zip(cuts[:-1], cuts[1:])]
    acc = blocks[0]
    for blk in blocks[1:]:
        acc = rv.add_statistics(acc, blk)
    one = rv.sufficient_statistics(X, Y)
    assert acc["n"] == one["n"] == 301
    for key in ("sum_x", "sum_y", "xx", "xy"):
        np.testing.assert_allclose(acc[key], one[key], rtol=0, atol=1e-10 * np.abs(one[key]).max())
    zero = rv.add_statistics(
        rv.sufficient_statistics(X[:100], Y[:100], np.zeros(12)),
        rv.sufficient_statistics(X[100:], Y[100:], np.zeros(12)),
    )
    np.testing.assert_allclose(zero["xx"], X.T @ X, rtol=1e-12)  # shift 0: the plain sums
    np.testing.assert_allclose(zero["xy"], X.T @ Y, rtol=1e-12)
    a, b = rv.fit_ridge(acc, 1e-3), rv.fit_ridge(one, 1e-3)
    np.testing.assert_allclose(a.beta, b.beta, rtol=0, atol=1e-10 * np.abs(b.beta).max())
    np.testing.assert_allclose(a.bias, b.bias, rtol=1e-12)


def test_constant_and_saturated_features():
    """A constant feature gets scale 1 and zero weight and leaves the fit unchanged (1e-10); a
    nearly constant (saturated) feature keeps its true, tiny std (1e-6 relative)."""
    X, Y = _design()
    r = seeds.rng(14, ("saturated",))
    Xc = np.hstack([X, np.full((len(X), 1), 0.7), 1.0 - 1e-9 * r.uniform(0, 1, (len(X), 1))])
    ro = rv.fit_ridge(rv.sufficient_statistics(Xc, Y), 1e-2)
    assert ro.scale[12] == 1.0 and np.all(ro.beta[12] == 0.0)
    np.testing.assert_allclose(ro.scale[13], Xc[:, 13].std(), rtol=1e-6)
    ref = rv.fit_ridge(rv.sufficient_statistics(np.hstack([X, Xc[:, 13:]]), Y), 1e-2)
    np.testing.assert_allclose(rv.predict(ro, Xc), rv.predict(ref, np.hstack([X, Xc[:, 13:]])), atol=1e-10)
    # all features constant: the readout predicts the class frequencies
    flat = rv.fit_ridge(rv.sufficient_statistics(np.ones((50, 3)), Y[:50]), 1e-4)
    np.testing.assert_allclose(rv.predict(flat, np.ones((2, 3))), np.tile(Y[:50].mean(axis=0), (2, 1)))


def test_one_hot_and_multi_head_readouts():
    labels = np.array([[0, -1], [2, 1], [-1, 0]])
    np.testing.assert_array_equal(
        rv.one_hot(labels, (3, 2)), [[1, 0, 0, 0, 0], [0, 0, 1, 0, 1], [0, 0, 0, 1, 0]]
    )
    np.testing.assert_array_equal(rv.one_hot(np.array([1, -1]), 2), [[0, 1], [0, 0]])
    with pytest.raises(ValueError, match="outside -1..1"):
        rv.one_hot(np.array([2]), 2)
    # heads with different valid rows: each head's readout equals a fit on its own rows (1e-12)
    X, _ = _design(n=200, F=6)
    r = seeds.rng(15, ("heads",))
    lab = r.integers(0, 3, (200, 3))
    lab[:5, 1] = -1
    lab[:9, 2] = -1
    ros = rv.fit_readouts(X, lab, (3, 3, 3), 1e-3)
    for h, ro in enumerate(ros):
        ok = lab[:, h] >= 0
        ref = rv.fit_ridge(rv.sufficient_statistics(X[ok], rv.one_hot(lab[ok, h], 3)), 1e-3)
        np.testing.assert_allclose(ro.beta, ref.beta, rtol=0, atol=1e-12 * np.abs(ref.beta).max())
        np.testing.assert_allclose(ro.mean, ref.mean, rtol=1e-13)
    pred = rv.classify(ros, X)
    assert np.array_equal(pred[:, 0], np.argmax(rv.predict(ros[0], X), axis=1))


# ---------------------------------------------------------------------------------------------
# 3. reservoirpy equivalence
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clusters_states():
    """States of one N = 100 reservoir (g = 0.9) on the clusters task, 2 streams pooled."""
    washout, n_train, n_test, S = 100, 600, 300, 2
    d = task("clusters", CLUSTERS, washout + n_train + n_test, S, key="rpy")
    W, Win, x0, _ = network(100, 2, 0.9, key="rpy", S=S)
    states, _ = rv.harvest(W, Win, x0, d.inputs[None], washout=washout)
    seg = lambda a, b: rv._segment_rows(states[0], d.labels, a, b)  # noqa: E731
    return (W, Win, x0, d, states) + seg(washout, washout + n_train) + seg(washout + n_train, len(d.inputs))


@pytest.mark.parametrize("ridge", [1e-4, 10.0])
def test_ridge_matches_reservoirpy(clusters_states, ridge):
    """reservoirpy 0.4.2 ``Ridge(ridge, fit_bias=True)`` centres X and Y before solving, so its
    bias is unregularised like ours: on the same standardised features and one-hot targets the
    predictions agree to 1e-8 relative and the argmax is identical (also at a large ridge, where
    a regularised bias would differ)."""
    from reservoirpy.nodes import Ridge

    *_, Xtr, Ltr, Xte, Lte = clusters_states
    (ro,) = rv.fit_readouts(Xtr, Ltr, (2,), ridge)
    Ytr = rv.one_hot(Ltr, (2,))
    node = Ridge(ridge=ridge, fit_bias=True).fit((Xtr - ro.mean) / ro.scale, Ytr)
    for X in (Xtr, Xte):
        ours, theirs = rv.predict(ro, X), node.run((X - ro.mean) / ro.scale)
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-8 * np.abs(ours).max())
        assert np.array_equal(np.argmax(ours, axis=1), np.argmax(theirs, axis=1))
    np.testing.assert_allclose(node.Wout, ro.beta, rtol=0, atol=1e-9 * np.abs(ro.beta).max())
    np.testing.assert_allclose(np.ravel(node.bias), ro.bias, rtol=1e-10)
    np.testing.assert_allclose(ro.bias, Ytr.mean(axis=0), rtol=1e-12)  # bias = mean target


def test_reservoir_states_match_reservoirpy(clusters_states):
    """reservoirpy's Reservoir(W, Win, lr=1, bias=0, tanh) from x0 gives our states (1e-12)."""
    from reservoirpy.nodes import Reservoir

    W, Win, x0, d, states, *_ = clusters_states
    for s in range(2):
        res = Reservoir(W=W[0], Win=Win[0], lr=1.0, bias=0.0, activation="tanh")
        res.initialize(d.inputs[:, s])
        res.state = {"out": x0[0, :, s].copy()}
        np.testing.assert_allclose(res.run(d.inputs[:, s]), states[0, :, :, s], rtol=0, atol=1e-12)


# ---------------------------------------------------------------------------------------------
# 4. harvest
# ---------------------------------------------------------------------------------------------


def test_harvest_equals_numpy_loop_and_is_batch_independent():
    """States equal x <- tanh(W x + Win u) per stream (1e-12); a stack of 3 matrices gives
    bitwise the states and driven exponents of each matrix alone."""
    R, N, S, D, T, washout = 3, 30, 3, 2, 60, 10
    W, Win, x0, v0 = network(N, D, 1.2, key="loop", R=R, S=S)
    inputs = seeds.rng(16, ("loop-in",)).standard_normal((R, T, S, D))
    states, lyap = rv.harvest(W, Win, x0, inputs, washout=washout, v0=v0)
    assert states.shape == (R, T, N, S) and lyap.shape == (R, S)
    for r in range(R):
        for s in range(S):
            x = x0[r, :, s]
            for t in range(T):
                x = np.tanh(W[r] @ x + Win[r] @ inputs[r, t, s])
                assert np.max(np.abs(states[r, t, :, s] - x)) <= 1e-12
        one, lyap1 = rv.harvest(
            W[r : r + 1], Win[r : r + 1], x0[r : r + 1], inputs[r : r + 1], washout=washout, v0=v0[r : r + 1]
        )
        assert np.array_equal(one[0], states[r]) and np.array_equal(lyap1[0], lyap[r])
    nolyap = rv.harvest(W, Win, x0, inputs, washout=washout)
    # (with v0 and few streams, simulate multiplies W @ [X | V] at once: equal to rounding only)
    np.testing.assert_allclose(nolyap[0], states, rtol=0, atol=1e-12)
    assert np.all(np.isnan(nolyap[1]))


def test_driven_lyapunov_sign():
    """Echo state (g = 0.5, unit input): lambda < 0; chaotic (g = 3, input 0.01): lambda > 0."""
    T, washout, S = 600, 200, 2
    d = task("clusters", CLUSTERS, T, S, key="lyap")
    W, Win, x0, v0 = network(100, 2, 0.5, key="lyap", S=S)
    _, lam = rv.harvest(W, Win, x0, d.inputs[None], washout=washout, v0=v0)
    assert np.all(lam < -0.1)
    W, Win, x0, v0 = network(100, 2, 3.0, key="lyap", S=S, in_scale=0.01)
    _, lam = rv.harvest(W, Win, x0, d.inputs[None], washout=washout, v0=v0)
    assert np.all(lam > 0.1)


# ---------------------------------------------------------------------------------------------
# 5. evaluate
# ---------------------------------------------------------------------------------------------


def test_evaluate_learnable_and_chance():
    """g = 0.5, N = 100, clusters (washout 100, train 2000, test 1000): test accuracy > 0.8 and
    accuracy_train >= accuracy - 0.05.  Control: with labels independent of the inputs the test
    accuracy is chance, |acc - 0.5| < 0.07 (4.4 binomial SDs at n = 1000)."""
    washout, n_train, n_test = 100, 2000, 1000
    d = task("clusters", CLUSTERS, washout + n_train + n_test, 1, key="learn")
    W, Win, x0, v0 = network(100, 2, 0.5, key="learn")
    ev = rv.evaluate(W, Win, x0, v0, [d], washout=washout, n_train=n_train, ridge=1e-4)
    assert set(ev) >= {"accuracy", "accuracy_train", "accuracy_head", "lyap_driven"}
    assert ev["accuracy"].shape == (1,) and ev["accuracy_head"].shape == (1, 1)
    assert ev["accuracy"][0] > 0.8, ev
    assert ev["accuracy_train"][0] >= ev["accuracy"][0] - 0.05
    assert ev["lyap_driven"][0] < 0
    shuffled = rv.TaskData(
        d.inputs, seeds.rng(17, ("shuffle",)).integers(0, 2, d.labels.shape), (2,), ("class",)
    )
    ev0 = rv.evaluate(W, Win, x0, None, shuffled, washout=washout, n_train=n_train, ridge=1e-4)
    assert abs(ev0["accuracy"][0] - 0.5) < 0.07
    assert np.isnan(ev0["lyap_driven"][0])


def test_evaluate_per_matrix_tasks_seqmem():
    """Per-matrix task instances in one stacked call give the results of separate calls
    (bitwise); seqmem reports one accuracy per delay, delay 1 learnt at g = 0.5."""
    R, S, washout, n_train, n_test = 3, 2, 50, 200, 100
    datas = [task("seqmem", SEQMEM, washout + n_train + n_test, S, key=f"mem{r}") for r in range(R)]
    W, Win, x0, v0 = network(60, 4, 0.5, key="mem", R=R, S=S)
    labels = [f"net{r}" for r in range(R)]
    ev = rv.evaluate(W, Win, x0, v0, datas, washout=washout, n_train=n_train, ridge=1e-4, labels=labels)
    assert ev["accuracy_head"].shape == (R, 5)
    np.testing.assert_allclose(ev["accuracy"], ev["accuracy_head"].mean(axis=1))
    assert np.all(ev["accuracy_head"][:, 0] > 0.95)
    for r in range(R):
        sl = slice(r, r + 1)
        one = rv.evaluate(
            W[sl], Win[sl], x0[sl], v0[sl], datas[r], washout=washout, n_train=n_train, ridge=1e-4
        )
        for key in ev:
            assert np.array_equal(one[key][0], ev[key][r]), key


def test_evaluate_errors_name_the_matrix():
    d = task("clusters", CLUSTERS, 80, 1, key="err")
    W, Win, x0, v0 = network(20, 2, 0.5, key="err", R=2)
    bad = rv.TaskData(d.inputs.copy(), d.labels, d.n_classes, d.heads)
    bad.inputs[30, 0, 1] = np.inf
    with pytest.raises(FloatingPointError, match="non-finite inputs for net B"):
        rv.evaluate(W, Win, x0, v0, [d, bad], washout=10, n_train=40, ridge=1e-4, labels=["net A", "net B"])
    W2 = W.copy()
    W2[1, 0, 0] = np.nan
    with pytest.raises(FloatingPointError, match="net B"):
        rv.evaluate(W2, Win, x0, v0, d, washout=10, n_train=40, ridge=1e-4, labels=["net A", "net B"])
    with pytest.raises(ValueError, match="test steps"):
        rv.evaluate(W, Win, x0, v0, d, washout=10, n_train=70, ridge=1e-4)
    with pytest.raises(ValueError, match="one TaskData per matrix"):
        rv.evaluate(W, Win, x0, v0, [d], washout=10, n_train=40, ridge=1e-4)


# ---------------------------------------------------------------------------------------------
# benchmark smoke test
# ---------------------------------------------------------------------------------------------


def test_bench_reservoir_quick():
    """benchmarks/bench_reservoir.py --quick runs (exit 0); its timings are never asserted."""
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_reservoir.py"), "--quick"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert proc.returncode == 0, f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
