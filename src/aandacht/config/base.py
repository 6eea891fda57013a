"""The base of every config model: strict keys, frozen values."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Base model: unknown keys are errors, values are not silently coerced across types."""

    model_config = ConfigDict(extra="forbid", frozen=True)
