#!/usr/bin/env python
"""Reservoir-computing pipeline: ``rnnstruct.metzner.reservoir`` against reservoirpy 0.4.2.

Run as ``python benchmarks/bench_reservoir.py [--quick] [--json PATH]``.  Both sides do the same
work on the same network, input matrix and task (``docs/models/metzner2025.md#reservoir-computing``, task
``clusters``): drive an N = 100 tanh reservoir x(t+1) = tanh(W x(t) + Win u(t)) through washout, training and
test steps, standardise the training states, fit a ridge readout with an unregularised bias, and predict the
classes of the training and test steps.  Before timing, the script checks that reservoirpy's states equal
rnnstruct's (to 1e-10) and that both readouts make the same predictions.  One BLAS thread throughout.  See
benchmarks/README.md; the goal is printed, never asserted in tests.
"""

from __future__ import annotations

import os

# One BLAS thread, set before numpy is imported (threadpool_limits below enforces it as well).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import math  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
from harness import best_time, blas_summary, run_cli  # noqa: E402

from rnnstruct.metzner import reservoir as rv  # noqa: E402

SEED = 20251124
N = 100
GAIN = 0.9  # W = GAIN * standard_normal / sqrt(N): echo-state regime (the timing hardly depends on it)
TASK = {"D": 2, "M": 8, "sigma": 0.1, "classes": 2}
RIDGE = 1e-4
STACK = 16  # the workflow's batch of matrices per evaluate call
STREAMS = 4  # the workflow's streams per matrix (informational row only)
GOAL_SPEEDUP = 10.0
STATE_TOL = 1e-10  # max |x_rnnstruct - x_reservoirpy|
SCORE_TOL = 1e-8  # max |score difference| / max |score|

FULL = {"washout": 100, "n_train": 2000, "n_test": 1000, "repeats": 3}
QUICK = {"washout": 20, "n_train": 200, "n_test": 100, "repeats": 1}


def networks(R: int, T: int, S: int = 1) -> dict:
    """R independent realisations: W, Win, x0, v0 and clusters task data (S streams of T steps)."""
    rng = np.random.default_rng(SEED)
    D = TASK["D"]
    W = GAIN * rng.standard_normal((R, N, N)) / math.sqrt(N)
    Win = rng.standard_normal((R, N, D)) / math.sqrt(D)
    x0 = rng.uniform(-1.0, 1.0, (R, N, S))
    v0 = rng.standard_normal((R, N, S))
    data = [
        rv.make_task(
            "clusters", TASK, T, S, np.random.default_rng([SEED, r, 1]), np.random.default_rng([SEED, r, 2])
        )
        for r in range(R)
    ]
    return {"W": W, "Win": Win, "x0": x0, "v0": v0, "data": data}


def rnnstruct_pipeline(net: dict, sl: slice, setup: dict, lyap: bool, streams: int = 1) -> dict:
    """``rnnstruct.metzner.reservoir.evaluate`` on the matrices ``sl`` of ``net`` (one stacked call)."""
    return rv.evaluate(
        net["W"][sl],
        net["Win"][sl],
        net["x0"][sl],
        net["v0"][sl] if lyap else None,
        net["data"][sl],
        washout=setup["washout"],
        n_train=setup["n_train"] // streams,
        ridge=RIDGE,
    )


def reservoirpy_pipeline(W, Win, x0, data: rv.TaskData, setup: dict) -> dict:
    """The same pipeline with reservoirpy nodes: Reservoir (lr = 1, tanh, no bias) and Ridge."""
    from reservoirpy.nodes import Reservoir, Ridge

    washout, n_train = setup["washout"], setup["n_train"]
    u = data.inputs[:, 0, :]  # (T, D), the one stream
    y = data.labels[:, 0, 0]
    res = Reservoir(W=W, Win=Win, lr=1.0, bias=0.0, activation="tanh")
    res.initialize(u)
    res.state = {"out": x0[:, 0].copy()}
    states = res.run(u)  # (T, N); states[t] = x(t+1)
    Xtr, Xte = states[washout : washout + n_train], states[washout + n_train :]
    mean, std = Xtr.mean(axis=0), Xtr.std(axis=0)
    scale = np.where(std > 0, std, 1.0)
    Ztr, Zte = (Xtr - mean) / scale, (Xte - mean) / scale
    ytr, yte = y[washout : washout + n_train], y[washout + n_train :]
    readout = Ridge(ridge=RIDGE, fit_bias=True)
    readout.fit(Ztr, rv.one_hot(ytr, data.n_classes[0]))
    scores_tr, scores_te = readout.run(Ztr), readout.run(Zte)
    return {
        "states": states,
        "scores_test": scores_te,
        "accuracy": float(np.mean(np.argmax(scores_te, axis=1) == yte)),
        "accuracy_train": float(np.mean(np.argmax(scores_tr, axis=1) == ytr)),
    }


