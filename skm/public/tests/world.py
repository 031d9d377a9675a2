"""A small Pemda for the publishing tests: two units with answers last year (closed, Tahunan) and
this year (running), one without answers, one service, published and unpublished suggestions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from skm.followup.models import Status, SuggestionFollowUp
from skm.organisation.models import Layanan, Pemda, Period, Unit
from skm.results import freeze
from skm.results.ranges import today_in
from skm.testing import make_answer, make_pd, make_pemda, make_service, make_unit


@dataclass
class PortalWorld:
    pemda: Pemda
    alpha: Unit
    beta: Unit
    gamma: Unit  # no answers at all
    service: Layanan
    closed: Period  # last year's Tahunan, closed
    today: dt.date


def _day(year: int, i: int) -> dt.date:
    return dt.date(year, 1 + i % 11, 1 + i % 27)


def portal_world() -> PortalWorld:
    pemda = make_pemda("Kota Portal")
    pd = make_pd(pemda, "Dinas Kesehatan")
    alpha = make_unit(pd, "Puskesmas Alpha", population=40)
    beta = make_unit(pd, "Puskesmas Beta")
    gamma = make_unit(pd, "Puskesmas Gamma")
    service = make_service(alpha, "Imunisasi")
    today = today_in(pemda)
    last = today.year - 1
    for i in range(12):
        make_answer(
            alpha, [4, 3, 4, 3, 4, 4, 3, 4, 2 + i % 3], day=_day(last, i), service=service if i % 2 else None
        )
    for i in range(7):
        make_answer(beta, [3, 3, 2, 3, 3, 4, 3, 3, 3], day=_day(last, i))
    period = Period.objects.create(
        pemda=pemda, kind="tahunan", year=last, start=dt.date(last, 1, 1), end=dt.date(last, 12, 31)
    )
    freeze.close_period(period)
    for i in range(5):
        make_answer(
            alpha,
            [2, 3, 3, 3, 3, 3, 3, 3, 3],
            day=max(dt.date(today.year, 1, 1), today - dt.timedelta(days=i)),
        )
    published = make_answer(
        alpha,
        day=_day(last, 3),
        suggestion='Antrean lama <script>alert("x")</script> =1+1',
        contact="0812-rahasia",
    )
    SuggestionFollowUp.objects.create(
        answer=published,
        status=Status.SELESAI,
        reply="Loket kedua dibuka sejak Maret.",
        replied_at=timezone.now(),
        published=True,
    )
    hidden = make_answer(alpha, day=_day(last, 4), suggestion="Saran yang tidak diterbitkan")
    SuggestionFollowUp.objects.create(answer=hidden, status=Status.BARU, published=False)
    return PortalWorld(pemda, alpha, beta, gamma, service, Period.objects.get(pk=period.pk), today)
