"""Metzner, Schilling, Maier & Krauss 2025, *Organizational regularities in recurrent neural networks*.

Model modules: :mod:`.ensembles` (the (w, b, d) base ensemble and the Dale, Hopfield and modular
regularities), :mod:`.dynamics` (discrete-time tanh dynamics, measures and regimes), :mod:`.reservoir`
(reservoir tasks and ridge readout), :mod:`.claims` (the paper's claims and verdicts), :mod:`.theory`
(mean-field theory) and :mod:`.spectra` (random-matrix predictions of the ensembles).  Pipeline:
:mod:`.stages` (parameters in, xarray out), :mod:`.figures`, :mod:`.notes`, :mod:`.targets`.
Model, equations and every reconstructed choice: ``docs/models/metzner2025.md``.
"""
