"""Jarne & Caruso 2024: RNNs trained under Dale's law and the eigenvalue spectra of trained networks.

* :mod:`.tasks`: AND/OR/XOR and Flip-Flop trials (numpy);
* :mod:`.model`: initialisation, Dale sign vector and projection (numpy reference);
* :mod:`.train`: the tanh RNN in JAX and its jit-compiled Adam training step (optax);
* :mod:`.analysis`: radii, Henrici non-normality, weight statistics, success criterion;
* :mod:`.stage`: parameters in, xarray datasets out (networks per condition, spectra, claims).

Importing :mod:`.train` pins XLA to one CPU thread so that training is bitwise reproducible.
"""
