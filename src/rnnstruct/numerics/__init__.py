"""Numerical building blocks shared by the papers: transfer functions and RK4, QR Lyapunov spectra,
participation ratios, Gaussian quadrature and random-matrix laws (pure functions of arrays)."""
