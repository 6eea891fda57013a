"""Scoring: treatment, normalisation, aggregation up an indicator hierarchy."""

from .composite import ScoreResult, score

__all__ = ["ScoreResult", "score"]
