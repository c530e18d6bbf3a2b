"""Figure builders: xarray datasets (read from pipeline NetCDF) in, matplotlib figures out."""
