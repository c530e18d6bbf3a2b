"""rnnstruct: how structure in recurrent weight matrices shapes network dynamics.

The library is pure: arrays and parameters in, arrays or xarray objects out.  It never
imports workflow code.
"""

__version__ = "0.1.0"
