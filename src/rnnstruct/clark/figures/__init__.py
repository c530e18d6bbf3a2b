"""Clark figures (NetCDF in, matplotlib figures out), one module per figure group (as :mod:`..stages`)."""
