"""Every NetCDF output of the test profile passes the IOOS compliance checker: no CF-1.11 error, and of
ACDD-1.3 every highly recommended attribute except the documented exceptions below."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e

#: (checker, message pattern, why it is accepted) — every accepted finding is listed here
ALLOWED = [
    ("acdd:1.3", r"standard_name", "no CF standard name exists for these model quantities (long_name and comment define them)"),
    ("cf:1.11", r"standard_name", "as above"),
    ("acdd:1.3", r"(geospatial|time_coverage)_", "model output without geographic or calendar coordinates"),
    ("acdd:1.3", r"(creator|publisher)_(email|url)|publisher_name|acknowledg", "no public contact address of the project"),
]


def findings(path):
    from compliance_checker.base import BaseCheck
    from compliance_checker.runner import CheckSuite

    suite = CheckSuite()
    suite.load_all_available_checkers()
    out = []
    for checker, (results, errors) in suite.run_all(suite.load_dataset(str(path)), ["cf:1.11", "acdd:1.3"], []).items():
        for check, (exc, _) in errors.items():
            out.append((checker, "CRASH", f"the checker failed in {check}: {exc}"))
        for r in results:
            failed = isinstance(r.value, tuple) and r.value[0] < r.value[1] or r.value is False
            if failed:
                for msg in r.msgs or [r.name]:
                    out.append((checker, r.weight, str(msg)))
    return BaseCheck, out


def accepted(checker: str, msg: str) -> bool:
    return any(c == checker and re.search(pat, msg) for c, pat, _ in ALLOWED)


def checked_files(results):
    """Every final NetCDF file, and one chunk file of every kind of chunk (the same writer wrote all
    chunks of a rule; checking each of them would only repeat those results)."""
    files = sorted(results.rglob("*.nc"))
    chunk = [f for f in files if re.search(r"(\d+_\d+|_c\d+)$", f.stem)]
    final = [f for f in files if f not in chunk]
    first_of_kind: dict = {}
    for f in chunk:
        first_of_kind.setdefault((f.parent, re.sub(r"\d+", "#", f.stem)), f)
    return final + sorted(first_of_kind.values())


def test_every_output_is_cf_clean_and_acdd_complete(test_results):
    from concurrent.futures import ProcessPoolExecutor

    files = checked_files(test_results)
    assert len(files) > 40
    problems = []
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(findings, files))
    BaseCheck = results[0][0]
    for path, (_, found) in zip(files, results):
        for checker, weight, msg in found:
            cf_error = checker.startswith("cf") and weight == BaseCheck.HIGH
            acdd_high = checker.startswith("acdd") and weight == BaseCheck.HIGH
            if (cf_error or acdd_high) and not accepted(checker, msg):
                problems.append(f"{path.relative_to(test_results)} [{checker}] {msg}")
    assert not problems, "\n".join(problems[:40])
