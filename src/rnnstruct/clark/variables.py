"""CF metadata of the variables the Clark stages write (table: ``variables.yaml`` beside this module)."""

from pathlib import Path

from rnnstruct.core.variables import load, register

VARIABLES = register("clark", load(Path(__file__).with_name("variables.yaml")))