def check_equivalence(net: dict, setup: dict) -> dict:
    """States and predictions of both pipelines agree on network 0 (raises otherwise)."""
    washout, n_train = setup["washout"], setup["n_train"]
    d = net["data"][0]
    states, _ = rv.harvest(net["W"][:1], net["Win"][:1], net["x0"][:1], d.inputs[None], washout=washout)
    ours = states[0, :, :, 0]  # (T, N)
    ref = reservoirpy_pipeline(net["W"][0], net["Win"][0], net["x0"][0], d, setup)
    state_err = float(np.max(np.abs(ours - ref["states"])))
    if not state_err <= STATE_TOL:
        raise AssertionError(f"reservoirpy states differ from rnnstruct's: max |dx| = {state_err:g}")
    Xtr, Ltr = ours[washout : washout + n_train], d.labels[washout : washout + n_train, 0]
    readouts = rv.fit_readouts(Xtr, Ltr, d.n_classes, RIDGE)
    scores = rv.predict(readouts[0], ours[washout + n_train :])
    score_err = float(np.max(np.abs(scores - ref["scores_test"])) / np.max(np.abs(scores)))
    if not score_err <= SCORE_TOL:
        raise AssertionError(f"reservoirpy readout scores differ: max relative difference {score_err:g}")
    if not np.array_equal(np.argmax(scores, axis=1), np.argmax(ref["scores_test"], axis=1)):
        raise AssertionError("reservoirpy and rnnstruct predict different test classes")
    ev = rnnstruct_pipeline(net, slice(0, 1), setup, lyap=False)
    if ev["accuracy"][0] != ref["accuracy"] or ev["accuracy_train"][0] != ref["accuracy_train"]:
        raise AssertionError(
            f"accuracies differ: rnnstruct {ev['accuracy'][0]}/{ev['accuracy_train'][0]}, "
            f"reservoirpy {ref['accuracy']}/{ref['accuracy_train']}"
        )
    return {
        "max_state_diff": state_err,
        "max_rel_score_diff": score_err,
        "accuracy": ref["accuracy"],
        "accuracy_train": ref["accuracy_train"],
    }


