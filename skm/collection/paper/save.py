"""A typed line goes where every questionnaire goes: `validate()`, then `submit()`; edits go
through `skm.collection.changes`, which keeps the rollups right and writes the audit trail."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from skm.collection import changes
from skm.collection.models import Answer, Channel
from skm.collection.paper.line import Column, EntryError, digits_of
from skm.collection.submit import KeyConflict, Origin, Throttled, submit
from skm.collection.validation import Invalid, Received, Submission, validate
from skm.instrument.spec import InstrumentSpec
from skm.lib.errors import message
from skm.organisation.models import Layanan, Unit


def answer_values(answer: Answer) -> dict[str, Any]:
    """What the digit line and the audit trail show of an answer."""
    return {key: getattr(answer, key) for key in (*changes.EDITABLE, "excluded")}


def _validate(received: Received, unit: Unit, spec: InstrumentSpec, services: list[Layanan]) -> Submission:
    try:
        return validate(
            received,
            unit=unit,
            spec=spec,
            channel=Channel.MANUAL,
            services=services,
        )
    except Invalid as exc:
        raise EntryError(list(exc.errors.values())) from None


def save(
    received: Received, unit: Unit, spec: InstrumentSpec, services: list[Layanan], user: Any
) -> tuple[Answer, bool]:
    """Store one typed questionnaire: (the answer, whether it is new); EntryError lists what is wrong.

    A line saved before under the same key (a retry) returns the stored answer, even when its
    digits differ: `saved_note` then says which questionnaire holds the key.
    """
    submission = _validate(received, unit, spec, services)
    try:
        receipt = submit(submission, Origin(user=user))
        answer_id, created = receipt.answer_id, receipt.created
    except Throttled:
        raise EntryError([message("rate_limited")]) from None
    except KeyConflict as exc:
        answer_id, created = exc.answer_id, False
    answer = Answer.objects.select_related("service", "entered_by").filter(pk=answer_id, unit=unit).first()
    if answer is None or answer.channel != Channel.MANUAL:
        raise EntryError([message("entry_key_taken")])
    return answer, created


def saved_note(answer: Answer, created: bool, typed: Mapping[str, Any], columns: list[Column]) -> str:
    """What the admin reads after Enter: saved, saved before, or saved before with other digits."""
    if created:
        return _("Tersimpan: kuesioner #{n}").format(n=answer.pk)
    stored = digits_of(answer_values(answer), columns)
    if digits_of(typed, columns) == stored:
        return _("Sudah tersimpan sebelumnya: kuesioner #{n} (tidak dicatat dua kali).").format(n=answer.pk)
    return _(
        "Kiriman ini sudah tersimpan sebagai kuesioner #{n} dengan isi {digits}; ubah #{n} bila perlu."
    ).format(n=answer.pk, digits=stored)


def edit(
    answer: Answer,
    received: Received,
    unit: Unit,
    spec: InstrumentSpec,
    services: list[Layanan],
    user: Any,
    reason: str,
) -> bool:
    """Change a stored paper answer to what was retyped; False when nothing differs."""
    clean = _validate(received, unit, spec, services)
    new = {**clean.values} | {p.key: clean.profile.get(p.key, "") for p in spec.profile}
    new["service_id"] = clean.service.pk if clean.service else None
    new["suggestion"] = clean.suggestion
    values = answer_values(answer)
    diff = {key: value for key, value in new.items() if values.get(key) != value}
    if diff:
        changes.edit(answer, diff, user=user, reason=reason)
    return bool(diff)
