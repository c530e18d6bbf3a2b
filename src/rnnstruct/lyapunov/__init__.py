"""Spectral and Lyapunov analysis stage: full Lyapunov spectra (QR method, :mod:`rnnstruct.numerics.lyapunov`)
of the i.i.d. map and rate network and of the Metzner regularities, with convergence evidence.

:mod:`.stages`, :mod:`.figures`, :mod:`.notes`, :mod:`.targets`; see ``docs/models/metzner2025.md``.
"""
