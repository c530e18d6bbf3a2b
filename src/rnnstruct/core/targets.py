"""Helpers shared by the packages' ``targets`` modules (pure functions of the configuration)."""

from __future__ import annotations

from types import ModuleType
from typing import Iterable, Mapping

FIGURE_EXTENSIONS = ("pdf", "png")


def figure_files(stems: Iterable[str]) -> list[str]:
    """Every figure path without extension, as .pdf and .png."""
    return [f"{stem}.{ext}" for stem in stems for ext in FIGURE_EXTENSIONS]


def outputs(targets: ModuleType, config: Mapping) -> list[str]:
    """All final outputs of one package: its figures, data files, generated notes and report tables."""
    return (
        figure_files(targets.figures(config)) + targets.data(config) + targets.notes(config) + targets.tables(config)
    )
