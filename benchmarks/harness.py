"""Shared pieces of the benchmark scripts: timing, BLAS description and the command line."""

from __future__ import annotations

import argparse
import json
import math
import platform
import time
from pathlib import Path
from typing import Callable

import threadpoolctl


def best_time(fn: Callable[[], object], repeats: int) -> float:
    """Shortest wall time of ``repeats`` calls of ``fn`` (seconds)."""
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def blas_summary() -> list[dict]:
    """The BLAS libraries loaded in this process, as reported by threadpoolctl."""
    keys = ("internal_api", "version", "num_threads", "threading_layer", "architecture")
    return [
        {**{k: info.get(k) for k in keys}, "library": Path(info["filepath"]).name}
        for info in threadpoolctl.threadpool_info()
        if info.get("user_api") == "blas"
    ]


def run_cli(
    doc: str, measure: Callable[[bool], dict], report: Callable[[dict], None], quick_help: str, argv=None
) -> int:
    """``--quick`` and ``--json PATH`` handling; measures with one BLAS thread, prints, optionally saves."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write all numbers as JSON")
    args = parser.parse_args(argv)
    with threadpoolctl.threadpool_limits(1):
        res = measure(args.quick)
    report(res)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, indent=2) + "\n")
        print(f"wrote {args.json}")
    return 0


def cpu_model() -> str:
    """The CPU model name (Linux), else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
