"""Edit, exclude, include and delete answers: rollups follow and every change is audited.

Each function runs in one transaction: the answer, its rollups and its audit event change
together or not at all.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skm.accounts import audit
from skm.collection import rollups
from skm.collection.models import Answer
from skm.scoring.elements import ELEMENTS

EDITABLE = (*ELEMENTS, "gender", "age_band", "education", "occupation", "service_id", "suggestion")


def _snapshot(answer: Answer) -> dict[str, Any]:
    data = {name: getattr(answer, name) for name in EDITABLE}
    data["excluded"] = answer.excluded
    data["channel"] = answer.channel
    return data


@transaction.atomic
def edit(answer: Answer, changes: dict[str, Any], *, user: Any, reason: str = "") -> Answer:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    before = _snapshot(answer)
    rollups.apply([answer], sign=-1)
    for name, value in changes.items():
        setattr(answer, name, value)
    answer.save()
    rollups.apply([answer])
    audit.record(
        "answer.edit",
        answer,
        user=user,
        summary=reason or _("Jawaban diubah"),
        before=before,
        after=_snapshot(answer),
    )
    return answer


@transaction.atomic
def set_excluded(answer: Answer, excluded: bool, *, user: Any, reason: str) -> Answer:
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    if answer.excluded == excluded:
        return answer
    rollups.apply([answer], sign=-1)
    answer.excluded = excluded
    answer.excluded_reason = reason[:200] if excluded else ""
    answer.save(update_fields=["excluded", "excluded_reason"])
    rollups.apply([answer])
    action = "answer.exclude" if excluded else "answer.include"
    audit.record(
        action,
        answer,
        user=user,
        summary=reason,
        before={"excluded": not excluded},
        after={"excluded": excluded},
    )
    return answer


@transaction.atomic
def delete(answer: Answer, *, user: Any, reason: str = "") -> None:
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    before = _snapshot(answer)
    rollups.apply([answer], sign=-1)
    audit.record("answer.delete", answer, user=user, summary=reason or _("Jawaban dihapus"), before=before)
    answer.delete()
