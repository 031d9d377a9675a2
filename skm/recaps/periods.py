"""Reading the period label of a recap row (SPEC §5 "Periods and reporting").

Recaps write "Tahunan", "Tahunan (1 Juni - 12 November)", "Semester I", "Semester 2", "SEMESTER II",
"Triwulan III", "TW 4"; anything else ("1 Juni – 12 November", "Januari – November") is a custom
range. Only the kind and the ordinal matter to the recap checks: an annual row is checked against
the semester or quarter rows of the same unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class PeriodKind(TextChoices):
    """The kind of a period; ``label`` names it in a sentence ("bukan rata-rata triwulan")."""

    ANNUAL = "tahunan", _("tahunan")
    SEMESTER = "semester", _("semester")
    QUARTER = "triwulan", _("triwulan")
    CUSTOM = "lainnya", _("lainnya")


SUBPERIOD_COUNT = {PeriodKind.SEMESTER: 2, PeriodKind.QUARTER: 4}
"""How many sub-periods make a year."""

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ORDINAL = r"(iv|iii|ii|i|[1-4])\b"
_SEMESTER = re.compile(r"\b(?:semester|smt|sem)\.?\s*[-–]?\s*" + _ORDINAL)
_QUARTER = re.compile(r"\b(?:triwulan|tw|kuartal|quarter)\.?\s*[-–]?\s*" + _ORDINAL)
_ANNUAL = re.compile(r"\b(?:tahunan|setahun|satu tahun|annual)\b")


@dataclass(frozen=True)
class Period:
    """A parsed period label: its kind and, for a semester or quarter, its ordinal (1-based)."""

    label: str
    kind: PeriodKind
    ordinal: int | None = None

    @property
    def is_subperiod(self) -> bool:
        return self.kind in SUBPERIOD_COUNT

    @property
    def display(self) -> str:
        """Canonical Indonesian label: "Semester II", "Triwulan IV", "Tahunan"."""
        if self.ordinal is None:
            return self.label or self.kind.value.capitalize()
        roman = {1: "I", 2: "II", 3: "III", 4: "IV"}[self.ordinal]
        return f"{self.kind.value.capitalize()} {roman}"


def parse_period(label: str) -> Period:
    """Kind and ordinal of a period label, any case: "Semester 2" → (semester, 2)."""
    text = " ".join(label.casefold().split())
    for kind, pattern in ((PeriodKind.SEMESTER, _SEMESTER), (PeriodKind.QUARTER, _QUARTER)):
        found = pattern.search(text)
        if found:
            token = found.group(1)
            ordinal = int(token) if token.isdigit() else _ROMAN[token]
            if ordinal <= SUBPERIOD_COUNT[kind]:
                return Period(label.strip(), kind, ordinal)
    if _ANNUAL.search(text):
        return Period(label.strip(), PeriodKind.ANNUAL)
    return Period(label.strip(), PeriodKind.CUSTOM)
