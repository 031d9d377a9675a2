"""The template filters for numbers and dates (SPEC §9): 88,93 and 23 November 2026, thin wrappers over
skm.lib.numbers and skm.lib.dates. Registered for every template as `{% load skm_format %}` (settings
TEMPLATES "libraries"), so no app owns it and collection templates need not reach into results."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import translation

from skm.lib.dates import format_date
from skm.lib.numbers import number

register = template.Library()


@register.filter
def id_number(value: Any, places: int = 2) -> str:
    """skm.lib.numbers.number: 88.925 → "88,93" (Indonesian) or "88.93" (English); None → "–"."""
    return number(value, int(places))


@register.filter
def id_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, "en" if translation.get_language() == "en" else "id")
