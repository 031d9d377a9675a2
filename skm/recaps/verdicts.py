"""What the recap check says about a row: its verdict, its problems and its notes (SPEC §8).

Codes are part of the JSON interface (``verdict``, ``problems[].code``, ``notes[].code``): the
wording may change, the codes may not. Problem texts live in :data:`skm.lib.errors.MESSAGES`;
messages are written in the active language when the check runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from skm.lib.errors import message


class Verdict(TextChoices):
    """What a row's IKM follows from (SPEC §8). ``ambiguous``: both weights fit, because the
    published figures are too coarse to tell them apart (they differ by about 0.09 points)."""

    W0111 = "0.111", _("sesuai bobot 0,111")
    NINTH = "1/9", _("sesuai bobot 1/9")
    AMBIGUOUS = "ambiguous", _("ambigu: cocok dengan bobot 0,111 maupun 1/9")
    INCONSISTENT = "inconsistent", _("tidak sesuai dengan bobot mana pun")
    UNVERIFIABLE = "unverifiable", _("tidak dapat diperiksa")
    NO_DATA = "no data", _("tanpa data")


@dataclass(frozen=True)
class Problem:
    """Something wrong with a row; ``code`` is stable (JSON interface), ``message`` its text."""

    code: str
    message: str


def problem(code: str, **fields: object) -> Problem:
    """The problem ``code`` with its message from the one table of error codes."""
    return Problem(code, message(code, **fields))


@dataclass(frozen=True)
class Note:
    """Something to know about a row that is not an error (no data, ambiguous weight…)."""

    code: str
    message: str
