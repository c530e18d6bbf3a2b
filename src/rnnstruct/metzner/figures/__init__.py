"""Metzner figures (NetCDF in, matplotlib figures out): :mod:`.paper` (F1-F10 and the mechanism
panel) and :mod:`.validation` (spectra and mean-field checks)."""
