"""The Jarne claims table of the report (pure: spectra dataset in, DataFrame out)."""

from __future__ import annotations

import pandas as pd
import xarray as xr

from rnnstruct.core import io
from rnnstruct.jarne import stages


def claims_table(spectra: xr.Dataset) -> pd.DataFrame:
    """One row per claim of the paper, tested on the networks that learned their task
    (:func:`rnnstruct.jarne.stages.claims`, with the parameters recorded in the spectra file)."""
    rows = stages.claims(io.parameters(spectra), spectra)
    return pd.DataFrame(
        {"claim": [r["claim"] for r in rows], "generated numbers": [r["numbers"] for r in rows],
         "verdict": [r["verdict"] for r in rows]}
    )
