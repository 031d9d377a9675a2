"""Which suggestions a user sees, filtered and described (the inbox of SPEC §8).

Suggestions are answers with a non-empty `suggestion`; their follow-up row may not exist yet
(then the status is "baru"). Scoping goes through `Answer.objects.for_user` like every page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from skm.accounts.access import scoped
from skm.accounts.scoping import Action
from skm.collection.models import Answer
from skm.followup.models import Status
from skm.instrument.spec import current_spec
from skm.scoring.elements import ELEMENTS

WAITING = Q(followup__isnull=True) | Q(followup__status=Status.BARU)


def suggestions(user: Any) -> QuerySet[Answer]:
    """Every answer with a suggestion that `user` may see, newest first."""
    return (
        scoped(Answer, user, Action.VIEW)
        .exclude(suggestion="")
        .select_related("unit", "service", "followup")
        .order_by("-submitted_at", "-pk")
    )


def waiting_count(user: Any, pemda_id: int | None = None) -> int:
    """How many suggestions the user sees still wait for a first reply (status baru): one query."""
    rows = scoped(Answer, user, Action.VIEW).exclude(suggestion="").filter(WAITING)
    if pemda_id is not None:
        rows = rows.filter(pemda_id=pemda_id)
    return rows.count()


@dataclass(frozen=True)
class Filters:
    text: str = ""
    status: str = ""
    unit_id: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    with_contact: bool = False


def apply(rows: QuerySet[Answer], chosen: Filters) -> QuerySet[Answer]:
    if chosen.text:
        rows = rows.filter(Q(suggestion__icontains=chosen.text) | Q(followup__reply__icontains=chosen.text))
    if chosen.status == Status.BARU:
        rows = rows.filter(WAITING)
    elif chosen.status:
        rows = rows.filter(followup__status=chosen.status)
    if chosen.unit_id is not None:
        rows = rows.filter(unit_id=chosen.unit_id)
    if chosen.start is not None:
        rows = rows.filter(day__gte=chosen.start)
    if chosen.end is not None:
        rows = rows.filter(day__lte=chosen.end)
    if chosen.with_contact:
        rows = rows.exclude(contact="")
    return rows


def status_of(answer: Answer) -> str:
    followup = getattr(answer, "followup", None)
    return followup.status if followup is not None else Status.BARU


@dataclass(frozen=True)
class Unsur:
    element: str
    label: str  # the Pemda's short column title (e.g. "Sarpras"), else the unsur's name
    name: str


def unsur_of(pemda_id: int) -> tuple[Unsur, ...]:
    """The Pemda's nine unsur in its instrument's order, with short labels (cached spec, no query
    once warm)."""
    spec = current_spec(pemda_id)
    questions = spec.ikm_questions if spec else ()
    if sorted(q.element for q in questions) != sorted(ELEMENTS):
        return tuple(Unsur(e, e, e) for e in ELEMENTS)
    return tuple(Unsur(q.element, q.header or q.name, q.name) for q in questions)


@dataclass(frozen=True)
class Value:
    label: str
    name: str
    value: int | None


def values_of(answer: Answer, order: tuple[Unsur, ...]) -> list[Value]:
    """The respondent's nine answers in the Pemda's order (None where left blank)."""
    return [Value(u.label, u.name, getattr(answer, u.element)) for u in order]
