"""Shared machinery of every paper: NetCDF I/O and provenance, stable seeds, grids, configuration
checks, variable metadata, checked chunk merges, code hashes, plotting style and notes helpers.

``core`` imports nothing else of rnnstruct; ``numerics`` builds on it and the paper packages on both.
"""
