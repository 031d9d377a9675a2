"""Numbers for people (SPEC §9): 88,93 and 1.234 in Indonesian, 88.93 and 1,234 in English."""

from __future__ import annotations

from django.utils import translation

from skm.scoring.rounding import Number, format_id

_ENGLISH = str.maketrans(".,", ",.")  # the decimal comma and the thousands dot swap places


def number(value: Number | None, places: int = 2) -> str:
    """`value` rounded half up to `places`, written the way of the active language; None → "–".

    88.925 → "88,93" (Indonesian) or "88.93" (English).
    """
    if value is None or value == "":
        return "–"
    text = format_id(value, places)
    return text.translate(_ENGLISH) if translation.get_language() == "en" else text
