"""Paper entry under /kelola/entri/ (SPEC §7; issue 3 item 6): the pages of skm.collection.paper.

The entry page saves a typed line with a plain POST (303 back to the page) or, from entry.js,
through fetch with JSON back (the saved row's HTML and the next key), so the list grows without
a reload.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from skm.accounts.access import admin_required, get_for_user
from skm.collection import changes
from skm.collection.models import Answer, Channel
from skm.collection.paper import save, tables
from skm.collection.paper.forms import BatchForm, EditForm, ExcludeForm, LineForm, ReasonForm, new_key
from skm.collection.paper.line import Column, EntryError, columns_for
from skm.collection.validation import earliest_day
from skm.instrument.spec import InstrumentSpec, current_spec, spec_for
from skm.lib.errors import MESSAGES, message
from skm.organisation.models import Layanan, Unit

PAGE_SIZE = 50


# --- access and what every page needs ---------------------------------------------------------


def _unit(request: HttpRequest, unit_slug: str) -> Unit:
    return get_for_user(
        Unit.objects.filter(active=True).select_related("pemda").prefetch_related("services"),
        request.user,
        "change",
        slug=unit_slug,
    )


def _paper_answers(request: HttpRequest, unit: Unit) -> Any:
    return Answer.objects.for_user(request.user, "change").filter(unit=unit, channel=Channel.MANUAL)


def _paper_answer(request: HttpRequest, unit: Unit, answer_id: int) -> Answer:
    answers = _paper_answers(request, unit).select_related("service", "entered_by", "instrument_version")
    return get_for_user(answers, request.user, "change", pk=answer_id)


def _services(unit: Unit, also: int | None = None) -> list[Layanan]:
    """The unit's active services (and `also`); `unit.services` is fetched once per request."""
    return [s for s in unit.services.all() if s.active or (also and s.pk == also)]


def _today(unit: Unit) -> dt.date:
    return timezone.localtime(timezone.now(), unit.pemda.tz).date()


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _columns_context(columns: list[Column]) -> dict[str, Any]:
    """The positions of the line for the page, and what entry.js needs for its live preview and
    its messages (templates with {fields}, filled in by the script)."""
    n_answers = sum(1 for c in columns if c.kind == "answer")
    return {
        "columns": columns,
        "n_answers": n_answers,
        "n_profile": len(columns) - n_answers,
        "columns_json": [
            {"key": c.key, "code": c.code, "header": c.header, "kind": c.kind, "choices": c.choices}
            for c in columns
        ],
        "js_text": {
            "network": _(
                "Gagal terhubung ke server. Tekan Enter lagi untuk mencoba ulang (tidak akan tercatat ganda)."
            ),
            "reload": _(
                "Server menolak kiriman (sesi mungkin berakhir). Muat ulang halaman; isian Anda masih di kolom."
            ),
            "count": str(MESSAGES["entry_count"]),
            "bad_digit": str(MESSAGES["entry_bad_digit"]),
            "total_one": ngettext("{n} kuesioner kertas", "{n} kuesioner kertas", 1),
            "total": ngettext("{n} kuesioner kertas", "{n} kuesioner kertas", 2),
        },
    }


def _grid_context(
    request: HttpRequest,
    unit: Unit,
    spec: InstrumentSpec,
    columns: list[Column],
    batch: dict[str, str],
    line: LineForm,
    errors: list[str],
) -> dict[str, Any]:
    paper = _paper_answers(request, unit).select_related("service", "entered_by").order_by("-pk")
    page = Paginator(paper, PAGE_SIZE).get_page(request.GET.get("halaman"))
    today = _today(unit)
    return {
        "unit": unit,
        "profile_columns": [c for c in columns if c.kind == "profile"],
        "services": _services(unit),
        "batch": batch,
        "line": line,
        "errors": errors,
        "page": page,
        "total": ngettext("{n} kuesioner kertas", "{n} kuesioner kertas", page.paginator.count).format(
            n=page.paginator.count
        ),
        "rows": tables.rows(page.object_list, columns, spec.version_id),
        "keep": urlencode({k: v for k, v in batch.items() if v}),
        "audit": tables.audit_rows(request.user, unit, columns, list(unit.services.all())),
        "min_date": earliest_day(today).isoformat(),  # validate() refuses earlier days
        "max_date": today.isoformat(),
        **_columns_context(columns),
    }


def _no_instrument(request: HttpRequest, unit: Unit) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"ok": False, "errors": [message("no_instrument")]}, status=409)
    context = {"unit": unit, "no_instrument": message("no_instrument")}
    return render(request, "collection/entry_grid.html", context)


