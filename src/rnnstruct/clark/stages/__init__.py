"""Clark stages, one module per figure group: :mod:`.dimension` (PRX Fig. 4), :mod:`.svd` (PRX Fig. 8),
:mod:`.gains` (PRX Figs. 2, 5, 10), :mod:`.prl` (PRL Figs. 2, 3, 5), :mod:`.connectome` (PRX Figs. 1, 6),
:mod:`.pcs` (PRX Figs. 3, 9; PRL Fig. 4) and :mod:`.overlaps` (PRX Fig. 7, PRL Fig. 6)."""

from rnnstruct.clark import variables  # noqa: F401  (registers the metadata table of the outputs)
