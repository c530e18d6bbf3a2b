#!/usr/bin/env python
"""Pilot runs for the Jarne training schedule: how many optimizer steps candidates need to pass the
success criterion, per (task, init, constraint) and schedule (learning rate, batch size).

Run as ``python benchmarks/pilot_jarne.py --task and --init normal --constraint 0.5 --lr 1e-4 --batch 32
--seeds 8 --cap 3000 [--N 100] [--every 50] [--config config/paper.yaml] [--early-stop] [--json PATH]``.
The candidates are attempts 0..seeds-1 of the condition under the data and seed of a profile (``--config``,
default the laptop's ``config/config.yaml``, with the given schedule), trained side by side by
:class:`rnnstruct.jarne.train.SlotTrainer` and checked on the held-out trials every ``--every`` steps with the
unchanged success criterion.  Without ``--early-stop`` nothing stops early, so the test MSE curve of every
candidate is printed to the cap; with it a candidate stops at its first pass, as in the workflow (the
steps to success are the same, the run is cheaper).  The laptop schedule in ``config/config.yaml`` cites the pilots it
was chosen from (docs/models/jarne2024.md#laptop-schedule).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import yaml

from rnnstruct.core.config import fill_defaults, load_schema
from rnnstruct.jarne import analysis
from rnnstruct.jarne import stages as stage
from rnnstruct.jarne import train

REPO = Path(__file__).resolve().parents[1]


def profile(args) -> tuple[dict, int]:
    cfg = fill_defaults(yaml.safe_load((REPO / args.config).read_text()),
                        load_schema(REPO / "workflow/schemas/config.schema.yaml"))
    p = cfg["jarne"]
    p["training"] = {**p["training"], "lr": args.lr, "batch_size": args.batch,
                     "epochs": -(-args.cap * args.batch // p["data"]["n_train"]) + 1}
    return p, cfg["seed"]


def run(args) -> dict:
    p, seed = profile(args)
    ei = None if args.constraint == "free" else float(args.constraint)
    cond = {"task": args.task, "init": args.init, "ei_frac": ei, "N": args.N}
    tr, te = stage.dataset(p, seed, args.task)
    trainer = train.SlotTrainer(N=args.N, slots=args.seeds, opt=stage._opt(p), x_train=tr.x, y_train=tr.y,
                                x_test=te.x)
    cands = [stage.candidate(p, seed, cond, a) for a in range(args.seeds)]
    for c, cand in enumerate(cands):
        trainer.load(c, cand.params, cand.mask, cand.constrained, args.cap)
    first = [None] * args.seeds
    curves = [[] for _ in range(args.seeds)]
    t0 = time.perf_counter()
    for s0 in range(0, args.cap, args.every):
        idx = np.zeros((args.every, args.seeds, args.batch), np.int32)
        wts = np.zeros((args.every, args.seeds, args.batch), np.float32)
        for c, cand in enumerate(cands):
            idx[:, c], wts[:, c] = train.batch_indices(cand.order, args.batch, np.arange(s0, s0 + args.every))
        trainer.advance(idx, wts)
        y = trainer.predict()
        for c in range(args.seeds):
            mse, ok = analysis.success(y[c][..., None], te.y, args.task, te.kind, p["success"])
            curves[c].append(round(mse, 5))
            if ok and first[c] is None:
                first[c] = s0 + args.every
                if args.early_stop:
                    trainer.clear(c)
        if args.early_stop and all(f is not None for f in first):
            break
    wall = time.perf_counter() - t0
    return {"config": str(args.config), "early_stop": bool(args.early_stop), "task": args.task, "init": args.init,
            "constraint": args.constraint, "N": args.N, "lr": args.lr, "batch": args.batch, "cap": args.cap, "every": args.every, "first_pass": first,
            "passed": sum(f is not None for f in first), "seeds": args.seeds, "wall_s": round(wall, 1),
            "test_mse": curves}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--task", default="and")
    ap.add_argument("--init", default="normal")
    ap.add_argument("--constraint", default="0.5", help="inhibitory fraction or 'free'")
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--cap", type=int, default=3000)
    ap.add_argument("--every", type=int, default=50)
    ap.add_argument("--N", type=int, default=100)
    ap.add_argument("--config", type=Path, default=Path("config/config.yaml"),
                    help="profile whose data, seed and criterion are used (relative to the repository)")
    ap.add_argument("--early-stop", action="store_true", help="stop a candidate at its first pass")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    res = run(args)
    steps = [f for f in res["first_pass"] if f is not None]
    print(f"{res['task']} {res['init']} {res['constraint']} N = {res['N']}, lr {res['lr']:g}, B = {res['batch']}: "
          f"{res['passed']}/{res['seeds']} passed within {res['cap']} steps; steps to success {sorted(steps)}; "
          f"{res['wall_s']} s")
    if args.json:
        with open(args.json, "a") as fh:
            fh.write(json.dumps(res) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
