"""Scoring: the indicator matrix -> a composite score and a rank per area, and how robust they are.

Takes the matrix of :mod:`aandacht.inputs` and the config's ``framework`` and ``method``.
The composite indicator (``composite``) imputes, treats outliers (``treat``), normalises
(``normalise``, with ``ranks``), weighs (``weights``: PCA weights, weight sets) and aggregates up
the framework (``tree``, ``aggregate``), in the order of the OECD/JRC Handbook (2008) and with
COINr's semantics (tested against COINr's own outputs); ``run`` ties loading, the screening of
areas (``screen``) and scoring into one :class:`~aandacht.scoring.run.ScoreRun`. The robustness analyses vary the method
choices (``uncertainty``, ``sobol``), check the framework's statistical coherence
(``coherence``), compare the monitors (``consensus``) and find spatial clusters
(``spatial``); ``robustness`` gives the per-area figures designation uses. Hands on scores,
ranks, every intermediate table and the robustness figures.
"""

from .composite import ScoreResult, score

__all__ = ["ScoreResult", "score"]