def _saved(
    request: HttpRequest,
    unit: Unit,
    columns: list[Column],
    line: LineForm,
    batch: dict[str, str],
    answer: Answer,
    created: bool,
) -> HttpResponse:
    note = save.saved_note(answer, created, line.cleaned_data["isian"], columns)
    if not _wants_json(request):
        messages.success(request, note)
        query = urlencode({k: v for k, v in batch.items() if v})
        # 303: the browser fetches the grid afresh; a reload does not post again.
        return HttpResponseRedirect(f"{reverse('entry:grid', args=[unit.slug])}?{query}", status=303)
    row_html = render_to_string(
        "collection/entry_row.html", {"row": tables.row(answer, columns), "unit": unit}, request=request
    )
    body = {"ok": True, "created": created, "id": answer.pk, "message": note}
    body |= {"next_key": new_key(), "row_html": row_html}
    return JsonResponse(body, status=201 if created else 200)


# --- views ------------------------------------------------------------------------------------


@admin_required
@require_http_methods(["GET"])
def units(request: HttpRequest) -> HttpResponse:
    rows = (
        Unit.objects.for_user(request.user, "change")
        .filter(active=True)
        .select_related("perangkat_daerah")
        .annotate(paper=Count("answers", filter=Q(answers__channel=Channel.MANUAL)))
        .order_by("pemda__name", "perangkat_daerah__position", "perangkat_daerah__name", "position", "name")
    )
    return render(request, "collection/entry_units.html", {"units": list(rows)})


@admin_required
@require_http_methods(["GET", "POST"])
def grid(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = _unit(request, unit_slug)
    spec = current_spec(unit.pemda_id)
    if spec is None:
        return _no_instrument(request, unit)
    columns, today = columns_for(spec), _today(unit)
    posted = request.POST if request.method == "POST" else None
    batch = BatchForm(posted or request.GET, today=today).settings()
    line, errors = LineForm(posted, columns=columns), []
    if posted is not None:
        try:
            received = line.received(batch, today)
            answer, created = save.save(received, unit, spec, _services(unit), request.user)
        except EntryError as exc:
            if _wants_json(request):
                return JsonResponse({"ok": False, "errors": exc.problems}, status=422)
            errors = exc.problems
        else:
            return _saved(request, unit, columns, line, batch, answer, created)
    return render(
        request,
        "collection/entry_grid.html",
        _grid_context(request, unit, spec, columns, batch, line, errors),
    )


@admin_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, unit_slug: str, answer_id: int) -> HttpResponse:
    unit = _unit(request, unit_slug)
    answer = _paper_answer(request, unit, answer_id)
    spec = spec_for(answer.instrument_version)
    columns, services = columns_for(spec), _services(unit, also=answer.service_id)
    form = EditForm.of(answer, columns, request.POST if request.method == "POST" else None)
    errors: list[str] = []
    if form.is_bound:
        try:
            received = form.received()
            changed = save.edit(
                answer, received, unit, spec, services, request.user, form.cleaned_data["alasan"]
            )
        except EntryError as exc:
            errors = exc.problems
        else:
            done = _("Kuesioner #{n} diubah.") if changed else _("Tidak ada perubahan pada kuesioner #{n}.")
            (messages.success if changed else messages.info)(request, done.format(n=answer.pk))
            return redirect("entry:grid", unit.slug)
    context = {"unit": unit, "answer": answer, "row": tables.row(answer, columns), "services": services}
    context |= {"form": form, "errors": errors}
    return render(request, "collection/entry_edit.html", context | _columns_context(columns))


@admin_required
@require_POST
def exclude(request: HttpRequest, unit_slug: str, answer_id: int) -> HttpResponse:
    unit = _unit(request, unit_slug)
    answer = get_for_user(_paper_answers(request, unit), request.user, "change", pk=answer_id)
    form = ExcludeForm(request.POST)
    if not form.is_valid():
        for problem in (p for errors in form.errors.values() for p in errors):
            messages.error(request, problem)
        return redirect("entry:edit", unit.slug, answer.pk)
    excluded = form.excluded
    default = _("Kecualikan dari perhitungan") if excluded else _("Ikutkan kembali dalam perhitungan")
    changes.set_excluded(answer, excluded, user=request.user, reason=form.cleaned_data["alasan"] or default)
    done = _("Kuesioner #{n} dikecualikan.") if excluded else _("Kuesioner #{n} diikutkan kembali.")
    messages.success(request, done.format(n=answer.pk))
    return redirect("entry:edit", unit.slug, answer.pk)


@admin_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, unit_slug: str, answer_id: int) -> HttpResponse:
    unit = _unit(request, unit_slug)
    answer = _paper_answer(request, unit, answer_id)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        changes.delete(answer, user=request.user, reason=form.cleaned_data["alasan"])
        messages.success(request, _("Kuesioner #{n} dihapus.").format(n=answer_id))
        return redirect("entry:grid", unit.slug)
    columns = columns_for(spec_for(answer.instrument_version))
    context = {"unit": unit, "answer": answer, "row": tables.row(answer, columns), "columns": columns}
    return render(request, "collection/entry_delete.html", context | {"form": form})
