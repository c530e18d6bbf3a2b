"""The Metzner claims table of the report, on the outputs of config/test.yaml."""

from __future__ import annotations

import io as stdio

import numpy as np
import pandas as pd
import pytest

from rnnstruct.core import io
from rnnstruct.metzner import tables

pytestmark = pytest.mark.e2e


def test_claims_table_has_one_row_per_claim_with_the_numbers_of_the_claims_file(test_results):
    claims = io.read_dataset(test_results / "metzner/claims.nc")
    table = tables.claims_table(claims)
    assert list(table["regularity"]) == claims["regularity"].values.tolist()
    np.testing.assert_allclose(table["accuracy change (last - first)"], claims["delta"].values, atol=1e-6)
    meanings = claims["verdict"].attrs["flag_meanings"].split()
    assert list(table["verdict"]) == [meanings[int(v)].replace("_", " ") for v in claims["verdict"].values]
    assert "verdicts over the [RECON] runs (count)" not in table.columns


def test_claims_table_with_robustness_names_the_default_verdict_and_is_the_workflow_csv(test_results):
    claims = io.read_dataset(test_results / "metzner/claims.nc")
    rob = io.read_dataset(test_results / "metzner/robustness.nc")
    table = tables.claims_table(claims, rob)
    assert {"verdicts over the [RECON] runs (count)", "choices that move the verdict"} <= set(table.columns)
    assert all(table["verdicts over the [RECON] runs (count)"].str.len() > 0)
    html = (test_results / "metzner/claims_table.html").read_text()
    assert all(str(c) in html for c in table.columns)
    written = pd.read_csv(test_results / "metzner/claims_table.csv", keep_default_na=False)
    expected = pd.read_csv(stdio.StringIO(table.to_csv(index=False)), keep_default_na=False)
    pd.testing.assert_frame_equal(written, expected)
