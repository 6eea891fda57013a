"""Text for Dutch readers: numbers with a decimal comma, dates, and the words for missing values.

Every output meant for the bestuurlijk overleg formats its numbers and dates here, so that
the decimal comma and the thousands point are the same in the report, on the maps and in
the round's tables.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")
# Why a value is missing (the tidy flag, or "not in data" when an area has no row), in Dutch.
MISSING_LABELS = {
    "suppressed": "geheim of onbekend (bron)",
    "not_applicable": "niet van toepassing",
    "not_collected": "niet verzameld",
    "schools_unplaced": "geen school geplaatst, en er zijn scholen zonder plaats (aandacht check noemt ze)",
    "not in data": "ontbreekt in de bron",
    "indicatief (excluded)": "indicatief, weggelaten",
    "out of range": "buiten het geldige bereik, weggelaten",
}


def dutch_number(value: float, decimals: int = 1) -> str:
    """Format with a decimal comma and a point as thousands separator (Dutch convention)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def number_nl(value: float) -> str:
    """A number for Dutch text: whole from 100 up, else 3 significant digits; decimal comma."""
    if pd.isna(value):
        return "onbekend"
    text = f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return text.replace(".", ",")


def signed_nl(value: float, decimals: int = 1) -> str:
    """A change with its sign and a decimal comma: '+2,5', '-0,3'."""
    return f"{value:+.{decimals}f}".replace(".", ",")


def fixed_nl(value: float, decimals: int = 1) -> str:
    """A number with a fixed number of decimals and a decimal comma, no thousands separator."""
    return f"{value:.{decimals}f}".replace(".", ",")


def list_nl(items) -> str:
    """Items as a Dutch enumeration: 'A', 'A en B', 'A, B en C' (empty items left out)."""
    items = [str(i) for i in items if i]
    return "" if not items else items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def dutch_date(day: date) -> str:
    """'1 december 2026'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
