"""Pages of a period's reporting (/kelola/periode/, SPEC §5).

The Pemda (and Pimpinan) see who has reported each period, per unit type, with the late units
named; a PD admin sees its PD's units; a unit admin its own unit's status and the form to report,
give a reason, or withdraw. Only a Pemda admin marks a unit accompanied or sets reminder days.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from skm.accounts import audit
from skm.accounts.access import admin_required, get_for_user, is_admin, scoped
from skm.accounts.scoping import Action, Role
from skm.organisation.models import PerangkatDaerah, Period, Unit
from skm.periods import reporting
from skm.periods.compliance import (
    Status,
    compliance,
    counts_of,
    expected_units,
    is_past_deadline,
    status_of,
    unit_statuses,
)
from skm.periods.forms import AccompanyForm, OpenPeriodForm, PolicyForm, ReasonForm
from skm.periods.models import ReminderPolicy, Submission, UnitReport
from skm.periods.reminders import policy_days
from skm.recaps.stored import recap_units
from skm.results.places import home_place
from skm.results.ranges import today_in

KIND_ORDER = {kind: i for i, kind in enumerate(("tahunan", "s1", "s2", "tw1", "tw2", "tw3", "tw4", "custom"))}


def reader_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the login page) with a role (else 403)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not (user.is_superuser or getattr(user, "role", "")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _is_pemda_admin(user: Any) -> bool:
    return bool(user.is_superuser or getattr(user, "role", "") == Role.ADMIN_PEMDA)


def _unit_url(period: Period, unit: Unit) -> str:
    return reverse("periods:unit", kwargs={"period_id": period.pk, "unit_slug": unit.slug})


@reader_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    place = home_place(request)
    # Newest year first; within a year the year itself, then its semesters, quarters, custom ranges.
    periods = sorted(
        scoped(Period, request.user, Action.VIEW).filter(pemda=place.pemda),
        key=lambda p: (-p.year, KIND_ORDER.get(p.kind, len(KIND_ORDER)), p.start, p.pk),
    )
    today = today_in(place.pemda)
    # A fixed number of queries whatever the number of periods (skm.periods.compliance).
    if place.unit is not None:
        statuses = unit_statuses(place.unit, periods)
        counts = {}
    else:
        statuses = {}
        counts = counts_of(place.pemda, periods, place.perangkat_daerah)
    rows = []
    for period in periods:
        row: dict[str, Any] = {"period": period, "late": is_past_deadline(period, today)}
        if place.unit is not None:
            if period.pk not in statuses:  # the unit does not owe this period
                continue
            row["status"] = statuses[period.pk]
            row["url"] = _unit_url(period, place.unit)
        else:
            row["counts"] = counts[period.pk]
            row["url"] = reverse("periods:period", kwargs={"period_id": period.pk})
        rows.append(row)
    return render(
        request,
        "periods/index.html",
        {
            "place": place,
            "rows": rows,
            "may_set_policy": _is_pemda_admin(request.user),
            "policy_days": policy_days(place.pemda),
        },
    )


@reader_required
@require_safe
def period(request: HttpRequest, period_id: int) -> HttpResponse:
    user: Any = request.user
    chosen = get_for_user(Period.objects.select_related("pemda"), user, Action.VIEW, pk=period_id)
    place = home_place(request)
    if place.unit is not None:
        return redirect(_unit_url(chosen, place.unit))
    pds = scoped(PerangkatDaerah, user, Action.VIEW).filter(pemda=chosen.pemda).order_by("position", "name")
    pd = place.perangkat_daerah
    if pd is None and request.GET.get("pd", "").isdigit():
        pd = pds.filter(pk=request.GET["pd"]).first()
    result = compliance(chosen.pemda, chosen, pd)
    return render(
        request,
        "periods/period.html",
        {
            "period": chosen,
            "result": result,
            "pd": pd,
            "pds": pds if place.perangkat_daerah is None else [],
            "may_accompany": _is_pemda_admin(user),
            "may_change": is_admin(user),
            "Status": Status,
        },
    )


@admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def unit(request: HttpRequest, period_id: int, unit_slug: str) -> HttpResponse:
    user: Any = request.user
    chosen_unit = get_for_user(
        Unit.objects.select_related("pemda", "perangkat_daerah", "unit_type"),
        user,
        Action.CHANGE,
        slug=unit_slug,
    )
    chosen = get_for_user(Period, user, Action.VIEW, pk=period_id, pemda=chosen_unit.pemda)
    report = UnitReport.objects.filter(unit=chosen_unit, period=chosen).select_related("submitted_by").first()
    reason_form = ReasonForm(initial={"reason": report.reason if report else ""})
    accompany_form = AccompanyForm(
        initial={
            "accompanied": report.accompanied if report else False,
            "note": report.accompanied_note if report else "",
        }
    )
    may_accompany = _is_pemda_admin(user)
    if request.method == "POST":
        if chosen.is_closed:
            messages.error(request, _("Periode ini sudah ditutup: laporannya tidak dapat diubah."))
            return redirect(_unit_url(chosen, chosen_unit))
        action = request.POST.get("action", "")
        try:
            if action == "lapor":
                reporting.submit(chosen_unit, chosen, user=user)
                messages.success(request, _("Hasil periode ini dilaporkan."))
                return redirect(_unit_url(chosen, chosen_unit))
            if action == "tarik":
                reporting.withdraw(chosen_unit, chosen, user=user)
                messages.success(request, _("Laporan ditarik."))
                return redirect(_unit_url(chosen, chosen_unit))
            if action == "alasan":
                reason_form = ReasonForm(request.POST)
                if reason_form.is_valid():
                    reporting.give_reason(chosen_unit, chosen, reason_form.cleaned_data["reason"], user=user)
                    messages.success(request, _("Alasan tidak survei dicatat."))
                    return redirect(_unit_url(chosen, chosen_unit))
            elif action == "dampingi":
                if not may_accompany:
                    raise PermissionDenied
                accompany_form = AccompanyForm(request.POST)
                if accompany_form.is_valid():
                    reporting.set_accompanied(
                        chosen_unit,
                        chosen,
                        accompany_form.cleaned_data["accompanied"],
                        accompany_form.cleaned_data["note"],
                        user=user,
                    )
                    messages.success(request, _("Status pendampingan disimpan."))
                    return redirect(_unit_url(chosen, chosen_unit))
            else:
                messages.error(request, _("Tindakan tidak dikenal."))
        except reporting.PeriodClosed:
            messages.error(request, _("Periode ini sudah ditutup: laporannya tidak dapat diubah."))
            return redirect(_unit_url(chosen, chosen_unit))
    recap = chosen_unit.pk in recap_units(chosen.pemda, chosen)  # a stored recap is a report too
    status = status_of(report, chosen_unit, recap)
    results_url = reverse("results:unit", kwargs={"unit_slug": chosen_unit.slug}) + f"?periode={chosen.pk}"
    return render(
        request,
        "periods/unit.html",
        {
            "unit": chosen_unit,
            "period": chosen,
            "report": report,
            "status": status,
            "Status": Status,
            "submitted": report is not None and report.submission != Submission.NONE,
            "by_recap": recap,
            "late": is_past_deadline(chosen, today_in(chosen.pemda)) and status == Status.BELUM,
            "results_url": results_url,
            "reason_form": reason_form,
            "accompany_form": accompany_form,
            "may_accompany": may_accompany,
            "owed": expected_units(chosen.pemda, chosen).filter(pk=chosen_unit.pk).exists(),
            "overview_url": reverse("periods:period", kwargs={"period_id": chosen.pk})
            if getattr(user, "role", "") != Role.ADMIN_UPP
            else reverse("periods:index"),
        },
    )


@admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def policy(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not _is_pemda_admin(user):
        raise PermissionDenied
    place = home_place(request)
    current = ReminderPolicy.objects.filter(pemda=place.pemda).first()
    form = PolicyForm(initial={"days": ",".join(str(d) for d in policy_days(place.pemda))})
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            before = {"days": current.days} if current else None
            with transaction.atomic():
                policy_row, _created = ReminderPolicy.objects.update_or_create(
                    pemda=place.pemda, defaults={"days": form.cleaned_data["days"]}
                )
                audit.record(
                    "period.reminder_policy",
                    policy_row,
                    user=user,
                    summary=_("Hari pengingat: {days}").format(days=policy_row.days),
                    before=before,
                    after={"days": policy_row.days},
                )
            messages.success(request, _("Hari pengingat disimpan."))
            return redirect("periods:policy")
    return render(request, "periods/policy.html", {"form": form, "place": place})


@reader_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """Open a period (the Pemda admin): its kind and year, or a custom range, and its deadlines."""
    user: Any = request.user
    if not _is_pemda_admin(user):
        raise PermissionDenied
    place = home_place(request)
    form = OpenPeriodForm(request.POST or None, pemda=place.pemda)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            period = form.save()
            audit.record(
                "period.open",
                period,
                user=user,
                summary=_("Periode {period} dibuka ({start} – {end})").format(
                    period=period.display_label, start=period.start, end=period.end
                ),
                after={
                    "kind": period.kind,
                    "year": period.year,
                    "start": period.start.isoformat(),
                    "end": period.end.isoformat(),
                    "input_deadline": period.input_deadline and period.input_deadline.isoformat(),
                    "report_deadline": period.report_deadline and period.report_deadline.isoformat(),
                },
            )
        messages.success(request, _("Periode {period} dibuka.").format(period=period.display_label))
        return redirect("periods:period", period_id=period.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "periods/new.html", {"form": form, "place": place}, status=status)
