"""A unit reports a period, says why it did not survey, withdraws; the Pemda marks accompaniment.

Each write is one transaction with its audit event. A closed period takes no change.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skm.accounts import audit
from skm.organisation.models import Period, Unit
from skm.periods.models import Submission, UnitReport


class PeriodClosed(Exception):
    """The period is closed: its reports no longer change."""


def _snapshot(report: UnitReport) -> dict[str, Any]:
    return {
        "submission": report.submission,
        "reason": report.reason,
        "accompanied": report.accompanied,
        "accompanied_note": report.accompanied_note,
    }


def _row(unit: Unit, period: Period) -> UnitReport:
    if unit.pemda_id != period.pemda_id:
        raise ValueError("unit and period belong to different Pemda")
    # Re-read the period under the same lock order every time, so a close cannot slip in between.
    fresh = Period.objects.select_for_update().get(pk=period.pk)
    if fresh.is_closed:
        raise PeriodClosed
    report, _created = UnitReport.objects.select_for_update().get_or_create(unit=unit, period=period)
    return report


def _who(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


@transaction.atomic
def submit(unit: Unit, period: Period, *, user: Any) -> UnitReport:
    """The unit reports its results for the period ("dilaporkan", who and when)."""
    report = _row(unit, period)
    before = _snapshot(report)
    report.submission = Submission.REPORTED
    report.reason = ""
    report.submitted_by, report.submitted_at = _who(user), timezone.now()
    report.save()
    audit.record(
        "period.report",
        report,
        user=user,
        summary=_("{unit} melaporkan {period}").format(unit=unit.name, period=period.display_label),
        before=before,
        after=_snapshot(report),
    )
    return report


@transaction.atomic
def give_reason(unit: Unit, period: Period, reason: str, *, user: Any) -> UnitReport:
    """The unit did not survey this period, and says why (e.g. "kurangnya SDM")."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a reason is required")
    report = _row(unit, period)
    before = _snapshot(report)
    report.submission = Submission.REASON
    report.reason = reason
    report.submitted_by, report.submitted_at = _who(user), timezone.now()
    report.save()
    audit.record(
        "period.reason",
        report,
        user=user,
        summary=_("{unit} tidak survei {period}").format(unit=unit.name, period=period.display_label),
        before=before,
        after=_snapshot(report),
    )
    return report


@transaction.atomic
def withdraw(unit: Unit, period: Period, *, user: Any) -> UnitReport:
    """Take back the unit's report or reason (only before the period is closed)."""
    report = _row(unit, period)
    before = _snapshot(report)
    if report.submission == Submission.NONE:
        return report
    report.submission = Submission.NONE
    report.reason = ""
    report.submitted_by, report.submitted_at = None, None
    report.save()
    audit.record(
        "period.withdraw",
        report,
        user=user,
        summary=_("{unit} menarik laporan {period}").format(unit=unit.name, period=period.display_label),
        before=before,
        after=_snapshot(report),
    )
    return report


@transaction.atomic
def set_accompanied(unit: Unit, period: Period, accompanied: bool, note: str, *, user: Any) -> UnitReport:
    """The Pemda marks a (new) unit as accompanied for the period, with a note, or clears it."""
    report = _row(unit, period)
    before = _snapshot(report)
    report.accompanied = accompanied
    report.accompanied_note = note.strip() if accompanied else ""
    report.accompanied_by, report.accompanied_at = (
        (_who(user), timezone.now()) if accompanied else (None, None)
    )
    if _snapshot(report) == before:
        return report
    report.save()
    audit.record(
        "period.accompany",
        report,
        user=user,
        summary=(
            _("{unit} dalam pendampingan untuk {period}")
            if accompanied
            else _("{unit} tidak lagi dalam pendampingan untuk {period}")
        ).format(unit=unit.name, period=period.display_label),
        before=before,
        after=_snapshot(report),
    )
    return report
