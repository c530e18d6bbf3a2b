"""CF metadata of the variables the Lyapunov analysis stage writes (table: ``variables.yaml`` beside this module)."""

from pathlib import Path

from rnnstruct.core.variables import load, register

VARIABLES = register("lyapunov", load(Path(__file__).with_name("variables.yaml")))
