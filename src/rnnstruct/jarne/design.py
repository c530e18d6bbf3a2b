"""The experimental design of the Jarne stage: which conditions are trained.

A condition is (task, initialisation, E/I fraction or unconstrained, N).  :func:`conditions` lists
the main grid task x init x (E/I fraction or unconstrained) at size N plus the size sweep (one task,
init and fraction over N), in a fixed order without duplicates, less the conditions named in ``skip``
(a profile that cannot afford some of them; they stay untrained cells of the outputs);
:func:`condition_name` names the output file of each.
"""

from __future__ import annotations

from typing import Mapping


#: the keys of the jarne section a training job reads (with ``seed``): data, schedule, success test and the
#: Dale constraint; which conditions it trains comes with their names
TRAINING_KEYS = ("data", "gain", "training", "until_success", "success", "project_init", "dale_axis", "nets")


def constraint_label(ei_frac) -> str:
    return "free" if ei_frac is None else f"ei{float(ei_frac):g}"


def condition_name(task: str, init: str, ei_frac, N: int) -> str:
    return f"{task}_{init}_{constraint_label(ei_frac)}_N{int(N)}"


def parse_condition(name: str) -> dict:
    """The inverse of :func:`condition_name`: ``{"task", "init", "ei_frac", "N"}`` of a condition name
    (a training job reads its conditions from their names, not from the design keys)."""
    try:
        task, init, label, n = name.split("_")
        if not n.startswith("N") or not (label == "free" or label.startswith("ei")):
            raise ValueError
        ei_frac = None if label == "free" else float(label[2:])
        return {"task": task, "init": init, "ei_frac": ei_frac, "N": int(n[1:])}
    except ValueError:
        raise ValueError(
            f"{name!r} is not a condition name (<task>_<init>_<ei<fraction>|free>_N<size>)"
        ) from None


def design_conditions(p: Mapping) -> dict[str, dict]:
    """Every condition of the design (main grid and size sweep), by name, before ``skip``."""
    out: dict[str, dict] = {}

    def add(task, init, ei_frac, N):
        name = condition_name(task, init, ei_frac, N)
        out.setdefault(name, {"task": task, "init": init, "ei_frac": ei_frac, "N": int(N)})

    fracs = list(p["ei_fracs"]) + ([None] if p["unconstrained"] else [])
    for task in p["tasks"]:
        for init in p["inits"]:
            for f in fracs:
                add(task, init, f, p["N"])
    sw = p["size_sweep"]
    for N in sw["N"]:
        for f in [sw["ei_frac"]] + ([None] if sw["unconstrained"] else []):
            add(sw["task"], sw["init"], f, N)
    return out


def skip_errors(p: Mapping) -> list[str]:
    """What is wrong with ``skip`` (empty when nothing): names that are not conditions of the design, or
    a skip of every condition; each message names the key (and the allowed names)."""
    every = design_conditions(p)
    skip = list(p.get("skip", []))
    unknown = [n for n in skip if n not in every]
    if unknown:
        return [f"config key 'jarne.skip': {unknown} are not conditions of the design; allowed: {sorted(every)}"]
    if every and set(every) <= set(skip):
        return ["config key 'jarne.skip': skips every condition of the design; nothing would be trained"]
    return []


def conditions(p: Mapping) -> dict[str, dict]:
    """Every trained condition of the ``jarne`` config section, by name (ordered, no duplicates): the
    design less ``skip`` (a ``skip`` with :func:`skip_errors` is refused with its message)."""
    problems = skip_errors(p)
    if problems:
        raise ValueError(problems[0])
    skip = set(p.get("skip", []))
    return {n: c for n, c in design_conditions(p).items() if n not in skip}


def groups(p: Mapping) -> dict[str, list[str]]:
    """Conditions that can be trained side by side in one compiled step: the same task (same data and
    trial length) and the same N, keyed ``<task>_N<N>``, in configuration order."""
    out: dict[str, list[str]] = {}
    for name, c in conditions(p).items():
        out.setdefault(f"{c['task']}_N{c['N']}", []).append(name)
    return out
