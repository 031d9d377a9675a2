"""Recaps in the workspace under /kelola/rekap/ (issue 24 items 4 and 7).

- ``index``: the units the admin may change and their stored recaps;
- ``enter``: a form with one field per unsur of the instrument (and service rows); "Periksa" runs
  the check of ``skm recap check`` and shows its findings; "Simpan" needs an explanation per problem;
- ``upload``: the same from a CSV/XLSX in the ``skm recap check`` format (read with bounds);
- ``history``: the history import with its review step (Admin Pemda).

Nothing is kept between "Periksa" and "Simpan": the page posts the figures again and they are
checked again, so what is saved is what the check saw.
"""

from __future__ import annotations

import base64
import binascii
import json
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from skm.accounts.access import admin_required, get_for_user
from skm.accounts.scoping import Role
from skm.lib.tabular import Limits, TableError, read_grid
from skm.organisation.models import Pemda, Period, Unit
from skm.recaps import history as history_import
from skm.recaps.forms import MAX_UPLOAD_BYTES, PeriodForm, RowForm, UploadForm
from skm.recaps.models import Source, StoredRecap
from skm.recaps.reader import RawRow, RecapFileError, RecapTable, read_recap_grid
from skm.recaps.results import RowResult
from skm.recaps.rows import normalise_name
from skm.recaps.storing import (
    Checked,
    PeriodClosed,
    Placement,
    Unexplained,
    check_table,
    element_names,
    entry_table,
    instrument_elements,
    period_label,
    save_checked,
    unsur_headers,
)

# An uploaded recap: rows of one unit (its services, its periods), short cells.
UPLOAD_LIMITS = Limits(rows=500, columns=60, cell=500, bytes=MAX_UPLOAD_BYTES)
HISTORY_PAGE_BYTES = 1024 * 1024  # the history page carries the file to its review step


def _unit(request: HttpRequest, unit_slug: str) -> Unit:
    return get_for_user(Unit.objects.select_related("pemda"), request.user, "change", slug=unit_slug)


def _periods(request: HttpRequest, unit: Unit) -> Any:
    """The periods a recap may go into: the Pemda's open ones (a closed period's figures are frozen)."""
    return (
        Period.objects.for_user(request.user)
        .filter(pemda=unit.pemda, closed_at__isnull=True)
        .order_by("-year", "-start")
    )


@admin_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    units = list(
        Unit.objects.for_user(request.user, "change")
        .select_related("pemda", "perangkat_daerah")
        .order_by("pemda__name", "perangkat_daerah__position", "perangkat_daerah__name", "position", "name")
    )
    recaps: dict[int, list[StoredRecap]] = {}
    found = (
        StoredRecap.objects.for_user(request.user).select_related("period").order_by("-year", "period_kind")
    )
    for recap in found:
        recaps.setdefault(recap.unit_id, []).append(recap)
    rows = [(unit, recaps.get(unit.pk, [])) for unit in units]
    may_import = request.user.is_superuser or request.user.role == Role.ADMIN_PEMDA
    return render(request, "recaps/index.html", {"rows": rows, "may_import": may_import})


def _findings(
    results: list[RowResult], explanations: dict[tuple[int, int], str], show_missing: bool
) -> list[Any]:
    """Each row's verdict, problems (with the explanation field of each) and notes, for the page."""
    out = []
    for result in results:
        number = result.recap.row
        problems = []
        for i, problem in enumerate(result.problems):
            given = explanations.get((number, i), "")
            problems.append(
                {
                    "message": problem.message,
                    "code": problem.code,
                    "name": f"x-{number}-{i}",
                    "value": given,
                    "missing": show_missing and not given.strip(),
                }
            )
        out.append(
            {
                "number": number,
                "label": result.recap.label,
                "verdict": result.verdict,
                "problems": problems,
                "notes": [n.message for n in result.notes],
            }
        )
    return out


def _explanations(request: HttpRequest, results: list[RowResult]) -> dict[tuple[int, int], str]:
    return {
        (r.recap.row, i): request.POST.get(f"x-{r.recap.row}-{i}", "")[:1000]
        for r in results
        for i in range(len(r.problems))
    }


