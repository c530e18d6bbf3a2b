"""Metzner stages: :mod:`.base` (base ensemble, dynamics sweep, mean-field validation) and
:mod:`.regularities` (regularity ensembles, sweeps with reservoir accuracy, spectra, claims)."""

from rnnstruct.metzner import variables  # noqa: F401  (registers the metadata table of the outputs)
