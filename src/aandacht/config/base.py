"""The base of every config model (strict keys, frozen values, finite numbers) and the
number types the sections share.

Every float of a config must be finite: ``.inf`` and ``.nan`` are refused with the key path
(``allow_inf_nan=False`` on :class:`Strict`). Weights and counts are typed once here so
that every section, and every new key, gets the same rule:

* :data:`Weight`: a number from :data:`MIN_WEIGHT` to :data:`MAX_WEIGHT` (weights are
  relative; beyond these a weight loses precision or overflows in a sum), for a weight that
  cannot be switched off (a node of the framework);
* :data:`OptionalWeight`: the same, or exactly 0 where the README documents that an explicit
  ``0`` switches the item off (an indicator, a component of an IKC's need);
* :data:`Magnitude`: a multiplier, score-scale value or goalpost, at most :data:`MAX_MAGNITUDE`
  in size (so that weighted sums cannot overflow);
* :func:`Count`: a whole number between bounds, at most :data:`MAX_COUNT` unless a tighter
  bound is given (``top_k: 10**26`` is refused at load, not by the solver).

Weights and counts are strict about type: a quoted ``"1"`` or ``yes`` is not a weight.
A number too small for a float (``1e-400``, which would read as 0) is refused when the YAML
is read (:mod:`aandacht.config.yaml_file`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from .choices import MAX_COUNT, MAX_MAGNITUDE, MAX_SEED, MAX_WEIGHT, MIN_WEIGHT


def _weight(value: float) -> float:
    if not MIN_WEIGHT <= value <= MAX_WEIGHT:
        raise ValueError(f"a weight must be between {MIN_WEIGHT:g} and {MAX_WEIGHT:g}")
    return value


def _zero_or_weight(value: float) -> float:
    if value != 0 and not MIN_WEIGHT <= value <= MAX_WEIGHT:
        raise ValueError(f"a weight must be 0 (switched off) or between {MIN_WEIGHT:g} and {MAX_WEIGHT:g}")
    return value


Weight = Annotated[float, Field(strict=True, allow_inf_nan=False), AfterValidator(_weight)]
OptionalWeight = Annotated[float, Field(strict=True, allow_inf_nan=False), AfterValidator(_zero_or_weight)]
Seed = Annotated[int, Field(ge=0, le=MAX_SEED, strict=True)]
Magnitude = Annotated[float, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]


def Count(low: int = 1, high: int = MAX_COUNT):
    """A whole number from ``low`` to ``high`` (strict: ``5.0``, ``"5"`` and ``yes`` are not counts)."""
    return Annotated[int, Field(ge=low, le=high, strict=True)]


class Strict(BaseModel):
    """Base model: unknown keys are errors, numbers must be finite, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
