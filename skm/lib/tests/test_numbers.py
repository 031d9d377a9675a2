"""Numbers for people in the active language (skm.lib.numbers)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from skm.lib.numbers import number


def test_written_the_way_of_the_active_language():
    with translation.override("id"):
        assert number(Decimal("88.925")) == "88,93"
        assert number(1234567, 0) == "1.234.567"
        assert number(None) == number("") == "–"
    with translation.override("en"):
        assert number(Decimal("88.925")) == "88.93"
        assert number(Decimal("1234.5"), 1) == "1,234.5"
