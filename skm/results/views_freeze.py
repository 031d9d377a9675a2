"""Closing and reopening a period (/kelola/hasil/periode/<id>/tutup/ and …/buka/; SPEC §5, issue 24).

Only the Admin Pemda (and a superuser) may: the page shows the period, its versions with their
cut-off times (each readable on the results pages), the late answers, and the close form (with a
confirmation) or the reopen form (with a reason). Both writes are audited (skm.results.freeze).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from skm.accounts.access import get_for_user
from skm.accounts.scoping import Action, Role
from skm.organisation.models import Period
from skm.results import freeze
from skm.results.ranges import period_range


def may_close(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN_PEMDA))


def _period(request: HttpRequest, period_id: int) -> Period:
    if not may_close(request.user):
        raise PermissionDenied
    periods = Period.objects.select_related("pemda")
    return get_for_user(periods, request.user, Action.CHANGE, pk=period_id)


def _page(request: HttpRequest, period: Period, error: str = "", status: int = 200) -> HttpResponse:
    span = period_range(period)
    frozen = freeze.for_range(period.pemda, span)
    context = {
        "period": period,
        "range": span,
        "frozen": frozen,
        "notice": frozen.notice(period.pemda),
        "results_url": reverse("results:pemda"),
        "error": error,
    }
    return render(request, "results/period_close.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def close(request: HttpRequest, period_id: int) -> HttpResponse:
    period = _period(request, period_id)
    if request.method != "POST":
        return _page(request, period)
    if request.POST.get("konfirmasi") != "1":
        return _page(request, period, _("Centang konfirmasi untuk menutup periode."), status=400)
    try:
        freeze.close_period(period, request.user)
    except freeze.FreezeError:
        return _page(request, period, _("Periode ini sudah ditutup."), status=400)
    return redirect("results:period-close", period_id=period.pk)


@login_required
@require_POST
def reopen(request: HttpRequest, period_id: int) -> HttpResponse:
    period = _period(request, period_id)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        return _page(request, period, _("Tuliskan alasan membuka kembali periode."), status=400)
    if period.is_closed:
        freeze.reopen_period(period, request.user, reason=reason[:300])
    return redirect("results:period-close", period_id=period.pk)
