"""Bulk import of answers under /kelola/impor/ (issue 3 item 7): choose a unit, upload, preview, save.

The upload is read and judged once, when it arrives, and the judged preview is kept server-side
(`importing.keeping`) until the save, which stores exactly the rows the preview showed, all of
them or none, without reading the file again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from skm.accounts.access import admin_required, get_for_user
from skm.collection import importing
from skm.collection.importing import keeping
from skm.instrument.spec import current_spec
from skm.lib.errors import message
from skm.lib.tabular import TableError
from skm.organisation.models import Unit


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas (.csv atau .xlsx, paling besar 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format berkas"),
        choices=[(f.value, importing.FORMAT_LABELS[f]) for f in importing.Format],
        initial=importing.Format.AUTO.value,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.casefold() not in importing.UPLOAD_SUFFIXES:
            raise forms.ValidationError(message("upload_type"), code="upload_type")
        if upload.size > importing.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(message("upload_too_large"), code="upload_too_large")
        return upload


def _unit(request: HttpRequest, unit_slug: str) -> Unit:
    return get_for_user(Unit.objects.select_related("pemda"), request.user, "change", slug=unit_slug)


@admin_required
@require_http_methods(["GET"])
def choose(request: HttpRequest) -> HttpResponse:
    if request.GET.get("unit"):
        unit = _unit(request, request.GET["unit"])
        return redirect("imports:upload", unit_slug=unit.slug)
    units = list(
        Unit.objects.for_user(request.user, "change")
        .select_related("perangkat_daerah", "pemda")
        .order_by("pemda__name", "perangkat_daerah__position", "perangkat_daerah__name", "position", "name")
    )
    if len(units) == 1:
        return redirect("imports:upload", unit_slug=units[0].slug)
    many_pemda = len({u.pemda_id for u in units}) > 1  # the platform operator sees every Pemda
    return render(request, "collection/import_choose.html", {"units": units, "many_pemda": many_pemda})


@admin_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = _unit(request, unit_slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = _judge_and_keep(form.cleaned_data["file"], form.cleaned_data["format"], unit, request.user)
        return redirect("imports:preview", unit_slug=unit.slug, token=token)
    spec = current_spec(unit.pemda_id)
    guide = importing.template_guide(unit, spec) if spec else []
    context = {"unit": unit, "form": form, "guide": guide}
    return render(
        request, "collection/import_upload.html", context, status=400 if request.method == "POST" else 200
    )


def _judge_and_keep(upload: Any, fmt: str, unit: Unit, user: Any) -> str:
    """Read and judge the upload in the user's language; keep the preview, or why there is none."""
    filename = Path(upload.name).name
    try:
        result = importing.read(upload.read(), filename, unit, fmt=fmt)
    except TableError as exc:
        return keeping.store(None, table_error=exc.message, fmt=fmt, unit=unit, user=user, filename=filename)
    return keeping.store(result, fmt=fmt, unit=unit, user=user, filename=filename)


@admin_required
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, unit_slug: str, token: str) -> HttpResponse:
    unit = _unit(request, unit_slug)
    note = keeping.load(token, unit, request.user)
    if note is None:
        return _expired(request, unit)
    context: dict[str, Any] = {"unit": unit, "filename": note["filename"], "token": token}
    if "preview" not in note:
        context["table_error"] = note["table_error"]
        return render(request, "collection/import_preview.html", context, status=400)
    result = importing.restored(note["preview"], unit)
    if request.method == "POST" and result.ok:
        return _save(request, unit, token, note)
    context.update(result=result, lookalike_rows=_row_list(result.lookalikes))
    return render(request, "collection/import_preview.html", context, status=400 if not result.ok else 200)


def _expired(request: HttpRequest, unit: Unit) -> HttpResponse:
    messages.warning(
        request, _("Unggahan ini sudah tidak tersedia (lebih dari 24 jam). Unggah ulang berkasnya.")
    )
    return redirect("imports:upload", unit_slug=unit.slug)


def _save(request: HttpRequest, unit: Unit, token: str, note: dict[str, Any]) -> HttpResponse:
    """Store the kept rows, forget the upload, and say what happened on the upload page."""
    whole = keeping.load_rows(token, unit, note["preview"])
    if whole is None:
        return _expired(request, unit)
    try:
        saved = importing.save(whole, user=request.user)
    except importing.NotClean as exc:
        keeping.forget(token)
        messages.error(request, str(exc))
        return redirect("imports:upload", unit_slug=unit.slug)
    keeping.forget(token)
    if saved.created:
        text = ngettext(
            "Tersimpan {created} jawaban baru dari {file}.",
            "Tersimpan {created} jawaban baru dari {file}.",
            saved.created,
        )
        messages.success(request, text.format(created=_count(saved.created), file=note["filename"]))
    if saved.already:
        text = ngettext("{n} baris sudah pernah diimpor.", "{n} baris sudah pernah diimpor.", saved.already)
        messages.info(request, text.format(n=_count(saved.already)))
    return redirect("imports:upload", unit_slug=unit.slug)


def _count(n: int) -> str:
    from skm.lib.numbers import number

    return number(n, 0)


def _row_list(rows: list[int], limit: int = 15) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f", … (+{len(rows) - limit})" if len(rows) > limit else "")


@admin_required
@require_http_methods(["GET"])
def template_file(request: HttpRequest, unit_slug: str, ext: str) -> HttpResponse:
    unit = _unit(request, unit_slug)
    spec = current_spec(unit.pemda_id)
    if spec is None or ext not in ("csv", "xlsx"):
        raise Http404
    if ext == "csv":
        body = importing.template_csv(unit, spec)
        content_type = "text/csv; charset=utf-8"
    else:
        body = importing.template_xlsx(unit, spec)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="impor-jawaban-{unit.slug}.{ext}"'
    return response
