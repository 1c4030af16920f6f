"""Calendar arithmetic on people's dates: ages and anniversaries."""

from __future__ import annotations

from datetime import date


def age_on(birth: date, day: date) -> int:
    """Whole years from ``birth`` to ``day`` (someone born on 29 February ages on 1 March)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later or earlier (29 February becomes 1 March)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)
