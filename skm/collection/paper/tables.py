"""What the paper-entry pages list: answers as rows of digits, and the audit trail of changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skm.accounts.models import AuditEvent
from skm.collection.models import Answer, Channel
from skm.collection.paper.line import Column, columns_for, digits_of
from skm.collection.paper.save import answer_values
from skm.instrument.models import InstrumentVersion
from skm.instrument.spec import spec_for
from skm.organisation.models import Layanan, Unit

AUDIT_LIMIT = 100
ACTIONS = {
    "answer.edit": gettext_lazy("Diubah"),
    "answer.delete": gettext_lazy("Dihapus"),
    "answer.exclude": gettext_lazy("Dikecualikan"),
    "answer.include": gettext_lazy("Diikutkan kembali"),
}


@dataclass
class Row:
    answer: Answer
    cells: list[tuple[str, str, str]]  # (digit, label, css class)
    digits: str


def row(answer: Answer, columns: list[Column]) -> Row:
    values = answer_values(answer)
    cells = []
    for column in columns:
        value = values.get(column.key)
        digit = column.digit_of(value)
        cells.append((digit, column.label_of(value), "blank" if digit == "-" else column.kind))
    return Row(answer, cells, digits_of(values, columns))


def rows(answers: Iterable[Answer], columns: list[Column], version_id: int) -> list[Row]:
    """Rows of `answers`; one of an older instrument version shows its digits in its own order."""
    answers = list(answers)
    by_version = {version_id: columns}
    others = {a.instrument_version_id for a in answers} - {version_id}
    if others:
        by_version |= {
            v.pk: columns_for(spec_for(v)) for v in InstrumentVersion.objects.filter(pk__in=others)
        }
    return [row(a, by_version.get(a.instrument_version_id, columns)) for a in answers]


def _shown(key: str, value: Any, by_key: dict[str, Column], service_names: dict[int, str]) -> str:
    """One value of an audit snapshot as the admin reads it."""
    if value is None or value == "":
        return "–"
    if key == "service_id":
        return service_names.get(value, f"#{value}")
    if key == "excluded":
        return _("ya") if value else _("tidak")
    if key == "suggestion":
        text = str(value)
        return text if len(text) <= 60 else text[:59] + "…"
    column = by_key.get(key)
    if column is not None and column.kind == "profile":
        return column.label_of(value) or str(value)
    return str(value)


def _paper_events(user: Any, unit: Unit) -> Any:
    paper_ids = (
        Answer.objects.filter(unit=unit, channel=Channel.MANUAL)
        .annotate(sid=Cast("pk", CharField()))
        .values("sid")
    )
    # A deleted answer is gone: its channel is known only if the snapshot recorded it.
    deleted_paper = Q(action="answer.delete") & (
        Q(before__channel=Channel.MANUAL) | ~Q(before__has_key="channel")
    )
    return (
        AuditEvent.objects.for_user(user)
        .filter(unit=unit, action__in=list(ACTIONS))
        .filter(Q(object_id__in=paper_ids) | deleted_paper)
        .select_related("user")[:AUDIT_LIMIT]
    )


def audit_rows(user: Any, unit: Unit, columns: list[Column], services: list[Layanan]) -> list[dict[str, Any]]:
    """This unit's changes to paper answers: who, when, what (before → after), why."""
    by_key = {c.key: c for c in columns}
    service_names = {s.pk: s.name for s in services}
    labels = {c.key: f"{c.code} {c.header}" for c in columns} | {
        "service_id": _("Jenis layanan"),
        "suggestion": _("Saran"),
        "excluded": _("dikecualikan"),
    }
    listed = []
    for event in _paper_events(user, unit):
        before, after = event.before or {}, event.after or {}
        if event.action == "answer.delete":
            details = [digits_of(before, columns)] if before else []
        else:
            details = [
                f"{labels[key]}: {_shown(key, before.get(key), by_key, service_names)} → "
                f"{_shown(key, after.get(key), by_key, service_names)}"
                for key in after
                if key in labels and before.get(key) != after.get(key)
            ]
        listed.append(
            {
                "event": event,
                "action": str(ACTIONS[event.action]),
                "details": details,
                "answer_id": event.object_id,
            }
        )
    return listed
