"""Compute cost of a run, aggregated from Snakemake ``benchmark:`` files (TSV)."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Mapping

COLUMNS = ("rule", "jobs", "wall_s", "cpu_s", "max_rss_mb", "core_hours")


def read_benchmark(path: str | Path) -> dict:
    """One Snakemake benchmark TSV (first data row): wall seconds, CPU seconds, max RSS in MB."""
    with open(path, newline="") as fh:
        row = next(csv.DictReader(fh, delimiter="\t"))

    def num(key):
        try:
            return float(row[key])
        except (KeyError, TypeError, ValueError):
            return float("nan")

    return {"wall_s": num("s"), "cpu_s": num("cpu_time"), "max_rss_mb": num("max_rss")}


def summarize(files_by_rule: Mapping[str, list]) -> list[dict]:
    """Rows per rule plus a final ``total`` row.  Core-hours = wall seconds / 3600 (1 thread per job)."""
    agg: dict = defaultdict(lambda: {"jobs": 0, "wall_s": 0.0, "cpu_s": 0.0, "max_rss_mb": 0.0})
    for rule, files in files_by_rule.items():
        for f in files:
            b = read_benchmark(f)
            a = agg[rule]
            a["jobs"] += 1
            a["wall_s"] += b["wall_s"]
            a["cpu_s"] += b["cpu_s"]
            a["max_rss_mb"] = max(a["max_rss_mb"], b["max_rss_mb"])
    rows = [{"rule": r, **a, "core_hours": a["wall_s"] / 3600.0} for r, a in sorted(agg.items())]
    total = {
        "rule": "total",
        "jobs": sum(r["jobs"] for r in rows),
        "wall_s": sum(r["wall_s"] for r in rows),
        "cpu_s": sum(r["cpu_s"] for r in rows),
        "max_rss_mb": max((r["max_rss_mb"] for r in rows), default=0.0),
    }
    total["core_hours"] = total["wall_s"] / 3600.0
    return rows + [total]


def write_csv(rows: list[dict], path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{r[k]:.4g}" if isinstance(r[k], float) else r[k]) for k in COLUMNS})
    tmp.replace(path)
