"""The suggestions a unit chose to publish, with its replies (SPEC §8 "Suggestions are answered").

The portal, the lobby screen and the open data package show only these: a suggestion whose
follow-up row has ``published`` set, never a contact and never an unpublished one. Text is the
respondent's and the unit's own, verbatim; templates escape it, spreadsheets go through
skm.lib.spreadsheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from skm.followup.models import Status, SuggestionFollowUp
from skm.organisation.models import Pemda

# The newest this many on a page; the open data package holds them all.
SHOWN = 20


@dataclass(frozen=True)
class PublishedSuggestion:
    answer_id: int
    unit_id: int
    unit_slug: str
    unit_name: str
    service: str  # the service's name, "" when the answer named none
    submitted: dt.date  # the day it was given (the Pemda's local date)
    suggestion: str
    status: str  # Status value
    status_label: str
    reply: str
    replied: dt.date | None


def published_suggestions(
    pemda: Pemda, *, units: Iterable[int] | None = None, limit: int | None = SHOWN
) -> list[PublishedSuggestion]:
    """The published suggestions of the Pemda (or of `units`), newest reply first, in one query."""
    rows = SuggestionFollowUp.objects.filter(published=True, answer__pemda=pemda).exclude(
        answer__suggestion=""
    )
    if units is not None:
        rows = rows.filter(answer__unit_id__in=list(units))
    rows = rows.select_related("answer__unit", "answer__service").order_by(
        "-replied_at", "-answer__submitted_at", "-answer_id"
    )
    if limit is not None:
        rows = rows[:limit]
    labels = dict(Status.choices)
    tz = pemda.tz
    return [
        PublishedSuggestion(
            answer_id=f.answer_id,
            unit_id=f.answer.unit_id,
            unit_slug=f.answer.unit.slug,
            unit_name=f.answer.unit.name,
            service=f.answer.service.name if f.answer.service else "",
            submitted=f.answer.day,
            suggestion=f.answer.suggestion,
            status=f.status,
            status_label=str(labels.get(f.status, f.status)),
            reply=f.reply,
            replied=timezone.localtime(f.replied_at, tz).date() if f.replied_at else None,
        )
        for f in rows
    ]
