"""German formats for people: numbers, euros, percent, dates."""

from datetime import date

import pytest

from registry.web import format as fmt


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (0, 0, "0"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (12345.5, 1, "12.345,5"),
        (1234567, 0, "1.234.567"),
        (None, 0, "–"),
    ],
)
def test_numbers_use_dots_for_thousands_and_a_comma_for_decimals(value, decimals, text):
    assert fmt.number(value, decimals) == text


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (0, "0,00\u00a0€"),
        (5, "0,05\u00a0€"),
        (250000, "2.500,00\u00a0€"),
        (123456789, "1.234.567,89\u00a0€"),
        (-1050, "−10,50\u00a0€"),
        (None, "–"),
    ],
)
def test_euros_from_integer_cents(cents, text):
    assert fmt.euro(cents) == text


def test_percent_and_dates():
    assert fmt.percent(48.7) == "48,7\u00a0%"
    assert fmt.percent(None) == "–"
    assert fmt.day(date(2026, 12, 2)) == "02.12.2026"
    assert fmt.day("2025-06-02") == "02.06.2025"
