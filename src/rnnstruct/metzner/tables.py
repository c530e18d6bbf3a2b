"""The Metzner claims table of the report (pure: claims and robustness datasets in, DataFrame out)."""

from __future__ import annotations

import pandas as pd
import xarray as xr

from rnnstruct.metzner.notes import claims_rows, robustness_claims


def claims_table(claims: xr.Dataset, robustness: xr.Dataset | None = None) -> pd.DataFrame:
    """One row per claim of the paper: the grid-mean accuracy per control value, the paired change (last
    minus first control value, mean ± SE over realisations), monotonicity, the change of the saturated
    fraction and the verdict of :mod:`rnnstruct.metzner.claims`; with the robustness file, also the
    verdict under the default choices and the [RECON] choices that move it.
    """
    rob = {r["regularity"]: r for r in robustness_claims(robustness)} if robustness is not None else {}
    records = []
    for row in claims_rows(claims):
        rec = {
            "regularity": row["regularity"],
            "claim": row["claim"],
            "control values": ", ".join(f"{c:g}" for c, *_ in row["per_ctrl"]),
            "grid-mean accuracy per control value": ", ".join(f"{a:.4f}" for _, a, *_ in row["per_ctrl"]),
            "accuracy change (last - first)": round(row["delta"], 6),
            "SE": round(row["delta_se"], 6),
            "monotone": "yes" if row["monotone"] else "no",
            "saturated fraction change": round(row["sat_delta"], 6),
            "verdict": row["verdict"],
        }
        if robustness is not None:
            r = rob.get(row["regularity"])
            rec["verdicts over the [RECON] runs (count)"] = (
                "; ".join(f"{v}: {len(alts)}" for v, alts in r["by_verdict"].items()) if r else ""
            )
            rec["choices that move the verdict"] = (", ".join(r["depends_on"]) or "none") if r else ""
        records.append(rec)
    return pd.DataFrame.from_records(records)
