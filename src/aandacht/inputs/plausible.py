"""Plausible values: the valid range of an indicator, from its unit.

A value outside the range its unit allows is not a measurement but an error upstream (a lost
decimal comma, a fraction where a percentage was meant, a publisher's code read as a number):

* a percentage (a unit that starts with ``%`` or names ``procent``/``percentage``) lies in [0, 100];
* a count (``aantal``, ``personen``, ``huishoudens``, ``leerlingen``, ... :data:`COUNT_UNITS`) and a
  rate (a unit ``per ...``: per 1.000 inwoners) are not negative;
* the schoolweging of the Inspectie van het Onderwijs (unit ``schoolweging``) lies in
  :data:`SCHOOLWEGING_RANGE`: the Inspectie's scale runs nationally from about 20 to 40 (its
  three-year average is clamped to [20, 40]; the year values are not, so a margin of 10 each side,
  ../shared/docs/real-formats.md); ``2628`` (a lost decimal comma in 26,28) is out of it.

Every other unit (scores, euros, indices), and counts and rates above, lie within +-:data:`LARGEST`
(10^15): no figure about a Dutch area comes near it (the whole country's income is about 10^12 euro),
while a number read from the wrong place (a date, an identifier, an overflow such as 1e308) can,
and the scale's min-max of two values near the float limit would overflow. Publishers' codes for missing values are known
to the reader where their layouts are read (:data:`aandacht.inputs.reading.SWING_SENTINELS`,
:data:`~aandacht.inputs.reading.WIJK_EN_BUURTKAART_SENTINELS`); one that slips through as a number
(-99995 in a percentage) is outside every range above. What happens to a value out of range is
the input's ``out_of_range``: ``error`` (default) stops the run naming the file, the area and the
indicator; ``missing`` leaves the value out, with a note.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .harmonise import COUNT_UNITS

SCHOOLWEGING_RANGE = (10.0, 50.0)
LARGEST = 1e15  # the largest absolute value of any indicator (module docstring)
OUT_OF_RANGE = "out of range"  # the missing reason of a value left out (out_of_range: missing)
SECONDARY = "x"  # CBS's sign for a figure left out so that a suppressed one cannot be recomputed


def is_count_unit(unit: str) -> bool:
    """Whether ``unit`` counts people (``aantal``, ``personen``, ``huishoudens``, ``leerlingen``, ...):
    such a value is a count of people, never shown under ``report.suppress_below`` in anything meant
    for the bestuurlijk overleg, whatever its column is called."""
    text = " ".join(str(unit).strip().lower().split())
    return text in COUNT_UNITS or text.startswith("aantal")


def suppressed(value, threshold: int):
    """A count of people for the overleg: the text ``<threshold`` when under it, else the value."""
    return f"<{threshold}" if isinstance(value, (int, float)) and not pd.isna(value) and value < threshold else value


def published_class(value: pd.Series, threshold: int) -> tuple[pd.Series, pd.Series]:
    """A count of people as it is scored: a value under ``threshold`` becomes the middle of the class
    '<threshold' it is published as, (threshold - 1) / 2 (4.5 for the whole counts 0 to 9 shown as
    '<10'); returns the values and which were changed. Everything the overleg sees of an area (the
    normalised value, a domain score, the index, the rank, the maps) is then a function of what is
    published, so no combination of shown figures gives the count back: CBS's rule that no published
    figure may allow a suppressed cell to be recomputed (CBS, "Statistische beveiliging"; Hundepool et
    al., Handbook on Statistical Disclosure Control, ESSnet SDC, ch. 5 "Frequency tables", 5.3: secondary
    suppression, or table redesign by combining categories; here by global recoding, in the Handbook's
    glossary, of the cells under the threshold to the class they are published as)."""
    below = value.lt(threshold)
    return value.mask(below, (threshold - 1) / 2), below


def valid_range(unit: str) -> tuple[float, float, str]:
    """(lowest, highest, the rule in words) of a unit (module docstring)."""
    text = " ".join(str(unit).strip().lower().split())
    if text.startswith("%") or "procent" in text or "percentage" in text:
        return 0.0, 100.0, "a percentage lies between 0 and 100"
    if text == "schoolweging":
        low, high = SCHOOLWEGING_RANGE
        return low, high, f"the Inspectie's schoolweging lies between {low:g} and {high:g}"
    if is_count_unit(text):
        return 0.0, LARGEST, "a count is not negative nor beyond 10^15"
    if text.startswith("per "):
        return 0.0, LARGEST, "a rate is not negative nor beyond 10^15"
    return -LARGEST, LARGEST, "no figure of an area lies beyond +-10^15"


def outside(values: pd.Series, unit: str) -> tuple[pd.Series, str]:
    """Which of ``values`` lie outside the valid range of ``unit`` (missing values never do), and the rule."""
    low, high, rule = valid_range(unit)
    with np.errstate(invalid="ignore"):
        return values.notna() & ((values < low) | (values > high)), rule
