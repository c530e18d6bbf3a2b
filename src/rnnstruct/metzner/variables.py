"""CF metadata of the variables the Metzner stages write (table: ``variables.yaml`` beside this module).

The regime variable's ``flag_values``/``flag_meanings`` come from :data:`rnnstruct.metzner.dynamics.REGIME_CODES`.
"""

from pathlib import Path

from rnnstruct.core.variables import load, register
from rnnstruct.metzner.dynamics import REGIME_CODES

VARIABLES = register("metzner", load(Path(__file__).with_name("variables.yaml")))
VARIABLES["regime"] = {
    **VARIABLES["regime"],
    "flag_values": list(range(len(REGIME_CODES))),
    "flag_meanings": " ".join(sorted(REGIME_CODES, key=REGIME_CODES.get)),
}