@admin_required
@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = _unit(request, unit_slug)
    periods = _periods(request, unit)
    services = list(
        unit.services.filter(active=True).order_by("position", "name").values_list("name", flat=True)
    )
    data = request.POST if request.method == "POST" else None
    period_form = PeriodForm(data, periods=periods)
    row_forms = [RowForm(data, unit=unit, prefix="r0")]
    service_rows = max(len(services), int(request.POST.get("rows", 0) or 0) - 1) if data else len(services)
    for i in range(1, min(service_rows, 30) + 1):
        initial = {"service": services[i - 1]} if i <= len(services) else {}
        row_forms.append(RowForm(data, unit=unit, prefix=f"r{i}", initial=initial))
    context: dict[str, Any] = {
        "unit": unit,
        "period_form": period_form,
        "row_forms": row_forms,
        "unsur": unsur_headers(unit.pemda),
        "no_periods": not periods.exists(),
    }
    if data is None or not period_form.is_valid() or not all(f.is_valid() for f in row_forms):
        return render(request, "recaps/enter.html", context, status=400 if data else 200)
    period = period_form.cleaned_data["period"]
    entries = [entry for f in row_forms if not (entry := f.entry()).is_blank]
    if not entries:
        context["empty"] = True
        return render(request, "recaps/enter.html", context, status=400)
    table = entry_table(unit, period_label(period), entries)
    return _check_or_save(
        request, unit, Placement.of(period), table, Source.ENTRY, context, "recaps/enter.html"
    )


def _check_or_save(
    request: HttpRequest,
    unit: Unit,
    placement: Placement,
    table: RecapTable,
    source: str,
    context: dict[str, Any],
    template: str,
) -> HttpResponse:
    results = check_table(unit.pemda, table)
    explanations = _explanations(request, results)
    checked = Checked(results, explanations)
    saving = request.POST.get("action") == "simpan"
    if saving:
        try:
            saved = save_checked(unit, placement, checked, source=source, user=request.user)
        except (Unexplained, PeriodClosed) as exc:
            context["save_error"] = str(exc)
        else:
            text = ngettext(
                "Rekap {unit} untuk {period} tersimpan ({rows} baris).",
                "Rekap {unit} untuk {period} tersimpan ({rows} baris).",
                len(saved),
            )
            messages.success(request, text.format(unit=unit.name, period=placement.label, rows=len(saved)))
            return redirect("recaps:index")
    context.update(
        checked=True,
        findings=_findings(results, explanations, show_missing=saving),
        problem_count=checked.problem_count,
    )
    return render(request, template, context, status=400 if saving else 200)


@admin_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = _unit(request, unit_slug)
    periods = _periods(request, unit)
    data = request.POST if request.method == "POST" else None
    period_form = PeriodForm(data, periods=periods)
    carried = request.POST.get("table", "") if data else ""
    form = UploadForm(data, request.FILES or None) if data and not carried else UploadForm()
    context: dict[str, Any] = {"unit": unit, "period_form": period_form, "form": form}
    if data is None:
        return render(request, "recaps/upload.html", context)
    if not period_form.is_valid():
        return render(request, "recaps/upload.html", context, status=400)
    if carried:
        table = _carried_table(carried, unit)
    elif form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            grid = read_grid(upload_file.read(), filename=Path(upload_file.name).name, limits=UPLOAD_LIMITS)
            table = read_recap_grid(Path(upload_file.name).name, grid)
        except TableError as exc:
            context["file_error"] = exc.message
            return render(request, "recaps/upload.html", context, status=400)
        except RecapFileError as exc:
            context["file_error"] = exc.message
            return render(request, "recaps/upload.html", context, status=400)
    else:
        return render(request, "recaps/upload.html", context, status=400)
    others = sorted(
        {r.get("upp") for r in table.rows if normalise_name(r.get("upp")) != normalise_name(unit.name)}
    )
    if others:
        context["file_error"] = _("Berkas memuat unit lain ({names}); unggah rekap {unit} saja.").format(
            names=", ".join(others), unit=unit.name
        )
        return render(request, "recaps/upload.html", context, status=400)
    context["table"] = json.dumps([{"row": r.row, "cells": r.cells} for r in table.rows], ensure_ascii=False)
    period = period_form.cleaned_data["period"]
    return _check_or_save(
        request, unit, Placement.of(period), table, Source.UPLOAD, context, "recaps/upload.html"
    )


