"""Metzner stages: :mod:`.base` (base ensemble, dynamics sweep, mean-field validation) and
:mod:`.regularities` (regularity ensembles, sweeps with reservoir accuracy, spectra, claims)."""
