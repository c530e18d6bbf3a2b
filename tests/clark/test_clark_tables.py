"""The Clark theory-versus-simulation table of the report, on the outputs of config/test.yaml."""

from __future__ import annotations

import io as stdio

import numpy as np
import pandas as pd
import pytest

from rnnstruct.clark import notes, tables, targets
from rnnstruct.core import io

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def files(test_results):
    config = {"clark": {"large_n": {"enabled": (test_results / targets.LARGE_N.removeprefix("results/")).is_file()}}}
    return {k: io.read_dataset(test_results / v.removeprefix("results/"))
            for k, v in targets.claims_table_inputs(config).items()}


def test_fig4a_row_is_the_summary_of_the_notes(files):
    table = tables.claims_table(files["dimension"])
    assert list(table.columns) == list(tables.COLUMNS)
    summary = notes.fig4_summary(notes.fig4_rows(files["dimension"]))
    row = table.iloc[0]
    assert row["figure"].startswith("PRX Fig. 4a") and row["points"] == summary["n_points"]
    assert np.isclose(row["mean |relative deviation|"], summary["mean_abs_rel_phi"], atol=1e-6)
    assert np.isclose(row["max |relative deviation|"], summary["max_abs_rel_phi"], atol=1e-6)
    assert row["within 2 SE"] == f"{summary['within_2se']} of {summary['n_points']}"


def test_every_figure_group_has_rows_and_the_workflow_csv_is_the_table(files, test_results):
    table = tables.claims_table(**files)
    figures = " ".join(table["figure"])
    for name in ("PRX Fig. 4a", "PRX Fig. 5", "PRX Fig. 10", "PRL Fig. 2a", "PRX Fig. 7", "PRL Fig. 6"):
        assert name in figures, name
    assert (table["points"] >= 0).all()
    assert (table["mean |relative deviation|"].dropna() >= 0).all()
    html = (test_results / "clark/claims_table.html").read_text()
    assert all(str(c) in html for c in table.columns)
    written = pd.read_csv(test_results / "clark/claims_table.csv", keep_default_na=False)
    pd.testing.assert_frame_equal(written, pd.read_csv(stdio.StringIO(table.to_csv(index=False)), keep_default_na=False))
