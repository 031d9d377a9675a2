"""Answer a suggestion: set its status, reply and publication, audited in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skm.accounts import audit
from skm.collection.models import Answer
from skm.followup.models import Status, SuggestionFollowUp


def _snapshot(followup: SuggestionFollowUp) -> dict[str, Any]:
    return {"status": followup.status, "reply": followup.reply, "published": followup.published}


@transaction.atomic
def follow_up(answer: Answer, *, status: str, reply: str, published: bool, user: Any) -> SuggestionFollowUp:
    """Save what the unit did with `answer`'s suggestion; a change writes one audit event.

    The follow-up row is made on the first save; the reply's author and time change only when
    the reply's text does.
    """
    if not answer.suggestion:
        raise ValueError("answer has no suggestion")
    status = Status(status)
    reply = reply.strip()
    followup, created = SuggestionFollowUp.objects.select_for_update().get_or_create(answer=answer)
    before = None if created else _snapshot(followup)
    if before is None:
        before = {"status": Status.BARU.value, "reply": "", "published": False}
    changes = {"status": status.value, "reply": reply, "published": published}
    if changes == before:
        return followup
    if reply != followup.reply:
        followup.replied_by = user if getattr(user, "is_authenticated", False) else None
        followup.replied_at = timezone.now() if reply else None
    followup.status = status
    followup.reply = reply
    followup.published = published
    followup.save()
    audit.record(
        "suggestion.follow_up",
        followup,
        user=user,
        summary=_("Tindak lanjut saran: {status}").format(status=status.label),
        before=before,
        after=_snapshot(followup),
    )
    return followup
