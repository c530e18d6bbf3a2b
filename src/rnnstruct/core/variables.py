"""CF metadata of every variable and coordinate that rnnstruct writes, kept in one place.

The table lives in ``variables.yaml`` next to this module: per name ``long_name``, ``units``
(UDUNITS; "1" for dimensionless quantities and per-step exponents), ``comment`` (the formula or
definition) and, for variables that may legitimately hold NaN, ``nan_meaning`` (what NaN means);
the writer refuses NaN anywhere else.  :func:`rnnstruct.core.io.write_dataset` fills these attributes
and refuses to write a variable that has none.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from rnnstruct.metzner.dynamics import REGIME_CODES

VARIABLES: dict[str, dict] = yaml.safe_load((Path(__file__).with_name("variables.yaml")).read_text())
VARIABLES["regime"].update(
    flag_values=list(range(len(REGIME_CODES))),
    flag_meanings=" ".join(sorted(REGIME_CODES, key=REGIME_CODES.get)),
)


def attrs_for(name: str) -> dict:
    """CF attributes of a registered variable (KeyError names the variable if unknown)."""
    try:
        return dict(VARIABLES[name])
    except KeyError:
        raise KeyError(f"variable {name!r} has no entry in rnnstruct/variables.yaml") from None
