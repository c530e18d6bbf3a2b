"""Context builders of the figure-group sections of docs/reproduction/clark2025.md (rendering only).

Each figure group of the Clark stage registers ``SECTIONS[key] = function(dataset) -> dict``; the rule
clark_reproduction_notes renders workflow/report/notes/clark/<key>.md.j2 with that dict (plus the
provenance of the dataset: version, git_commit, config_hash, params) for every key that its rules file
lists in CLARK_NOTES_SECTIONS.  Numbers in the notes come from these functions, never from the templates.
"""

from __future__ import annotations

from typing import Callable

import xarray as xr

from . import notes

SECTIONS: dict[str, Callable[[xr.Dataset], dict]] = {}


# --- large_n ---
def large_n(sims: xr.Dataset) -> dict:
    """PRX Fig. 4a theory versus the larger-N simulations (clark.large_n)."""
    rows = notes.clark_fig4_rows(sims)
    return {"rows": rows, "summary": notes.clark_summary(rows)}


SECTIONS["large_n"] = large_n