def measure(quick: bool) -> dict:
    import reservoirpy

    setup = QUICK if quick else FULL
    T = setup["washout"] + setup["n_train"] + setup["n_test"]
    R = 4 if quick else STACK
    net = networks(R, T)
    check = check_equivalence(net, setup)
    reps = setup["repeats"]

    def per_net(fn, count):
        return best_time(fn, reps) / count

    rows = []
    t_rpy = per_net(
        lambda: reservoirpy_pipeline(net["W"][0], net["Win"][0], net["x0"][0], net["data"][0], setup), 1
    )
    rows.append({"pipeline": "reservoirpy", "stack": 1, "streams": 1, "lyap": False, "s_per_network": t_rpy})
    for stack, lyap in ((1, False), (R, False), (1, True), (R, True)):
        t = per_net(lambda: rnnstruct_pipeline(net, slice(0, stack), setup, lyap), stack)
        rows.append({"pipeline": "rnnstruct", "stack": stack, "streams": 1, "lyap": lyap, "s_per_network": t})
    # informational: the workflow's layout, the same train/test samples spread over STREAMS streams
    # (each with its own washout), all streams of a matrix advancing together
    T4 = setup["washout"] + (setup["n_train"] + setup["n_test"]) // STREAMS
    net4 = networks(R, T4, STREAMS)
    for lyap in (False, True):
        t = per_net(lambda: rnnstruct_pipeline(net4, slice(0, R), setup, lyap, STREAMS), R)
        rows.append(
            {"pipeline": "rnnstruct", "stack": R, "streams": STREAMS, "lyap": lyap, "s_per_network": t}
        )
    for row in rows:
        row["speedup"] = t_rpy / row["s_per_network"]

    def row_of(stack, streams, lyap):
        return next(
            r
            for r in rows
            if r["pipeline"] == "rnnstruct"
            and (r["stack"], r["streams"], r["lyap"]) == (stack, streams, lyap)
        )

    goal_row, single_row = row_of(R, 1, False), row_of(1, 1, False)
    goal = {
        "name": f"speed-up >= {GOAL_SPEEDUP:g}x",
        "comparison": f"rnnstruct stack of {R} (amortised per network, no lambda_max) vs reservoirpy, one network",
        "value": goal_row["speedup"],
        "threshold": GOAL_SPEEDUP,
        "pass": bool(goal_row["speedup"] >= GOAL_SPEEDUP),
        "single_network_speedup": single_row["speedup"],
        "single_network_pass": bool(single_row["speedup"] >= GOAL_SPEEDUP),
    }
    return {
        "setup": {
            "quick": quick,
            "N": N,
            "gain": GAIN,
            "task": {"name": "clusters", **TASK},
            "washout": setup["washout"],
            "n_train": setup["n_train"],
            "n_test": setup["n_test"],
            "streams": 1,
            "ridge": RIDGE,
            "stack": R,
            "repeats": reps,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "reservoirpy": reservoirpy.__version__,
            "blas": blas_summary(),
        },
        "check": check,
        "rows": rows,
        "goal": goal,
    }


def print_report(res: dict) -> None:
    s, c = res["setup"], res["check"]
    blas = ", ".join(
        f"{b['internal_api']} {b['version']} ({b['architecture']}, {b['num_threads']} thread)"
        for b in s["blas"]
    )
    print(
        f"reservoir pipeline, task clusters (D={s['task']['D']}, M={s['task']['M']}, sigma={s['task']['sigma']}, "
        f"classes={s['task']['classes']}), N={s['N']}, gain {s['gain']}, washout {s['washout']}, "
        f"train {s['n_train']}, test {s['n_test']}, 1 stream, ridge {s['ridge']:g}"
    )
    print(f"numpy {s['numpy']}, scipy {s['scipy']}, reservoirpy {s['reservoirpy']}; BLAS: {blas}")
    if s["quick"]:
        print("QUICK MODE: timings too short to judge the goal")
    print(
        f"check (network 0): max |x_rnnstruct - x_reservoirpy| = {c['max_state_diff']:.1e} (<= {STATE_TOL:g}), "
        f"max relative readout-score difference = {c['max_rel_score_diff']:.1e} (<= {SCORE_TOL:g}), identical "
        f"predictions; accuracy test {c['accuracy']:.3f}, train {c['accuracy_train']:.3f}"
    )
    print()
    print(
        f"| {'pipeline':<11} | {'stack':>5} | {'streams':>7} | {'lambda_max':>10} | {'ms/network':>10} | "
        f"{'speed-up':>8} |"
    )
    print(f"|{'-' * 13}|{'-' * 6}:|{'-' * 8}:|{'-' * 11}:|{'-' * 11}:|{'-' * 9}:|")
    for r in res["rows"]:
        print(
            f"| {r['pipeline']:<11} | {r['stack']:>5} | {r['streams']:>7} | {'yes' if r['lyap'] else 'no':>10} | "
            f"{1e3 * r['s_per_network']:>10.2f} | {r['speedup']:>7.1f}x |"
        )
    g = res["goal"]
    print()
    print(
        f"goal {g['name']} ({g['comparison']}): {g['value']:.1f}x {'PASS' if g['pass'] else 'FAIL'}; "
        f"single network alone: {g['single_network_speedup']:.1f}x {'PASS' if g['single_network_pass'] else 'FAIL'}"
    )


def main(argv=None) -> int:
    return run_cli(__doc__, measure, print_report, "tiny runs (a few seconds), for the smoke test", argv)


if __name__ == "__main__":
    sys.exit(main())
