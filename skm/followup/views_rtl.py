"""RTL pages (/kelola/rtl/…): the overview with the mean realisation, one unit's plan for a closed
period, its items and their realisation, and the evidence files (SPEC §8).

Roles as in the suggestions inbox: every role with a place reads the RTL under it (Pimpinan too);
admins whose scope covers the unit (Admin UPP, PD, Pemda) plan and realise. A unit outside the
user's scope is a 404, a reader who may not change gets 403 on a form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from skm.accounts.access import can, get_for_user, is_admin, scoped
from skm.accounts.scoping import Action
from skm.followup import evidence, rtl
from skm.followup.forms_rtl import ItemForm, PriorityForm, RealiseForm
from skm.followup.models import Rtl, RtlItem
from skm.followup.views import reader_required
from skm.organisation.models import Period, Unit
from skm.results.compute import element_order, unsur_labels
from skm.results.places import home_place


def _unit_and_period(request: HttpRequest, unit_slug: str, period_id: int) -> tuple[Unit, Period, bool]:
    """The unit (404 outside the reader's scope), its Pemda's period, and whether the user may change."""
    user: Any = request.user
    unit = get_for_user(Unit.objects.select_related("pemda", "perangkat_daerah"), user, slug=unit_slug)
    period = Period.objects.filter(pemda_id=unit.pemda_id, pk=period_id).first()
    if period is None:
        raise Http404
    return unit, period, is_admin(user) and can(user, Action.CHANGE, unit)


def _rtl_of(unit: Unit, period: Period) -> Rtl:
    found = Rtl.objects.filter(unit=unit, period=period).select_related("unit__pemda", "period").first()
    if found is None:
        raise Http404
    return found


@reader_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    place = home_place(request)
    periods = list(rtl.closed_periods(place.pemda.pk))
    wanted = request.GET.get("periode", "")
    period = next((p for p in periods if str(p.pk) == wanted), periods[0] if periods else None)
    units = scoped(Unit, user, Action.VIEW).filter(pemda=place.pemda, active=True)
    if place.perangkat_daerah is not None and place.unit is None:
        units = units.filter(perangkat_daerah=place.perangkat_daerah)
    if place.unit is not None:
        units = units.filter(pk=place.unit.pk)
    today = rtl.today_for(place.pemda)
    summary = rtl.overview(units, period, today)
    labels = unsur_labels(place.pemda)
    for row in summary.rows:
        row.priority_labels = [labels.get(e, e) for e in row.rtl.chosen] if row.rtl else []
    return render(
        request,
        "followup/rtl_index.html",
        {
            "place": place,
            "periods": periods,
            "period": period,
            "summary": summary,
            "labels": labels,
            "may_change": is_admin(user),
            "with_rtl": sum(1 for r in summary.rows if r.rtl is not None),
        },
    )


@reader_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan(request: HttpRequest, unit_slug: str, period_id: int) -> HttpResponse:
    user: Any = request.user
    unit, period, may_change = _unit_and_period(request, unit_slug, period_id)
    found = Rtl.objects.filter(unit=unit, period=period).select_related("created_by").first()
    order, labels = list(element_order(unit.pemda)), unsur_labels(unit.pemda)
    closed = period.closed_at is not None
    suggested = found.suggested if found else (rtl.suggested_priority(unit, period) if closed else [])
    form = None
    if may_change and closed:
        initial = {"chosen": found.chosen if found else suggested, "reason": found.reason if found else ""}
        form_kwargs = {"order": order, "labels": labels, "suggested": suggested}
        if request.method == "POST":
            form = PriorityForm(request.POST, **form_kwargs)
            if form.is_valid():
                chosen, reason = form.cleaned_data["chosen"], form.cleaned_data["reason"]
                try:
                    if found is None:
                        rtl.create(unit, period, chosen=chosen, reason=reason, user=user)
                    else:
                        rtl.set_priority(found, chosen=chosen, reason=reason, user=user)
                except ValueError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _("Unsur prioritas disimpan."))
                    return redirect("followup:rtl", unit_slug=unit.slug, period_id=period.pk)
        else:
            form = PriorityForm(initial=initial, **form_kwargs)
    elif request.method == "POST":
        raise PermissionDenied
    items = list(found.items.order_by("target_date", "pk")) if found else []
    today = rtl.today_for(unit)
    return render(
        request,
        "followup/rtl_plan.html",
        {
            "unit": unit,
            "period": period,
            "closed": closed,
            "rtl": found,
            "suggested": suggested,
            "suggested_labels": [labels.get(e, e) for e in suggested],
            "chosen_labels": [labels.get(e, e) for e in (found.chosen if found else [])],
            "labels": labels,
            "items": rtl.item_rows(items, labels, today),
            "realisation": rtl.realisation_of(items),
            "form": form,
            "may_change": may_change,
        },
    )


@reader_required
@require_http_methods(["GET", "HEAD", "POST"])
def item_new(request: HttpRequest, unit_slug: str, period_id: int) -> HttpResponse:
    user: Any = request.user
    unit, period, may_change = _unit_and_period(request, unit_slug, period_id)
    if not may_change:
        raise PermissionDenied
    found = _rtl_of(unit, period)
    labels = unsur_labels(unit.pemda)
    if request.method == "POST":
        form = ItemForm(request.POST, rtl=found, labels=labels)
        if form.is_valid():
            rtl.add_item(found, form.plan(), user=user)
            messages.success(request, _("Butir RTL ditambahkan."))
            return redirect("followup:rtl", unit_slug=unit.slug, period_id=period.pk)
    else:
        element = request.GET.get("unsur", "")
        form = ItemForm(
            initial={"element": element} if element in found.chosen else None, rtl=found, labels=labels
        )
    return render(
        request,
        "followup/rtl_item.html",
        {"unit": unit, "period": period, "rtl": found, "form": form, "item": None, "may_change": True},
    )


def _item_of(found: Rtl, item_id: int) -> RtlItem:
    item = found.items.filter(pk=item_id).first()
    if item is None:
        raise Http404
    item.rtl = found
    return item


@reader_required
@require_http_methods(["GET", "HEAD", "POST"])
def item(request: HttpRequest, unit_slug: str, period_id: int, item_id: int) -> HttpResponse:
    user: Any = request.user
    unit, period, may_change = _unit_and_period(request, unit_slug, period_id)
    found = _rtl_of(unit, period)
    row = _item_of(found, item_id)
    labels = unsur_labels(unit.pemda)
    form = None
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        form = RealiseForm(request.POST, request.FILES, rtl=found, labels=labels)
        if form.is_valid():
            data = form.cleaned_data
            rtl.change_item(
                row,
                form.plan(),
                form.done(),
                upload=data.get("evidence") or None,
                kind=form.kind,
                remove_file=bool(data.get("remove_file")),
                user=user,
            )
            messages.success(request, _("Butir RTL dan realisasinya disimpan."))
            return redirect("followup:rtl", unit_slug=unit.slug, period_id=period.pk)
    elif may_change:
        form = RealiseForm(
            initial={
                "element": row.element,
                "action": row.action,
                "responsible": row.responsible,
                "target_date": row.target_date,
                "realisation": row.realisation,
                "narrative": row.narrative,
                "link": row.evidence_link,
            },
            rtl=found,
            labels=labels,
        )
    return render(
        request,
        "followup/rtl_item.html",
        {
            "unit": unit,
            "period": period,
            "rtl": found,
            "form": form,
            "item": row,
            "item_label": labels.get(row.element, row.element),
            "overdue": rtl.is_overdue(row, rtl.today_for(unit)),
            "may_change": may_change,
        },
    )


@reader_required
@require_safe
def evidence_file(request: HttpRequest, unit_slug: str, period_id: int, item_id: int) -> HttpResponse:
    """The item's evidence, to those who may read the unit's RTL (never from MEDIA_URL)."""
    unit, period, _may = _unit_and_period(request, unit_slug, period_id)
    row = _item_of(_rtl_of(unit, period), item_id)
    if not row.evidence or not default_storage.exists(row.evidence.name):
        raise Http404
    kind = next((k for k in evidence.KINDS.values() if k.content_type == row.evidence_type), None)
    response = FileResponse(
        default_storage.open(row.evidence.name, "rb"),
        as_attachment=kind is None or not kind.inline,
        filename=row.evidence_name or row.evidence.name.rsplit("/", 1)[-1],
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response
