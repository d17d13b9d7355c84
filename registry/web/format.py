"""German number, money and date formats for people (the API keeps integer cents).

Hand-written rather than Babel: three formats, no locale data needed. Money is rounded
half up to whole cents before it is shown (cents are integers already).
"""

from __future__ import annotations

from datetime import date

NBSP = "\u00a0"  # between a number and its unit, so they stay on one line


def number(value: int | float | None, decimals: int = 0) -> str:
    """12345.5 -> '12.345,5' (decimals=1); None -> '–'."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"  # 12,345.5
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def euro(cents: int | None) -> str:
    """1234567 -> '12.345,67 €'; None -> '–'."""
    if cents is None:
        return "–"
    sign = "−" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{number(whole)},{rest:02d}{NBSP}€"


def percent(value: float | None) -> str:
    """48.7 -> '48,7 %'."""
    return "–" if value is None else f"{number(value, 1)}{NBSP}%"


def day(value: date | str | None) -> str:
    """2026-12-02 -> '02.12.2026'."""
    if value is None:
        return "–"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value:%d.%m.%Y}"


def spreadsheet_euro(cents: int | None) -> str:
    """1234567 -> '12345,67': a decimal comma and no thousands dots, which spreadsheets
    set to German read as a number; empty when unknown."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole},{rest:02d}"


def spreadsheet_text(value: str | None) -> str:
    """A cell a spreadsheet must not run as a formula (=, +, -, @ first: quoted)."""
    text = value or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