def _carried_table(carried: str, unit: Unit) -> RecapTable:
    """The rows the check page carried to "Simpan" (checked again before anything is saved)."""
    try:
        rows = json.loads(carried)
        raw = [
            RawRow(int(r["row"]), {str(k): str(v)[:500] for k, v in r["cells"].items()}) for r in rows[:500]
        ]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise Http404 from None
    columns = tuple(dict.fromkeys(c for r in raw for c in r.cells))
    return RecapTable(_("unggahan {unit}").format(unit=unit.name), columns, raw)


# --------------------------------------------------------------------------- history


def _history_pemda(request: HttpRequest) -> Pemda:
    user = request.user
    if user.is_superuser:
        slug = request.POST.get("pemda") or request.GET.get("pemda")
        pemda = Pemda.objects.filter(slug=slug).first() if slug else Pemda.objects.order_by("name").first()
        if pemda is None:
            raise Http404
        return pemda
    if getattr(user, "role", "") != Role.ADMIN_PEMDA:
        raise PermissionDenied
    return get_for_user(Pemda, user, "change", pk=user.pemda_id)


@admin_required
@require_http_methods(["GET", "POST"])
def history(request: HttpRequest) -> HttpResponse:
    pemda = _history_pemda(request)
    context: dict[str, Any] = {"pemda": pemda, "form": UploadForm(), "pemdas": []}
    if request.user.is_superuser:
        context["pemdas"] = list(Pemda.objects.order_by("name"))
    if request.method == "GET":
        return render(request, "recaps/history.html", context)
    carried = request.POST.get("data", "")
    if carried:
        try:
            content = base64.b64decode(carried, validate=True)
        except (binascii.Error, ValueError):
            raise Http404 from None
        filename = Path(request.POST.get("filename", "riwayat.csv")).name
    else:
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if not form.is_valid():
            return render(request, "recaps/history.html", context, status=400)
        upload_file = form.cleaned_data["file"]
        content, filename = upload_file.read(), Path(upload_file.name).name
    if len(content) > HISTORY_PAGE_BYTES:
        context["file_error"] = _(
            "Berkas terlalu besar untuk halaman ini (paling besar 1 MB); pakai perintah skm import-history."
        )
        return render(request, "recaps/history.html", context, status=400)
    try:
        plan = history_import.read_history(pemda, content, filename)
    except history_import.HistoryError as exc:
        context["file_error"] = exc.message
        return render(request, "recaps/history.html", context, status=400)
    names = list(plan.names.values())
    texts = list(plan.priorities.values())
    if carried and request.POST.get("action") == "impor":
        units = {m.name: _chosen_unit(request.POST.get(f"unit-{i}", "")) for i, m in enumerate(names)}
        priorities = {m.text: tuple(request.POST.getlist(f"prio-{i}")) for i, m in enumerate(texts)}
        done = history_import.import_plan(plan, units, priorities, user=request.user)
        messages.success(
            request,
            _("Tersimpan {saved} baris riwayat untuk {units} unit; {left} baris dilewati.").format(
                saved=done.saved, units=done.units, left=len(done.left_out)
            ),
        )
        return redirect("recaps:index")
    element_choices = list(element_names(pemda).items())
    context.update(
        plan=plan,
        data=base64.b64encode(content).decode(),
        filename=filename,
        names=[(i, m) for i, m in enumerate(names)],
        priorities=[(i, m) for i, m in enumerate(texts)],
        units=list(Unit.objects.filter(pemda=pemda).order_by("position", "name")),
        element_choices=element_choices,
        elements=instrument_elements(pemda),
        problem_count=sum(len(r.result.problems) for r in plan.rows),
    )
    return render(request, "recaps/history_review.html", context)


def _chosen_unit(value: str) -> int | None:
    return int(value) if value.isdigit() else None
