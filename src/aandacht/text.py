"""Text for the analyst's notes: long lists cut short.

A note names what it is about (the schools not placed, the IKCs without an area), but a list of
217 schools buries the next note on the terminal; :func:`first_of` keeps the first ``limit`` and
says how many more there are and where the whole list is.
"""

from __future__ import annotations

from collections.abc import Iterable


def first_of(items: Iterable[str], limit: int = 10, whole: str = "") -> str:
    """``'a, b, c'``, or ``'a, b, ... en nog 207 (alle in niet_geplaatst.csv)'`` beyond ``limit``
    items, where ``whole`` (if given) says where the complete list is (Dutch: the notes it ends in
    are read by the analyst)."""
    items = list(items)
    shown = ", ".join(items[:limit])
    if len(items) <= limit:
        return shown
    return f"{shown}, ... en nog {len(items) - limit}" + (f" (alle in {whole})" if whole else "")
