"""Reminders before a period's reporting deadline, to the admins of units that have not reported.

`send_due()` is what `skm remind` runs, every hour: for each Pemda, each open period whose
deadline is at most the policy's largest number of days away, each unit that owes the period and
has submitted nothing gets the reminder of the nearest stage it is in (7 days before, then 1),
once. The `ReminderSent` row and the decision are one transaction, and the mail is sent inside
it: a failed send rolls the row back (the next run retries); a second run at the same time
waits on the row's unique key and then skips it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from skm.accounts.models import User
from skm.accounts.scoping import Role
from skm.lib import dates
from skm.organisation.models import Pemda, Period, Unit
from skm.periods.compliance import expected_units
from skm.periods.models import (
    DEFAULT_REMINDER_DAYS,
    ReminderPolicy,
    ReminderSent,
    Submission,
    UnitReport,
    parse_days,
)
from skm.recaps.stored import recap_units
from skm.results.ranges import today_in


def policy_days(pemda: Pemda) -> list[int]:
    policy = ReminderPolicy.objects.filter(pemda=pemda).first()
    try:
        return policy.day_list() if policy else parse_days(DEFAULT_REMINDER_DAYS)
    except ValueError:
        return parse_days(DEFAULT_REMINDER_DAYS)


def stage(days_left: int, days: list[int]) -> int | None:
    """The reminder stage a unit is in with `days_left` to the deadline: the nearest d ≥ days_left."""
    if days_left < 0:
        return None
    fitting = [d for d in days if days_left <= d]
    return min(fitting) if fitting else None


def open_periods_near(pemda: Pemda, today: dt.date, days: list[int]) -> list[Period]:
    """The Pemda's open periods whose reporting deadline is today or within the largest stage."""
    return list(
        Period.objects.filter(
            pemda=pemda,
            closed_at__isnull=True,
            report_deadline__gte=today,
            report_deadline__lte=today + dt.timedelta(days=max(days)),
        ).order_by("report_deadline")
    )


def unreported_units(pemda: Pemda, period: Period) -> list[Unit]:
    """Units owing `period` that have submitted neither their report nor a reason (nor a recap)."""
    done = set(
        UnitReport.objects.filter(period=period)
        .exclude(submission=Submission.NONE)
        .values_list("unit_id", flat=True)
    ) | recap_units(pemda, period)
    return [u for u in expected_units(pemda, period).order_by("position", "name") if u.pk not in done]


def recipients(unit: Unit) -> list[str]:
    return sorted(
        User.objects.filter(role=Role.ADMIN_UPP, unit=unit, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


@dataclass
class Due:
    unit: Unit
    period: Period
    days_before: int
    days_left: int


@dataclass
class Outcome:
    sent: list[Due] = field(default_factory=list)
    skipped_no_address: list[Due] = field(default_factory=list)


def due(today_of: dict[int, dt.date] | None = None) -> list[Due]:
    """Every reminder due now and not sent yet (`today_of`: a Pemda's today, for tests)."""
    out = []
    for pemda in Pemda.objects.order_by("pk"):
        days = policy_days(pemda)
        today = (today_of or {}).get(pemda.pk) or today_in(pemda)
        for period in open_periods_near(pemda, today, days):
            assert period.report_deadline is not None
            left = (period.report_deadline - today).days
            at = stage(left, days)
            if at is None:
                continue
            sent = set(
                ReminderSent.objects.filter(period=period, days_before=at).values_list("unit_id", flat=True)
            )
            out.extend(Due(u, period, at, left) for u in unreported_units(pemda, period) if u.pk not in sent)
    return out


def _message(item: Due) -> tuple[str, str]:
    period, unit = item.period, item.unit
    assert period.report_deadline is not None
    deadline = dates.format_date(period.report_deadline, "id")
    subject = _("Pengingat pelaporan SKM {period}: batas {deadline}").format(
        period=period.display_label, deadline=deadline
    )
    link = reverse("periods:unit", kwargs={"period_id": period.pk, "unit_slug": unit.slug})
    base = (getattr(settings, "SKM_PUBLIC_URL", "") or "").rstrip("/")
    body = _(
        "Yth. Admin {unit},\n\n"
        "{unit} belum melaporkan hasil SKM periode {period}. Batas pelaporan {deadline} "
        "({days} hari lagi).\n\n"
        "Periksa hasil unit dan laporkan, atau catat alasan bila unit tidak melaksanakan survei:\n"
        "{link}\n\n"
        "Pesan ini dikirim otomatis oleh platform SKM."
    ).format(
        unit=unit.name, period=period.display_label, deadline=deadline, days=item.days_left, link=base + link
    )
    return subject, body


def send_due(today_of: dict[int, dt.date] | None = None, items: list[Due] | None = None) -> Outcome:
    """Send every reminder due now (or `items`, decided earlier), each at most once (see above)."""
    outcome = Outcome()
    with translation.override("id"):
        for item in due(today_of) if items is None else items:
            to = recipients(item.unit)
            if not to:
                outcome.skipped_no_address.append(item)
                continue
            subject, body = _message(item)
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        ReminderSent.objects.create(
                            unit=item.unit,
                            period=item.period,
                            days_before=item.days_before,
                            recipients=", ".join(to),
                        )
                except IntegrityError:
                    continue  # another run decided first
                send_mail(subject, body, None, to)
            outcome.sent.append(item)
    return outcome
