"""The Jarne claims table of the report, on the outputs of config/test.yaml."""

from __future__ import annotations

import io as stdio

import pandas as pd
import pytest

from rnnstruct.core import io
from rnnstruct.jarne import stages, tables

pytestmark = pytest.mark.e2e


def test_claims_table_is_the_claims_of_the_spectra_file_and_the_workflow_csv(test_results):
    spectra = io.read_dataset(test_results / "jarne/spectra.nc")
    table = tables.claims_table(spectra)
    claims = stages.claims(io.parameters(spectra), spectra)
    assert list(table.columns) == ["claim", "generated numbers", "verdict"]
    assert list(table["claim"]) == [c["claim"] for c in claims] and len(table) >= 3
    assert set(table["verdict"]) <= {"reproduced", "partly reproduced", "not reproduced"}
    html = (test_results / "jarne/claims_table.html").read_text()
    assert all(str(c) in html for c in table.columns)
    written = pd.read_csv(test_results / "jarne/claims_table.csv", keep_default_na=False)
    pd.testing.assert_frame_equal(written, pd.read_csv(stdio.StringIO(table.to_csv(index=False)), keep_default_na=False))
